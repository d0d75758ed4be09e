"""``python3 -m workshop edition --out DIR [--catchup N]``: write the repository that learners clone.

See workshop/edition.py for what it holds.
"""

from pathlib import Path

from .. import STEPS
from ..edition import commit
from ..edition import refuse
from ..edition import size
from ..edition import write
from . import command_parser


def catchup_option(parser):
    parser.add_argument(
        "--catchup", type=int, choices=[0, *STEPS], default=0, metavar="N",
        help="ship the app after steps 1..N for `catchup` (default 0: only the starter, to start again)",
    )


def main(argv):
    parser = command_parser("edition", __doc__)
    parser.add_argument("--out", type=Path, required=True, help="the folder to write the learner edition into")
    catchup_option(parser)
    args = parser.parse_args(argv)
    if refuse(args.out):
        parser.error(refuse(args.out))
    write(args.out, args.catchup)
    committed = commit(args.out, "The Flask workshop, learner edition")
    files, total = size(args.out)
    print(f"Wrote the learner edition into {args.out}: {files} files, {total:,} bytes"
          f"{', one git commit' if committed else ''}; `catchup` up to step {args.catchup}.")
    return 0
