"""The dispatcher ``python3 -m workshop COMMAND``.

``COMMAND --help`` answers help and changes nothing (no file written, nothing installed); a
reader that stops early (``| head``) ends a command quietly.
"""

import os
import shutil
import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

import pytest

from workshop import bootstrap
from workshop import ROOT
from workshop.__main__ import COMMANDS

LEFT_OUT = shutil.ignore_patterns(".git", "venv", "venv-*", ".venv", "__pycache__", ".pytest_cache", "instance",
                                  "*.backup-*")


def copy_of_workshop(parent):
    """A copy of the workshop folder, without its venv."""
    copy = parent / "workshop-copy"
    shutil.copytree(ROOT, copy, ignore=LEFT_OUT)
    return copy


def snapshot(folder):
    """Each file under ``folder`` with its size and modification time, and each folder (bytecode caches
    left out: Python writes them on import, and adding one changes its parent folder's time)."""
    return {
        path.relative_to(folder): (path.stat().st_size, path.stat().st_mtime_ns) if path.is_file() else "folder"
        for path in folder.rglob("*")
        if "__pycache__" not in path.parts
    }


def quiet_environment(home):
    """An environment in which nothing can be downloaded and the home folder is a fresh one.

    The programs of the venv running the tests come first on the PATH (``jupyter lab`` looks there).
    """
    return {
        **os.environ, "HOME": str(home), "PYTHONDONTWRITEBYTECODE": "1",
        "PIP_NO_INDEX": "1", "UV_OFFLINE": "1", "WORKSHOP_VENV": "venv",
        "PATH": os.pathsep.join([sysconfig.get_path("scripts"), os.environ.get("PATH", "")]),
    }


@pytest.fixture(scope="module")
def set_up_copy(tmp_path_factory):
    """A workshop copy whose venv has requirements.txt installed, not requirements-dev.txt.

    Its venv borrows the packages of the venv running the tests instead of installing them.
    """
    copy = copy_of_workshop(tmp_path_factory.mktemp("set-up"))
    env_dir = copy / "venv"
    venv.create(env_dir, with_pip=False, symlinks=os.name != "nt")
    own_packages = Path(sysconfig.get_path("purelib", vars={"base": str(env_dir), "platbase": str(env_dir)}))
    (own_packages / "borrowed.pth").write_text(sysconfig.get_path("purelib") + "\n")
    bootstrap.stamp("requirements.txt", env_dir).write_text(bootstrap.fingerprint("requirements.txt"))
    return copy


def run_help(python, command, copy, home):
    """``python -m workshop COMMAND --help`` in the workshop copy ``copy``."""
    return subprocess.run(
        [str(python), "-m", "workshop", command, "--help"],
        cwd=copy, env=quiet_environment(home), capture_output=True, text=True, timeout=120,
    )


@pytest.mark.parametrize("command", COMMANDS)
def test_help_changes_nothing_in_a_set_up_workshop(command, set_up_copy, tmp_path):
    before = snapshot(set_up_copy)
    done = run_help(bootstrap.venv_python(set_up_copy / "venv"), command, set_up_copy, tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "usage" in done.stdout.lower(), done.stdout
    assert snapshot(set_up_copy) == before
    assert not list(tmp_path.iterdir()), "wrote into the home folder"


@pytest.mark.parametrize("command", COMMANDS)
def test_help_in_a_fresh_clone_creates_no_venv(command, tmp_path):
    copy = copy_of_workshop(tmp_path)
    before = snapshot(copy)
    done = run_help(sys._base_executable, command, copy, tmp_path / "home")
    assert done.returncode == 0, done.stdout + done.stderr
    assert command in done.stdout
    assert snapshot(copy) == before


def test_a_reader_that_stops_early_ends_a_command_quietly(starter_parent):
    with subprocess.Popen(
        [sys.executable, "-m", "workshop", "check", "1", str(starter_parent)],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    ) as child:
        child.stdout.close()  # as `| head` does once it has its lines
        errors = child.stderr.read()
        child.wait(60)
    assert "Traceback" not in errors, errors


def test_release_is_left_out_of_the_learners_help():
    done = subprocess.run([sys.executable, "-m", "workshop", "--help"], cwd=ROOT, capture_output=True, text=True,
                          timeout=30)
    assert "catchup N" in done.stdout and "release" not in done.stdout
