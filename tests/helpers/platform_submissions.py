"""The submissions that the platform exports are tried on, and what the grader gives each of them.

Each kind is written as a learner uploads it: the app folder at the top, a whole clone, an app one
folder down; the same points file weights them on the platform and in the grader.
"""

import csv
import subprocess
import sys
from pathlib import Path

from helpers.grading_submissions import app
from helpers.grading_submissions import at_import
from helpers.grading_submissions import FINISHED
from helpers.grading_submissions import prepended
from helpers.grading_submissions import write_app
from helpers.mistakes import apply
from helpers.mistakes import MISTAKES
from workshop import ROOT

MISTAKE = next(m for m in MISTAKES if m.name == "wsgi status not ok")  # fails raw_wsgi_app_answers
POINTS_TOML = """\
[steps]
6 = 2
[checks]
raw_wsgi_app_answers = 3
"""


def write_clone(folder):
    """A whole clone of the workshop, at the top of the upload: the learner's app after step 3 beside the solution."""
    write_app(folder, app(3))
    write_app(folder / "solutions", app(FINISHED))
    (folder / "README.md").write_text("# Introduction to Flask\n", encoding="utf-8")
    (folder / "requirements.txt").write_text("flask\n", encoding="utf-8")


KINDS = {
    "finished": lambda folder: write_app(folder, app(FINISHED)),
    "starter": lambda folder: write_app(folder, app(0)),
    "whole-clone": write_clone,
    "planted-mistake": lambda folder: write_app(folder, apply(MISTAKE, app(FINISHED)), root="my-work"),
    "syntax-error": lambda folder: write_app(folder, prepended(app(FINISHED), "pages.py", "def broken(:")),
    "loop-at-import": lambda folder: write_app(folder, at_import("while True:\n    pass")),
}


def write_points(folder):
    path = Path(folder) / "points.toml"
    path.write_text(POINTS_TOML, encoding="utf-8")
    return path


def start_grader(folder, kinds, points_file, timeout):
    """Start ``workshop grade`` on ``kinds`` (one folder each in ``folder``/submissions); the process and its --out."""
    submissions, out = Path(folder, "submissions"), Path(folder, "grades")
    for kind in kinds:
        KINDS[kind](submissions / kind)
    command = [sys.executable, "-m", "workshop.grading", str(submissions), "--out", str(out),
               "--points", str(points_file), "--timeout", str(timeout), "-j", "2"]
    return subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True), out


def grader_points(process, out):
    """{learner: points} from the grader's grades.csv once ``process`` is done (a blank is 0 points)."""
    stdout, stderr = process.communicate(timeout=300)
    assert process.returncode == 0, stderr
    with open(out / "grades.csv", encoding="utf-8", newline="") as file:
        return {row["learner"]: float(row["points"] or 0) for row in csv.DictReader(file)}
