"""The report of step 5's runs (workshop/app_process/outcomes.py), as the judge reads it: which tests failed,
what they said, why a file could not be collected; and nothing from a report that is not one."""

import json
import subprocess
import sys

import pytest

from workshop import ROOT
from workshop.app_process import outcomes
from workshop.judge import step5

TESTS = '''import pytest


@pytest.fixture
def database():
    raise RuntimeError("no database")


def test_passes():
    assert 1 == 1


def test_wrong_status():
    assert 404 == 200


def test_needs_a_database(database):
    pass


@pytest.mark.parametrize("number", [1, 2])
def test_one(number):
    assert number == 1


class TestNotes:
    def test_missing_key(self):
        raise KeyError("title")
'''


def run_pytest(folder, files, *options):
    """Run pytest on ``files`` in ``folder`` as step 5 does (a fresh process), with the report: its exit code."""
    for name, text in files.items():
        (folder / "tests" / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / "tests" / name).write_text(text, encoding="utf-8")
    command = [sys.executable, "-m", "pytest", "-q", "--tb=no", "-p", "no:cacheprovider", "-p", outcomes.__name__,
               f"{outcomes.OPTION}={folder / step5.REPORT}", *options, "tests"]
    env = {"PYTHONPATH": str(ROOT), "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1"}  # as step 5 runs it
    return subprocess.run(command, cwd=folder, env=env, capture_output=True, timeout=60, check=False).returncode


@pytest.mark.timeout(90)
def test_failed_tests_are_named_with_what_they_said(tmp_path):
    assert run_pytest(tmp_path, {"test_notes.py": TESTS}) == 1
    failed, error, asserts, unexplained = step5.reported(tmp_path)
    assert failed == ["test_missing_key", "test_needs_a_database", "test_one", "test_wrong_status"]
    assert error == 'failed on setup with "RuntimeError: no database"'
    assert asserts == ["assert 404 == 200", "assert 2 == 1", "KeyError: 'title'"]
    assert unexplained == []


@pytest.mark.timeout(90)
def test_asserts_that_fail_silently_without_the_rewriting_are_named(tmp_path):
    files = {"test_notes.py": TESTS + "\n\ndef test_slow():\n    import time\n    time.sleep(5)\n"}
    assert run_pytest(tmp_path, files, "--assert=plain", "-p", "pytest_timeout", "-o", "timeout=1") == 1
    failed, _, asserts, unexplained = step5.reported(tmp_path)
    assert "test_slow" in failed and any("Timeout" in said for said in asserts)
    assert unexplained == ["test_one", "test_wrong_status"]  # not the test that timed out, nor KeyError's


@pytest.mark.timeout(90)
def test_a_file_that_cannot_be_imported_is_named_with_its_error(tmp_path):
    files = {"test_import.py": "import nothing_here\n", "test_syntax.py": "def test_x(:\n    pass\n"}
    assert run_pytest(tmp_path, files) == 2
    failed, error, asserts, _ = step5.reported(tmp_path)
    assert (failed, asserts) == ([], [])
    assert error == "tests/test_import.py: ModuleNotFoundError: No module named 'nothing_here'"
    report = json.loads((tmp_path / step5.REPORT).read_text(encoding="utf-8"))
    assert report["errors"][1] == "tests/test_syntax.py: SyntaxError: invalid syntax"


@pytest.mark.timeout(90)
def test_a_run_without_failures_reports_none(tmp_path):
    assert run_pytest(tmp_path, {"test_ok.py": "def test_ok():\n    assert True\n"}) == 0
    assert step5.reported(tmp_path) == ([], "", [], [])


@pytest.mark.parametrize("text", [
    "[1, 2]", "not json", '{"failed": "test_a", "errors": {"a": 1}, "asserts": [1, null, ["x"]]}',
    '{"failed": ' + "[" * 200 + "]" * 200 + "}",
])
def test_a_report_that_is_not_one_gives_no_hint(tmp_path, text):
    (tmp_path / step5.REPORT).write_text(text, encoding="utf-8")
    assert step5.reported(tmp_path) == ([], "", [], [])
