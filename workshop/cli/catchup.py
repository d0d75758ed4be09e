"""``python3 -m workshop catchup N``: bring part1_basic_app/ to its state after step N.

Your current folder is first saved beside it with a timestamp, so no work is lost. If your app
already passes the self-checks of later steps, it says which and asks before going on.

The app after each step is generated from the solution where there is one (the instructor's
repository); the learner edition ships it as files in workshop/checkpoints/STEP/, for the steps
the instructor chose (``python3 -m workshop edition --catchup N``), and says so past them.
"""

from pathlib import Path

from .. import catchup
from .. import ROOT
from .. import STEPS
from . import command_parser


def main(argv):
    parser = command_parser("catchup", __doc__)
    parser.add_argument("step", type=int, choices=[0, *STEPS], help="the step just finished (0 = the starter)")
    parser.add_argument("--app-parent", type=Path, metavar="FOLDER", default=ROOT,
                        help="the folder holding part1_basic_app/")
    parser.add_argument("--yes", action="store_true", help="do not ask, even if the app passes later steps")
    args = parser.parse_args(argv)
    return catchup.run(args.step, args.app_parent, args.yes)
