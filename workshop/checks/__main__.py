"""Run the checks in this process.

    python -m workshop.checks APP_PARENT [--steps 1 2 3] [--results FILE]

APP_PARENT is the folder that holds part1_basic_app/. With ``--results``, the first line
of standard input is the key, and each event is sent, signed, to FILE as it happens
(see channel.py): that is how the self-check and the grader run it, in a separate
process, so that a learner's endless loop or crash never reaches them. Without it, the
results are printed as one JSON list, for a person trying the checks by hand.
"""

import argparse
import json
import sys

from . import run_checks
from .channel import Writer


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m workshop.checks")
    parser.add_argument("app_parent")
    parser.add_argument("--steps", type=int, nargs="+", default=list(range(1, 7)))
    parser.add_argument("--results", help="the file to send signed events to; the key comes on stdin")
    args = parser.parse_args(argv)
    if args.results:
        writer = Writer(args.results, sys.stdin.readline().strip())
        run_checks(args.app_parent, args.steps, emit=writer.send, hard_stop=True)
        return 0
    results = run_checks(args.app_parent, args.steps)
    print(json.dumps([r.to_dict() for r in results], indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
