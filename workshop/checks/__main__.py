"""Run the checks in this process and print the results as JSON on stdout.

    python -m workshop.checks APP_PARENT --steps 1 2 3

APP_PARENT is the folder that holds part1_basic_app/. Used by the self-check and the
grader, which run it in a separate process so that a learner's endless loop or crash
never reaches them.
"""

import argparse
import json
import sys

from . import run_checks


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m workshop.checks")
    parser.add_argument("app_parent")
    parser.add_argument("--steps", type=int, nargs="+", default=list(range(1, 7)))
    args = parser.parse_args(argv)
    stdout = sys.stdout
    results = run_checks(args.app_parent, args.steps)
    stdout.write(json.dumps([r.to_dict() for r in results]) + "\n")
    stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
