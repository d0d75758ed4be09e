"""The set-up entry point: installs into venv/ only when the requirements changed."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from workshop import bootstrap
from workshop import ROOT


class FakeInstallers:
    """Stands in for pip and uv: records the commands the bootstrap runs, installs nothing."""

    def __init__(self, env_dir):
        self.python = bootstrap.venv_python(env_dir)
        self.python.parent.mkdir(parents=True)
        self.python.write_text("")
        self.commands = []
        self.pip_config = ""  # what `pip config list` prints
        self.uv_can_be_installed = True
        self.uv_fails = False
        self.env = None  # the environment of the last command

    def run(self, args, **kwargs):
        self.commands.append(args)
        self.env = kwargs.get("env")
        if args[1:] == [str(self.python), "-m", "pip", "config", "list"][1:]:
            return subprocess.CompletedProcess(args, 0, stdout=self.pip_config)
        if args[-1] == bootstrap.UV:  # pip install uv
            if self.uv_can_be_installed:
                self.python.with_name("uv.exe" if os.name == "nt" else "uv").write_text("")
            return subprocess.CompletedProcess(args, 0 if self.uv_can_be_installed else 1, "", "")
        return subprocess.CompletedProcess(args, int(self.uv_fails and is_uv(args)))

    def installs(self):
        """The commands that installed requirement files."""
        return [args for args in self.commands if "-r" in args]


def is_uv(args):
    return Path(args[0]).stem == "uv"


@pytest.fixture
def installers(tmp_path, monkeypatch):
    fake = FakeInstallers(tmp_path)
    monkeypatch.setattr(bootstrap.subprocess, "run", fake.run)
    monkeypatch.setattr(bootstrap.shutil, "which", lambda name: None)
    monkeypatch.setattr(bootstrap, "finish_venv", lambda python: None)
    return fake


def test_installs_with_uv_once_then_nothing(installers, tmp_path):
    bootstrap.ensure(("requirements-dev.txt",), tmp_path)
    [install] = installers.installs()
    assert is_uv(install) and str(ROOT / "requirements-dev.txt") in install
    assert installers.commands[0][-1] == bootstrap.UV  # uv was installed into the venv first, with pip
    bootstrap.ensure(("requirements-dev.txt",), tmp_path)
    bootstrap.ensure(("requirements.txt",), tmp_path)  # installed with requirements-dev.txt, which includes it
    assert len(installers.installs()) == 1


def test_a_changed_requirement_file_is_installed_again(installers, tmp_path, monkeypatch):
    bootstrap.ensure(("requirements.txt",), tmp_path)
    monkeypatch.setattr(bootstrap, "fingerprint", lambda name: "changed")
    bootstrap.ensure(("requirements.txt",), tmp_path)
    assert len(installers.installs()) == 2


def test_without_uv_it_installs_with_pip_and_once_only(installers, tmp_path, capsys):
    installers.uv_can_be_installed = False
    bootstrap.ensure(("requirements.txt",), tmp_path)
    bootstrap.ensure(("requirements.txt",), tmp_path)
    [install] = installers.installs()
    assert install[:4] == [str(installers.python), "-m", "pip", "install"]
    assert "installing with pip" in capsys.readouterr().err


def test_when_uv_fails_pip_installs(installers, tmp_path, capsys):
    installers.uv_fails = True
    bootstrap.ensure(("requirements.txt",), tmp_path)
    uv, pip = installers.installs()
    assert is_uv(uv) and pip[1:4] == ["-m", "pip", "install"]
    assert "trying pip" in capsys.readouterr().err


def test_uv_on_the_path_is_used_without_installing_it(installers, tmp_path, monkeypatch):
    monkeypatch.setattr(bootstrap.shutil, "which", lambda name: "/opt/bin/uv" if name == "uv" else None)
    bootstrap.ensure(("requirements.txt",), tmp_path)
    assert [args[0] for args in installers.commands if args[-1] == bootstrap.UV or "-r" in args] == ["/opt/bin/uv"]


# `pip config list` on a machine with a local wheel folder and mirrors
PIP_CONFIG = """\
:env:.cert='/etc/ssl/certs/ca-certificates.crt'
:env:.find-links='/opt/wheels'
:env:.index-url='https://mirror.example/simple'
global.constraint='/etc/pip/constraints.txt'
global.extra-index-url='file:///opt/pypi/simple file:///opt/pypi-more/simple'
global.find-links='/srv/wheels'
global.index-url='https://pypi.example/simple'
"""


def test_uv_gets_the_package_sources_pip_is_set_to_use(installers, tmp_path, monkeypatch):
    monkeypatch.delenv("SSL_CERT_FILE", raising=False)
    installers.pip_config = PIP_CONFIG
    bootstrap.ensure(("requirements.txt",), tmp_path)
    [install] = installers.installs()
    assert installers.env["SSL_CERT_FILE"] == "/etc/ssl/certs/ca-certificates.crt"
    options = " ".join(install)
    assert "--index-url https://mirror.example/simple" in options and "pypi.example" not in options  # PIP_* wins
    assert "--find-links /opt/wheels" in options and "/srv/wheels" not in options
    assert "--extra-index-url file:///opt/pypi/simple --extra-index-url file:///opt/pypi-more/simple" in options
    assert "--constraint /etc/pip/constraints.txt" in options
    assert "--index-strategy unsafe-best-match" in options  # like pip, the best version from any index


def test_without_pip_settings_uv_keeps_its_defaults():
    assert bootstrap.uv_options({}) == []


def test_another_venv_folder_can_be_chosen():
    done = subprocess.run(
        [sys.executable, "-c", "from workshop import bootstrap; print(bootstrap.VENV)"],
        cwd=ROOT, env={**os.environ, "WORKSHOP_VENV": "venv-3.10"}, capture_output=True, text=True, check=True,
    )
    assert done.stdout.strip() == str(ROOT / "venv-3.10")


def test_the_venvs_packages_and_the_workshop_have_their_bytecode():
    """Jailed processes run with -B in read-only folders: without bytecode each would compile them again."""
    import importlib.util

    import flask
    import pytest as installed

    import workshop.app_process.zygote as zygote
    for module in (flask, installed, zygote):
        assert Path(importlib.util.cache_from_source(module.__file__)).exists(), module.__name__


def test_included_follows_dash_r():
    assert bootstrap.included("requirements-dev.txt") == ["requirements-dev.txt", "requirements.txt"]


def test_requirements_pin_tested_ranges():
    for line in (ROOT / "requirements.txt").read_text().splitlines():
        if line and not line.startswith("#"):
            assert ">=" in line and "<" in line, f"{line!r} needs a tested range"


def test_the_dispatcher_explains_itself():
    done = subprocess.run([sys.executable, "-m", "workshop", "--help"], cwd=ROOT, capture_output=True, text=True,
                          timeout=30)
    assert done.returncode == 0 and "catchup N" in done.stdout
    done = subprocess.run([sys.executable, "-m", "workshop", "frobnicate"], cwd=ROOT, capture_output=True, text=True,
                          timeout=30)
    assert done.returncode == 2
