"""The class report: one self-contained HTML page that says what to re-teach.

For every check, the pass rate among the learners who reached its step (passed anything in it
or in a later step) beside the rate over everyone graded; the most common causes of failure;
the score histogram and mean of the graded submissions, with the ungraded ones listed apart;
the flags raised for a human look, with the code of alike apps side by side; the learners left
out of the platforms' import files; every learner's row linked to their feedback.

Rendered with Jinja2 with autoescaping on: every learner-controlled string is escaped.
No scripts, no network: the charts are plain HTML and CSS bars.
"""

import math
import statistics
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import quote

from jinja2 import Environment
from jinja2 import PackageLoader
from jinja2 import select_autoescape

from ... import STEPS
from ...judge import CHECKS
from ..grader import isolation
from ..steps import STEP_TITLES
from .feedback import NOT_RUN
from .points import number

environment = Environment(loader=PackageLoader("workshop.grading.outputs"), autoescape=select_autoescape(default=True))
environment.filters["points"] = lambda value: "" if value is None else number(value)
COMMON_CAUSES = 10
PAIRS_SHOWN = 30  # alike pairs shown side by side; grades.csv flags them all


@dataclass(frozen=True)
class Rate:
    title: str
    passed: int
    attempted: int
    overall_passed: int
    graded: int

    @property
    def percent(self):
        return round(100 * self.passed / self.attempted) if self.attempted else None

    @property
    def overall(self):
        return round(100 * self.overall_passed / self.graded) if self.graded else None


def feedback_link(entry):
    """The address of the learner's plain-text feedback, relative to the report."""
    stem = (entry.record or {}).get("feedback_file")
    return f"feedback/{quote(stem)}.txt" if stem else None


def reached(record):
    """The last step in which the learner passed a check (0 for none)."""
    return max((r["step"] for r in record["results"] if r["passed"]), default=0)


def histogram(points, max_points):
    """(score, count, height in % of the tallest bar) for every whole score from 0 to max_points.

    A score above max_points (an override may give a bonus) counts as max_points.
    """
    top = math.ceil(max_points)
    counts = [sum(min(math.floor(p), top) == score for p in points) for score in range(top + 1)]
    tallest = max(counts, default=0) or 1
    return [(score, count, round(100 * count / tallest)) for score, count in enumerate(counts)]


def passes(entries, name):
    """How many of ``entries`` passed the check ``name``."""
    return sum(any(r["name"] == name and r["passed"] for r in e.record["results"]) for e in entries)


def pass_rates(graded):
    """Per step: its title, how many reached it, and a Rate for each of its checks."""
    steps = []
    for step in STEPS:
        attempted = [e for e in graded if reached(e.record) >= step]
        rates = [Rate(check.title, passes(attempted, check.name), len(attempted), passes(graded, check.name),
                      len(graded))
                 for check in CHECKS if check.step == step]
        steps.append({"step": step, "title": STEP_TITLES[step], "reached": len(attempted), "rates": rates})
    return steps


def common_causes(graded, limit=COMMON_CAUSES):
    """The failure messages that hit the most learners in steps they reached: (message, checks, entries).

    A check that did not run (the checks stopped before it) is not a cause.
    """
    causes = {}
    for entry in graded:
        for r in entry.record["results"]:
            if not r["passed"] and r["step"] <= reached(entry.record) and NOT_RUN not in r["message"]:
                cause = causes.setdefault(r["message"], {"checks": {}, "entries": {}})
                cause["checks"][r["title"]] = None
                cause["entries"][entry.learner] = entry
    ranked = sorted(causes.items(), key=lambda item: -len(item[1]["entries"]))
    return [(message, list(c["checks"]), list(c["entries"].values())) for message, c in ranked[:limit]]


def notebook_rates(records):
    """(notebook, ran clean, out of) for every notebook name seen."""
    runs = [n for r in records for n in r.get("notebooks") or []]
    names = sorted({n["notebook"] for n in runs})
    return [(name, sum(n["status"] == "ok" for n in runs if n["notebook"] == name),
             sum(n["notebook"] == name for n in runs)) for name in names]


def alike_pairs(entries):
    """(entry, copy) for each flagged match of similarity.py, a pair of learners once, the most alike first."""
    pairs, seen = [], set()
    for entry in entries:
        for copy in (entry.record or {}).get("copies", []):
            pair = frozenset((entry.learner, copy["learner"] or copy["other"]))
            if pair not in seen:
                seen.add(pair)
                pairs.append((entry, copy))
    return sorted(pairs, key=lambda pair: -pair[1]["percent"])


def render(entries, with_notebooks=False, left_out=None):
    """The report's HTML; ``left_out``: the learners the platforms' files leave out (None: no such files)."""
    graded = [e for e in entries if e.graded]
    points = [e.points for e in graded]
    max_points = entries[0].max_points if entries else len(CHECKS)
    return environment.get_template("report.html").render(
        made=datetime.now().strftime("%Y-%m-%d %H:%M"),
        entries=entries,
        graded=graded,
        ungraded=[e for e in entries if not e.graded],
        max_points=max_points,
        checks=len(CHECKS),
        mean=round(statistics.mean(points), 1) if points else None,
        median=statistics.median(points) if points else None,
        histogram=histogram(points, max_points),
        steps=pass_rates(graded),
        causes=common_causes(graded),
        flagged=[e for e in entries if e.flags],
        copies=alike_pairs(entries)[:PAIRS_SHOWN],
        copies_left_out=max(len(alike_pairs(entries)) - PAIRS_SHOWN, 0),
        notebooks=notebook_rates([e.record for e in entries if e.record]) if with_notebooks else None,
        link=feedback_link,
        step_numbers=list(STEPS),
        left_out=left_out,
        isolation=isolation([e.record for e in entries if e.record]),
    )
