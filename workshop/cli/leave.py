"""``python3 -m workshop leave``: delete your data on the class board, and stop reporting to it."""

from ..board.client import BoardError
from ..board.client import leave
from . import command_parser


def main(argv):
    command_parser("leave", __doc__).parse_args(argv)
    try:
        print(leave())
    except BoardError as error:
        print(f"Nothing more is sent to the board, but it may still hold your results: {error}.")
        return 1
    return 0
