"""``python3 -m workshop catchup N``: bring part1_basic_app/ to its state after step N.

Your current folder is first saved beside it with a timestamp, so no work is lost.
"""

import argparse
import shutil
import time
from pathlib import Path

from . import APP_NAME, ROOT, STEPS
from .board import client as board
from .release import render_tree, write_tree


def backup(app_dir):
    """Copy ``app_dir`` to a new timestamped folder beside it; return that folder."""
    stamp = time.strftime("%Y%m%d-%H%M%S")
    target = app_dir.with_name(f"{app_dir.name}.backup-{stamp}")
    number = 1
    while target.exists():
        number += 1
        target = app_dir.with_name(f"{app_dir.name}.backup-{stamp}-{number}")
    shutil.copytree(app_dir, target, ignore=shutil.ignore_patterns("__pycache__"))
    return target


def catch_up(step, app_parent=ROOT):
    """Write the app after ``step`` into ``app_parent``; return the backup folder (or None)."""
    app_dir = Path(app_parent) / APP_NAME
    saved = backup(app_dir) if app_dir.exists() else None
    write_tree(render_tree(step), app_dir)
    board.report_catchup(step)
    return saved


def main(argv):
    parser = argparse.ArgumentParser(prog="python3 -m workshop catchup", description=__doc__)
    parser.add_argument("step", type=int, choices=[0, *STEPS], help="the step just finished (0 = the starter)")
    parser.add_argument("--app-parent", type=Path, default=ROOT, help="the folder holding part1_basic_app/")
    args = parser.parse_args(argv)
    saved = catch_up(args.step, args.app_parent)
    app_dir = args.app_parent / APP_NAME
    print(f"{app_dir} is now the app as it is after step {args.step}.")
    if saved:
        print(f"Your previous version is saved in {saved}.")
        print(f"To undo: delete {app_dir.name}/ and rename {saved.name}/ to {app_dir.name}/.")
    print("In the notebook, run the cells again (from the top) to use the new code.")
    return 0
