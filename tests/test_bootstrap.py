"""The set-up entry point: installs into venv/ only when the requirements changed."""

import subprocess
import sys

import pytest

from workshop import ROOT, bootstrap


@pytest.fixture
def fake_venv(tmp_path, monkeypatch):
    """A venv folder with a (fake) interpreter, and a record of pip runs instead of real ones."""
    python = bootstrap.venv_python(tmp_path)
    python.parent.mkdir(parents=True)
    python.write_text("")
    runs = []
    monkeypatch.setattr(bootstrap.subprocess, "run", lambda args, **kw: runs.append(args) or subprocess.CompletedProcess(args, 0, stdout=str(tmp_path)))
    monkeypatch.setattr(bootstrap, "link_workshop", lambda python: None)
    return tmp_path, runs


def test_installs_once_then_nothing(fake_venv):
    env_dir, runs = fake_venv
    bootstrap.ensure(("requirements-dev.txt",), env_dir)
    assert len(runs) == 1 and str(ROOT / "requirements-dev.txt") in runs[0]
    bootstrap.ensure(("requirements-dev.txt",), env_dir)
    bootstrap.ensure(("requirements.txt",), env_dir)  # installed with requirements-dev.txt, which includes it
    assert len(runs) == 1


def test_a_changed_requirement_file_is_installed_again(fake_venv, monkeypatch):
    env_dir, runs = fake_venv
    bootstrap.ensure(("requirements.txt",), env_dir)
    monkeypatch.setattr(bootstrap, "fingerprint", lambda name: "changed")
    bootstrap.ensure(("requirements.txt",), env_dir)
    assert len(runs) == 2


def test_included_follows_dash_r():
    assert bootstrap.included("requirements-dev.txt") == ["requirements-dev.txt", "requirements.txt"]


def test_requirements_pin_tested_ranges():
    for line in (ROOT / "requirements.txt").read_text().splitlines():
        if line and not line.startswith("#"):
            assert ">=" in line and "<" in line, f"{line!r} needs a tested range"


def test_the_dispatcher_explains_itself():
    done = subprocess.run([sys.executable, "-m", "workshop", "--help"], cwd=ROOT, capture_output=True, text=True, timeout=30)
    assert done.returncode == 0 and "catchup N" in done.stdout
    done = subprocess.run([sys.executable, "-m", "workshop", "frobnicate"], cwd=ROOT, capture_output=True, text=True, timeout=30)
    assert done.returncode == 2
