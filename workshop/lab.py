"""``python3 -m workshop lab``: JupyterLab on the notebooks, starting at notebook 00."""

import subprocess
import sys

from . import ROOT

FIRST_NOTEBOOK = "00_setup_check.ipynb"


def main(argv):
    args = [
        sys.executable, "-m", "jupyter", "lab",
        f"--ServerApp.root_dir={ROOT / 'notebooks'}",
        "--LabApp.default_url=/lab/tree/" + FIRST_NOTEBOOK,
        *argv,
    ]
    try:
        return subprocess.call(args, cwd=ROOT / "notebooks")
    except KeyboardInterrupt:
        return 0
