"""Tools for the Flask workshop: set-up, self-checks, catch-up, grading."""

import importlib
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APP_NAME = "part1_basic_app"
SOLUTION_DIR = ROOT / "solutions"
STEPS = range(1, 7)
IN_BROWSER = sys.platform == "emscripten"  # the browser edition (Pyodide): no second process, port or venv


def forget_app():
    """Forget any import of ``part1_basic_app``, so that the next one reads its files again."""
    for name in [n for n in sys.modules if n == APP_NAME or n.startswith(APP_NAME + ".")]:
        del sys.modules[name]
    importlib.invalidate_caches()
