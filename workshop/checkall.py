"""``python3 -m workshop check all``: the self-checks of every step, one after the other.

    python3 -m workshop check all [FOLDER] [--format text|github-classroom] [--points FILE]

FOLDER holds part1_basic_app/ (the workshop folder by default). With ``--format github-classroom``
the verdicts go to stderr, and stdout gets one line only, ``result=…``, for $GITHUB_OUTPUT: the
results for GitHub Classroom's reporter (see workshop/grading/classroom.py), each check worth its
points. The exit status is then 0 whatever the checks say, so that the reporter gets them.
"""

import argparse
import sys
from pathlib import Path

from . import ROOT, STEPS, selfcheck
from .grading import classroom, points


def main(argv):
    parser = argparse.ArgumentParser(prog="python3 -m workshop check all", description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", type=Path, nargs="?", default=ROOT, help="the folder holding part1_basic_app/")
    parser.add_argument("--format", choices=("text", "github-classroom"), default="text")
    parser.add_argument("--points", type=Path, help="points.toml: points per check or per step (default: one per check)")
    args = parser.parse_args(argv)
    try:
        weights = points.load(args.points) if args.points else points.default()
    except ValueError as exc:
        parser.error(str(exc))
    reports = [selfcheck.Report(step, selfcheck.run(step, args.folder)) for step in STEPS]
    text = "\n\n".join(map(str, reports))
    if args.format == "text":
        print(text)
        return 0 if all(report.ok for report in reports) else 1
    print(text, file=sys.stderr)
    record = {"status": "ok", "message": "", "results": [r for report in reports for r in report.results]}
    print(classroom.output_line(classroom.results(record, weights)))
    return 0
