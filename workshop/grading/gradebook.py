"""The gradebook: one CSV row per learner with points per step, status and reason."""

import csv

from .. import STEPS
from ..checks import CHECKS

COLUMNS = ["learner", "points", "max_points", *(f"step{n}" for n in STEPS), "status", "message"]
NOTEBOOK_COLUMNS = ["notebooks_clean", "notebooks"]
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def summarize(record):
    """The record's scores: points, max_points and stepN (checks passed in step N)."""
    passed = [r for r in record["results"] if r["passed"]]
    return {
        "points": len(passed),
        "max_points": len(CHECKS),
        **{f"step{n}": sum(r["step"] == n for r in passed) for n in STEPS},
    }


def row(record, with_notebooks):
    values = {"learner": record["learner"], **summarize(record), "status": record["status"], "message": record["message"]}
    if with_notebooks:
        notebooks = record.get("notebooks") or []
        values["notebooks_clean"] = sum(n["status"] == "ok" for n in notebooks)
        values["notebooks"] = len(notebooks)
    return {key: spreadsheet_safe(value) for key, value in values.items()}


def spreadsheet_safe(value):
    """Text that a spreadsheet will not run as a formula (learner ids and messages are theirs)."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def write_csv(path, records, with_notebooks=False):
    """Write grades.csv, sorted by learner."""
    columns = COLUMNS + (NOTEBOOK_COLUMNS if with_notebooks else [])
    with open(path, "w", newline="", encoding="utf-8") as file:
        writer = csv.DictWriter(file, columns)
        writer.writeheader()
        for record in sorted(records, key=lambda r: r["learner"]):
            writer.writerow(row(record, with_notebooks))
