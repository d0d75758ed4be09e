"""``python3 -m workshop join ADDRESS --name NAME``: join the instructor's live class board."""

from ..board.client import BoardError
from ..board.client import join
from . import command_parser


def main(argv):
    parser = command_parser("join", __doc__)
    parser.add_argument("address", help="the join address that the instructor shows (http://HOST:PORT/join/CODE)")
    parser.add_argument("--name", required=True, help="your name, as the instructor will see it")
    args = parser.parse_args(argv)
    try:
        print(join(args.address, args.name))
    except BoardError as error:
        print(f"Could not join: {error}.")
        return 1
    return 0
