"""``python3 -m workshop export PLATFORM``: grade where a course already grades.

    export gradescope [--out autograder.zip] [--points points.toml] [--timeout S]
    export github-classroom --out DIR [--points points.toml] [--catchup N]

``gradescope`` writes the autograder zip to upload to a Gradescope programming assignment
(see workshop/grading/platforms/autograder_zip.py). ``github-classroom`` writes the template repository of a GitHub
Classroom assignment into DIR: the learner edition (see workshop/edition.py), without the
solution, and its workflow .github/workflows/classroom.yml (see workshop/grading/platforms/classroom.py); with
``--points`` the file is copied to DIR/.github/classroom/points.toml, where the workflow reads it. A folder
that holds solutions/ (the workshop itself) is refused.
"""

from pathlib import Path

from .. import edition
from ..grading.outputs import points
from ..grading.platforms import autograder_zip
from ..grading.platforms import classroom
from . import command_parser
from .edition import catchup_option

CLASSROOM_POINTS = ".github/classroom/points.toml"


def parse(argv):
    parser = command_parser("export", __doc__)
    platforms = parser.add_subparsers(dest="platform", required=True, metavar="PLATFORM")
    gradescope = platforms.add_parser("gradescope", help="an autograder zip for Gradescope")
    gradescope.add_argument("--out", type=Path, default=Path("autograder.zip"),
                            help="the zip to write (default autograder.zip)")
    gradescope.add_argument("--timeout", type=float,
                            help="seconds allowed to each submission's checks (default: the grader's)")
    github = platforms.add_parser("github-classroom", help="GitHub Classroom's template repository, with its workflow")
    github.add_argument("--out", type=Path, required=True, help="the template repository's folder")
    catchup_option(github)
    for platform in (gradescope, github):
        platform.add_argument("--points", type=Path,
                              help="points.toml: points per check or per step (default: one per check)")
    args = parser.parse_args(argv)
    try:
        args.weights = points.load(args.points) if args.points else points.default()
    except ValueError as exc:
        parser.error(str(exc))
    if getattr(args, "timeout", None) is not None and args.timeout <= 0:
        parser.error("--timeout must be positive")
    if args.platform == "github-classroom" and edition.refuse(args.out):
        parser.error(edition.refuse(args.out))
    return args


def main(argv):
    args = parse(argv)
    if args.platform == "gradescope":
        args.out.parent.mkdir(parents=True, exist_ok=True)
        autograder_zip.write(args.out, args.points, args.timeout)
        print(f"Wrote {args.out}: upload it as the autograder of a Gradescope programming assignment"
              f" ({points.number(sum(args.weights.values()))} points).")
        return 0
    workflow = f".github/workflows/{classroom.WORKFLOW}"
    extra = {workflow: classroom.workflow(CLASSROOM_POINTS if args.points else None)}
    if args.points:
        extra[CLASSROOM_POINTS] = args.points.read_bytes()
    edition.write(args.out, args.catchup, extra)
    committed = edition.commit(args.out, "The Flask workshop, learner edition, with GitHub Classroom's autograding")
    files, total = edition.size(args.out)
    commit = ", one git commit" if committed else ""
    print(f"Wrote the template repository {args.out} ({files} files, {total:,} bytes{commit}):"
          f" the learner edition and {workflow} ({points.number(sum(args.weights.values()))} points).")
    print("Push it to GitHub, mark it as a template, and create the assignment from it (see the README).")
    return 0
