"""``python3 -m workshop release``: regenerate the starter part1_basic_app/ from the solution (for maintainers).

A part1_basic_app/ that differs from the starter may hold a learner's work: it is replaced
only with --force, and then saved beside it first, as catchup does.
"""

from pathlib import Path

from .. import APP_NAME
from .. import ROOT
from ..apptree import backup
from ..apptree import write_tree
from ..release import changed_files
from ..release import render_tree
from . import command_parser


def main(argv=()):
    parser = command_parser("release", __doc__)
    parser.add_argument("--force", action="store_true", help="replace a part1_basic_app/ that differs from the starter")
    parser.add_argument("--app-parent", type=Path, metavar="FOLDER", default=ROOT,
                        help="the folder holding part1_basic_app/ (default: the workshop)")
    args = parser.parse_args(argv)
    app_dir, starter = args.app_parent / APP_NAME, render_tree(0)
    changed = changed_files(starter, app_dir) if app_dir.exists() else []
    if changed and not args.force:
        listed = ", ".join(changed[:5]) + (", ..." if len(changed) > 5 else "")
        print(f"Nothing changed: {app_dir} differs from the starter in {len(changed)} file(s) ({listed}),")
        print("which may be someone's work. To replace it, keeping a backup beside it, add --force.")
        return 1
    saved = backup(app_dir) if changed else None
    write_tree(starter, app_dir)
    print(f"{app_dir} is the starter generated from solutions/{APP_NAME}/.")
    if saved:
        print(f"The previous version is saved in {saved}.")
    return 0
