"""``python3 -m workshop lab``: JupyterLab on the workshop folder, opened at notebook 00."""

import os
import sys

from .. import ROOT
from ..handover import hand_over

FIRST_NOTEBOOK = "notebooks/00_setup_check.ipynb"


def main(argv):
    args = [
        sys.executable, "-m", "jupyter", "lab",
        f"--ServerApp.root_dir={ROOT}",
        "--LabApp.default_url=/lab/tree/" + FIRST_NOTEBOOK,
        *(["--allow-root"] if getattr(os, "geteuid", lambda: 1)() == 0 else []),  # containers run as root
        *argv,
    ]
    return hand_over(args, ROOT)
