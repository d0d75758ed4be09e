"""``python3 -m workshop lab``: JupyterLab on the workshop folder, opened at notebook 00."""

import os
import sys

from . import ROOT
from .handover import hand_over

FIRST_NOTEBOOK = "notebooks/00_setup_check.ipynb"
# labconfig/page_config.json there turns off the "Jupyter news" question on first start
JUPYTER_CONFIG = ROOT / "workshop" / "jupyter_config"


def main(argv):
    args = [
        sys.executable, "-m", "jupyter", "lab",
        f"--ServerApp.root_dir={ROOT}",
        "--LabApp.default_url=/lab/tree/" + FIRST_NOTEBOOK,
        *(["--allow-root"] if getattr(os, "geteuid", lambda: 1)() == 0 else []),  # containers run as root
        *argv,
    ]
    config_path = [str(JUPYTER_CONFIG), *filter(None, [os.environ.get("JUPYTER_CONFIG_PATH")])]
    env = {**os.environ, "JUPYTER_CONFIG_PATH": os.pathsep.join(config_path)}
    return hand_over(args, ROOT, env)
