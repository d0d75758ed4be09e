"""Create the workshop's virtual environment and keep it in step with the requirements.

Standard library only: this runs with whatever ``python3`` the learner has.
"""

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

from . import ROOT

VENV = ROOT / "venv"
MIN_PYTHON = (3, 10)


def venv_python(env_dir=VENV):
    """The Python interpreter inside a virtual environment."""
    if os.name == "nt":
        return env_dir / "Scripts" / "python.exe"
    return env_dir / "bin" / "python"


def in_venv(env_dir=VENV):
    """Whether this interpreter is the workshop's virtual environment's."""
    return Path(sys.prefix).resolve() == env_dir.resolve()


def included(name):
    """A requirement file and those it includes with ``-r``, recursively."""
    names = [name]
    for line in (ROOT / name).read_text(encoding="utf-8").splitlines():
        if line.startswith("-r "):
            names += included(line[3:].strip())
    return names


def stamp(name, env_dir):
    """The file that records which version of a requirement file is installed."""
    return env_dir / f".installed-{name}.sha256"


def fingerprint(name):
    """A hash of a requirement file and those it includes."""
    return hashlib.sha256(b"".join((ROOT / n).read_bytes() for n in included(name))).hexdigest()


def ensure(requirement_files=("requirements.txt",), env_dir=VENV):
    """Create ``venv/`` if needed and install the requirements that changed since last time."""
    if sys.version_info < MIN_PYTHON:
        sys.exit(f"The workshop needs Python {'.'.join(map(str, MIN_PYTHON))} or newer; this is {sys.version.split()[0]}.")
    python = venv_python(env_dir)
    if not python.exists():
        print(f"Creating the virtual environment {env_dir} ...", flush=True)
        venv.create(env_dir, with_pip=True)
    stale = [name for name in requirement_files if not is_installed(name, env_dir)]
    if not stale:
        return python
    print(f"Installing {', '.join(stale)} into {env_dir.name}/ (the first time takes a minute or two) ...", flush=True)
    args = [str(python), "-m", "pip", "install", "--disable-pip-version-check", "--quiet"]
    for name in stale:
        args += ["-r", str(ROOT / name)]
    subprocess.run(args, check=True)
    link_workshop(python)
    for name in {n for s in stale for n in included(s)}:
        stamp(name, env_dir).write_text(fingerprint(name))
    return python


def is_installed(name, env_dir):
    """Whether this version of a requirement file was installed into ``env_dir``."""
    path = stamp(name, env_dir)
    return path.exists() and path.read_text().strip() == fingerprint(name)


def link_workshop(python):
    """Make the workshop folder importable from the venv (notebooks, pytest, flask)."""
    site = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True, capture_output=True, text=True,
    ).stdout.strip()
    Path(site, "flask_workshop.pth").write_text(str(ROOT) + "\n", encoding="utf-8")
