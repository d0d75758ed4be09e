"""Notebook 00's set-up check: plain verdicts, a fix for each failure, never an exception."""

import socket
import sys

from workshop import APP_NAME
from workshop import setupcheck
from workshop.release import render_tree
from workshop.release import write_tree


def test_a_missing_package_says_how_to_install_it():
    verdict = setupcheck.package("no_such_package_here")
    assert not verdict.passed and "not installed" in verdict.says and "workshop lab" in verdict.advice


def test_a_too_old_package_is_named():
    verdict = setupcheck.package("pytest", "999.0")
    assert not verdict.passed and "too old" in verdict.says


def test_a_taken_port_names_a_free_one(monkeypatch):
    with socket.create_server(("127.0.0.1", 0)) as taken:
        port = taken.getsockname()[1]
        monkeypatch.setattr(setupcheck, "FLASK_PORT", port)
        verdict = setupcheck.free_port()
    assert verdict.passed and f"Port {port} is taken" in verdict.says and "--port" in verdict.says


def test_a_broken_app_names_the_file_and_line(tmp_path, monkeypatch):
    write_tree(render_tree(0), tmp_path / APP_NAME)
    (tmp_path / APP_NAME / "__init__.py").write_text("def create_app(:\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    verdict = setupcheck.app_folder()
    assert not verdict.passed and "SyntaxError" in verdict.says and "line 1" in verdict.says
    assert APP_NAME not in sys.modules


def test_a_check_that_raises_becomes_a_failed_verdict(monkeypatch):
    monkeypatch.setattr(setupcheck, "free_port", lambda: 1 / 0)
    report = setupcheck.SetupReport(setupcheck.run_all())
    assert not report.ok and "ZeroDivisionError" in str(report)
    assert str(report).startswith(f"Set-up check: {report.passed} of {len(report.verdicts)} checks pass — ❌")
