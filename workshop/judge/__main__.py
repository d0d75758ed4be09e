"""Run the checks against an app and print the results as one JSON list.

    python -m workshop.judge APP_PARENT [--steps 1 2 3] [--isolation auto|bwrap|none]

APP_PARENT is the folder that holds part1_basic_app/.
"""

import argparse
import json
import sys
import tempfile
from pathlib import Path

from .. import APP_NAME
from .. import jailfiles
from ..jail.isolation import choose
from . import judge


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m workshop.judge")
    parser.add_argument("app_parent")
    parser.add_argument("--steps", type=int, nargs="+", default=list(range(1, 7)))
    parser.add_argument("--isolation", choices=["auto", "bwrap", "none"], default="none")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="workshop-judge-") as writable:
        jail = choose(args.isolation, writable)
        app_parent = Path(args.app_parent)
        if jail.isolated:  # the jail sees only its own folder: judge a copy there
            app_parent = Path(writable, "app")
            jailfiles.copy_tree(Path(args.app_parent, APP_NAME).resolve(), app_parent / APP_NAME,
                                ignore={"__pycache__"})
        run = judge(app_parent, args.steps, jail=jail)
    print(json.dumps(run.results, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
