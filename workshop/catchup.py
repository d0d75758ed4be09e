"""Bring part1_basic_app/ to its state after step N (``python3 -m workshop catchup N``, see workshop/cli/catchup.py).

The app after each step is generated from the solution where there is one (the instructor's
repository); the learner edition ships it as files in workshop/checkpoints/STEP/, for the steps
the instructor chose (``python3 -m workshop edition --catchup N``), and says so past them.
"""

import sys
from pathlib import Path

from . import APP_NAME
from . import ROOT
from . import selfcheck
from . import SOLUTION_DIR
from . import STEPS
from .apptree import backup
from .apptree import read_tree
from .apptree import write_tree
from .board import client as board

CHECKPOINTS = ROOT / "workshop" / "checkpoints"  # the learner edition's: the app after step N in N/


def has_solution():
    """Whether this is the instructor's repository, where the app after each step is generated from the solution."""
    return (SOLUTION_DIR / APP_NAME).is_dir()


def available_steps():
    """The steps whose app this copy of the workshop can write (all of them, or those the edition ships)."""
    return [step for step in [0, *STEPS] if has_solution() or (CHECKPOINTS / str(step)).is_dir()]


def checkpoint(step):
    """The app after ``step`` as a tree {relative path: content}."""
    if has_solution():
        from .release import render_tree  # the instructor's repository: the learner edition has no release.py

        return render_tree(step)
    return read_tree(CHECKPOINTS / str(step))


def catch_up(step, app_parent=ROOT):
    """Write the app after ``step`` into ``app_parent``; return the backup folder (or None)."""
    app_dir = Path(app_parent) / APP_NAME
    saved = backup(app_dir) if app_dir.exists() else None
    write_tree(checkpoint(step), app_dir)
    board.report_catchup(step)
    return saved


def turned_off(step):
    """Say that catching up to ``step`` is turned off here; the exit code."""
    last = max(available_steps(), default=0)
    print(f"Catching up past step {last} is turned off: your instructor chose so for this workshop.")
    print(f"Ask them for help with step {step}; `python3 -m workshop catchup {last}` still works.")
    return 1


def later_steps_passed(step, app_parent):
    """The steps after ``step`` whose self-checks all pass on the app in ``app_parent``."""
    if not (Path(app_parent) / APP_NAME).exists():
        return []
    return [later for later in STEPS if later > step and all(r["passed"] for r in selfcheck.run(later, app_parent))]


def confirmed(step, passed):
    """Whether the learner wants the app after ``step`` although it passes the ``passed`` steps now."""
    names = ", ".join(map(str, passed))
    print(f"Your app already passes the self-check of step{'s' if len(passed) > 1 else ''} {names}.")
    print(f"Catching up replaces that work with the app after step {step} (yours is saved beside it first).")
    if not sys.stdin.isatty():
        print("Nothing changed: no one is here to answer. To go on anyway, add --yes to the command"
              f" (in a notebook: catchup({step}, yes=True)).")
        return False
    try:
        answer = input("Go on? [y/N] ")
    except (EOFError, KeyboardInterrupt):
        answer = ""
    if answer.strip().lower() in ("y", "yes"):
        return True
    print("Nothing changed.")
    return False


def run(step, app_parent=ROOT, yes=False):
    """Catch up to ``step`` as ``python3 -m workshop catchup`` does, saying what was done: its exit code."""
    if step not in available_steps():
        return turned_off(step)
    if not yes and step < max(STEPS):
        print("Checking which later steps your app passes ...", flush=True)
        passed = later_steps_passed(step, app_parent)
        if passed and not confirmed(step, passed):
            return 1
    saved = catch_up(step, app_parent)
    app_dir = app_parent / APP_NAME
    print(f"{app_dir} is now the app as it is after step {step}.")
    if saved:
        print(f"Your previous version is saved in {saved}.")
        print(f"To undo: delete {app_dir.name}/ and rename {saved.name}/ to {app_dir.name}/.")
    print("In the notebook, run the cells again (from the top) to use the new code.")
    return 0
