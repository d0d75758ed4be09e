"""``python3 -m workshop export PLATFORM``: grade where a course already grades.

    export gradescope [--out autograder.zip] [--points points.toml] [--timeout S]
    export github-classroom [--out DIR] [--points points.toml]

``gradescope`` writes the autograder zip to upload to a Gradescope programming assignment
(see autograder_zip.py). ``github-classroom`` writes DIR/.github/workflows/classroom.yml for the
template repository of a GitHub Classroom assignment (see classroom.py); with ``--points`` the
file is copied to DIR/.github/classroom/points.toml, where the workflow reads it.
"""

import argparse
import shutil
from pathlib import Path

from . import autograder_zip, classroom, outputs, points

CLASSROOM_POINTS = ".github/classroom/points.toml"


def parse(argv):
    parser = argparse.ArgumentParser(prog="python3 -m workshop export", description=__doc__.split("\n\n")[0])
    platforms = parser.add_subparsers(dest="platform", required=True, metavar="PLATFORM")
    gradescope = platforms.add_parser("gradescope", help="an autograder zip for Gradescope")
    gradescope.add_argument("--out", type=Path, default=Path("autograder.zip"), help="the zip to write (default autograder.zip)")
    gradescope.add_argument("--timeout", type=float, help="seconds allowed to each submission's checks (default: the grader's)")
    github = platforms.add_parser("github-classroom", help="the autograding workflow for GitHub Classroom")
    github.add_argument("--out", type=Path, default=Path("."), help="the template repository's folder (default: here)")
    for platform in (gradescope, github):
        platform.add_argument("--points", type=Path, help="points.toml: points per check or per step (default: one per check)")
    args = parser.parse_args(argv)
    try:
        args.weights = points.load(args.points) if args.points else points.default()
    except ValueError as exc:
        parser.error(str(exc))
    if getattr(args, "timeout", None) is not None and args.timeout <= 0:
        parser.error("--timeout must be positive")
    return args


def main(argv):
    args = parse(argv)
    if args.platform == "gradescope":
        args.out.parent.mkdir(parents=True, exist_ok=True)
        autograder_zip.write(args.out, args.points, args.timeout)
        print(f"Wrote {args.out}: upload it as the autograder of a Gradescope programming assignment"
              f" ({points.number(sum(args.weights.values()))} points).")
        return 0
    workflow = args.out / ".github" / "workflows" / classroom.WORKFLOW
    workflow.parent.mkdir(parents=True, exist_ok=True)
    if args.points:
        (args.out / CLASSROOM_POINTS).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(args.points, args.out / CLASSROOM_POINTS)
    outputs.write_text(workflow, classroom.workflow(CLASSROOM_POINTS if args.points else None))
    print(f"Wrote {workflow}: commit it to the assignment's template repository"
          f" ({points.number(sum(args.weights.values()))} points).")
    return 0
