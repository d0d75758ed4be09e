"""``python3 -m workshop check STEP``: the self-check of step STEP (1 to 6) against part1_basic_app/.

    python3 -m workshop check STEP [--app-parent FOLDER]
    python3 -m workshop check all [--app-parent FOLDER] [--format text|github-classroom] [--points FILE]

FOLDER holds part1_basic_app/ (the workshop folder by default). The exit status is 0 when every check
passes. ``check all`` runs the self-checks of every step, one after the other. With --format
github-classroom the verdicts go to stderr, and stdout gets one line only, result=..., for
$GITHUB_OUTPUT: the results for GitHub Classroom's reporter (see workshop/grading/platforms/classroom.py), each
check worth its points. The exit status is then 0 whatever the checks say, so that the reporter gets them.
"""

import argparse
import sys
from pathlib import Path

from .. import ROOT
from .. import STEPS
from ..early import start
from . import command_parser


def step(text):
    """A step number from 1 to 6, or "all" (for argparse)."""
    if text == "all" or (text.isdigit() and int(text) in STEPS):
        return text
    raise argparse.ArgumentTypeError(f"{text!r} is not a step: choose from {', '.join(map(str, STEPS))} or all")


def parse(argv):
    parser = command_parser("check", __doc__)
    parser.add_argument("step", type=step, metavar="STEP",
                        help="the step whose checks run (1 to 6), or all: every step")
    parser.add_argument("folder", type=Path, nargs="?", help=argparse.SUPPRESS)  # the older spelling of --app-parent
    parser.add_argument("--app-parent", type=Path, metavar="FOLDER",
                        help="the folder holding part1_basic_app/ (default: the workshop)")
    parser.add_argument("--format", choices=("text", "github-classroom"), default="text",
                        help="check all only: how to report")
    parser.add_argument("--points", type=Path,
                        help="check all only: points.toml, points per check or per step (default: one per check)")
    args = parser.parse_args(argv)
    if args.folder and args.app_parent and args.folder != args.app_parent:
        parser.error("give the folder once: --app-parent FOLDER")
    args.app_parent = args.app_parent or args.folder or ROOT
    if args.step != "all" and (args.format != "text" or args.points):
        parser.error("--format and --points go with check all only")
    if args.step == "all":
        from ..grading.outputs import points  # it imports the judge: a step's check starts its app process first

        try:
            args.weights = points.load(args.points) if args.points else points.default()
        except ValueError as exc:
            parser.error(str(exc))
    return args


def main(argv):
    args = parse(argv)
    # the app process imports Flask while this one imports the judge (step 5's run from a warm worker)
    early = start(args.app_parent) if args.step not in ("all", "5") else None
    from .. import selfcheck
    from ..judge import sessions

    if early and int(args.step) in sessions.STEPS:  # while the app process starts (Flask: a fifth of a self-check)
        sessions.import_flask()

    if args.step != "all":
        report = selfcheck.Report(int(args.step), selfcheck.run(int(args.step), args.app_parent, early=early))
        print(report)
        return 0 if report.ok else 1
    reports = [selfcheck.Report(step, selfcheck.run(step, args.app_parent)) for step in STEPS]
    text = "\n\n".join(map(str, reports))
    if args.format == "text":
        print(text)
        return 0 if all(report.ok for report in reports) else 1
    from ..grading.platforms import classroom

    print(text, file=sys.stderr)
    record = {"status": "ok", "message": "", "results": [r for report in reports for r in report.results]}
    print(classroom.output_line(classroom.results(record, args.weights)))
    return 0
