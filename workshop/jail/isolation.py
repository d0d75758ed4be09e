"""Where a learner's process may look and write: a bubblewrap jail on Linux, or rlimits alone.

In the jail (``bwrap``, the sandbox Flatpak uses) the process sees Python, the venv and the
workshop package read-only, one folder read-write (the private copy of the submission and
the judge's scratch files), a /tmp and /dev/shm of TMPFS_MB each, a read-only /dev and a /proc
of its own, and nothing else: no network,
no other process (its own PID namespace), not the submissions folder, not the other learners,
not the grader's outputs, not the home folder.
"""

import functools
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from .. import ROOT

SYSTEM = ("/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32")
TMPFS_MB = 64  # each of the jail's /tmp and /dev/shm
PACKAGE = "Debian/Ubuntu: sudo apt-get install bubblewrap; Fedora: sudo dnf install bubblewrap"


@dataclass(frozen=True)
class Jail:
    """How a learner's processes run: ``isolation`` "bwrap" or "none"; ``writable`` the one folder they may
    write; ``code`` the folder whose ``workshop`` package they import (read-only in the jail)."""

    isolation: str = "none"
    writable: Path = None
    code: Path = ROOT

    @property
    def isolated(self):
        return self.isolation == "bwrap"

    def wrap(self, command, cwd):
        """``command`` as it runs in this jail, from ``cwd``."""
        if not self.isolated:
            return command
        return [shutil.which("bwrap"), *bwrap_arguments(self.writable, cwd, self.code), "--", *command]


def bwrap_arguments(writable, cwd, code=ROOT):
    # A private /tmp first: Python, the venv or the workshop may live under /tmp, and are bound into it below.
    arguments = ["--unshare-all", "--die-with-parent", "--new-session", "--cap-drop", "ALL", *sized_tmpfs("/tmp")]
    for top in SYSTEM:
        path = Path(top)
        if path.is_symlink():
            arguments += ["--symlink", str(path.readlink()), top]
        elif path.is_dir():
            arguments += ["--ro-bind", top, top]
    for folder in sorted({sys.base_prefix, sys.prefix, sys.exec_prefix, str(Path(code) / "workshop")}):
        if not any(Path(folder).is_relative_to(top) for top in SYSTEM):
            arguments += ["--ro-bind", folder, folder]
    arguments += ["--dev", "/dev", *sized_tmpfs("/dev/shm"), "--remount-ro", "/dev", "--proc", "/proc"]
    if writable:
        arguments += ["--bind", str(writable), str(writable)]
    return [*arguments, "--chdir", str(cwd)]


def sized_tmpfs(path):
    """A tmpfs at ``path`` of TMPFS_MB at most (without a size a tmpfs may take half of the memory)."""
    return ["--size", str(TMPFS_MB * 1024 * 1024), "--tmpfs", path]


@functools.cache
def bwrap_works():
    """Whether bwrap is installed and may make namespaces here (a container may forbid it)."""
    if not shutil.which("bwrap") or not sys.platform.startswith("linux"):
        return False
    command = [shutil.which("bwrap"), *bwrap_arguments(None, "/"), "--", sys.executable, "-c", "pass"]
    try:
        return subprocess.run(command, capture_output=True, timeout=30).returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        return False


def resolve(isolation):
    """"bwrap" or "none" for ``isolation`` ("auto", "bwrap" or "none"); ValueError when bwrap is required but
    cannot run."""
    if isolation == "none" or (isolation == "auto" and not bwrap_works()):
        return "none"
    if not bwrap_works():
        raise ValueError(f"--isolation bwrap needs bubblewrap (bwrap), which cannot run here. {PACKAGE}.")
    return "bwrap"


def choose(isolation, writable):
    """The Jail for ``isolation`` ("auto", "bwrap" or "none") writing in ``writable`` (see ``resolve``)."""
    return Jail(resolve(isolation), writable)
