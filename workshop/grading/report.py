"""The class report: one self-contained HTML page with a score histogram, the pass rate of
every check grouped by step, and the submissions that did not grade cleanly.

Rendered with Jinja2 with autoescaping on: every learner-controlled string is escaped.
No scripts, no network: the charts are plain HTML and CSS bars.
"""

import statistics
from datetime import datetime

from jinja2 import Environment, PackageLoader, select_autoescape

from .. import STEPS
from ..checks import CHECKS
from .gradebook import summarize
from .steps import STEP_TITLES

environment = Environment(loader=PackageLoader("workshop.grading"), autoescape=select_autoescape(default=True))


def histogram(points, max_points):
    """(score, count, height in % of the tallest bar) for every score from 0 to max_points."""
    counts = [points.count(score) for score in range(max_points + 1)]
    tallest = max(counts, default=0) or 1
    return [(score, count, round(100 * count / tallest)) for score, count in enumerate(counts)]


def pass_rates(graded):
    """Per step: its title and (check title, passed, out of, %) for each of its checks."""
    steps = []
    for step in STEPS:
        checks = []
        for check in (c for c in CHECKS if c.step == step):
            passed = sum(r["passed"] for record in graded for r in record["results"] if r["name"] == check.name)
            checks.append((check.title, passed, len(graded), round(100 * passed / len(graded)) if graded else 0))
        steps.append({"step": step, "title": STEP_TITLES[step], "checks": checks})
    return steps


def notebook_rates(records):
    """(notebook, ran clean, out of) for every notebook name seen."""
    names = sorted({n["notebook"] for r in records for n in r.get("notebooks") or []})
    runs = [n for r in records for n in r.get("notebooks") or []]
    return [(name, sum(n["status"] == "ok" for n in runs if n["notebook"] == name),
             sum(n["notebook"] == name for n in runs)) for name in names]


def render(records, with_notebooks=False):
    records = sorted(records, key=lambda r: r["learner"])
    graded = [r for r in records if r["results"]]
    points = [summarize(r)["points"] for r in records]
    return environment.get_template("report.html").render(
        made=datetime.now().strftime("%Y-%m-%d %H:%M"),
        learners=len(records),
        graded=len(graded),
        max_points=len(CHECKS),
        mean=round(statistics.mean(points), 1) if points else None,
        median=statistics.median(points) if points else None,
        histogram=histogram(points, len(CHECKS)),
        steps=pass_rates(graded),
        problems=[r for r in records if r["status"] != "ok"],
        notebooks=notebook_rates(records) if with_notebooks else None,
        rows=[(r, summarize(r)) for r in records],
        step_numbers=list(STEPS),
    )
