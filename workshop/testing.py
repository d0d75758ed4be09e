"""``python3 -m workshop test``: the workshop's own test suite."""

import subprocess
import sys

from . import ROOT


def main(argv):
    return subprocess.call([sys.executable, "-m", "pytest", *argv], cwd=ROOT)
