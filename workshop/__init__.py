"""Tools for the Flask workshop: set-up, self-checks, catch-up, grading."""

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APP_NAME = "part1_basic_app"
SOLUTION_DIR = ROOT / "solutions"
STEPS = range(1, 7)
