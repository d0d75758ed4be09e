"""``python3 -m workshop test``: the workshop's own test suite."""

import sys

from .. import ROOT
from ..handover import hand_over


def main(argv):
    return hand_over([sys.executable, "-m", "pytest", *argv], ROOT)
