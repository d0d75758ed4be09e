"""``python3 -m workshop test``: the workshop's own test suite, on every core when pytest-xdist is installed."""

import importlib.util
import sys

from .. import ROOT
from ..handover import hand_over


def main(argv):
    return hand_over([sys.executable, "-m", "pytest", *parallel(argv), *argv], ROOT)


def parallel(argv):
    """pytest-xdist's options, one worker per core, unless the arguments choose (``-n 0`` runs in this process)."""
    chosen = any(a.startswith(("-n", "--numprocesses", "--dist")) or a.endswith("no:xdist") for a in argv)
    if chosen or importlib.util.find_spec("xdist") is None:
        return []
    return ["-n", "auto"]  # tests/conftest.py keeps a module's tests on one worker
