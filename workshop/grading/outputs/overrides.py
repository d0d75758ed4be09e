"""The instructor's overrides: ``overrides.csv`` in the output folder, applied after grading.

One row per decision: ``learner, check, points, comment``; ``check`` names a check or is
``total``. The grader never writes to the file once it exists, so a regrade or ``--resume``
keeps every decision. It is read once, before grading starts: a change made while the
submissions are graded is not taken (the grader warns of it).
"""

import csv
import hashlib
import math
import os
from dataclasses import dataclass

from ...judge import CHECKS
from .roster import match_key

FILE = "overrides.csv"
HEADER = ["learner", "check", "points", "comment"]
TOTAL = "total"


@dataclass(frozen=True)
class Override:
    learner: str
    check: str
    points: float
    comment: str


def load(folder):
    """(overrides, warnings) from folder/overrides.csv; the file is created with its header if absent."""
    path = folder / FILE
    if not path.exists():
        with open(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "w", newline="",
                  encoding="utf-8") as file:
            csv.writer(file).writerow(HEADER)
        return [], []
    with open(path, newline="", encoding="utf-8-sig") as file:
        rows = list(csv.DictReader(file))
    names = {check.name for check in CHECKS} | {TOTAL}
    found, warnings = [], []
    for line, row in enumerate(rows, start=2):
        learner, check = (row.get("learner") or "").strip(), (row.get("check") or "").strip()
        if not learner and not check:
            continue
        try:
            points = float(row.get("points") or "")
        except ValueError:
            points = math.nan
        if check not in names or not math.isfinite(points) or points < 0:
            warnings.append(f"{FILE}, line {line}: ignored (check must be a check's name or {TOTAL!r},"
                            " points a number of at least 0)")
            continue
        found.append(Override(learner, check, points, (row.get("comment") or "").strip()))
    return found, warnings


def fingerprint(folder):
    """A hash of folder/overrides.csv as it is now (None when there is none)."""
    try:
        return hashlib.sha256((folder / FILE).read_bytes()).hexdigest()
    except FileNotFoundError:
        return None


def for_learner(overrides, names):
    """The overrides whose learner is one of ``names`` (compared as the roster compares them)."""
    keys = {match_key(name) for name in names if name}
    return [o for o in overrides if match_key(o.learner) in keys]
