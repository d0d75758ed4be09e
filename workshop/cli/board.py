"""``python3 -m workshop board [--host H] [--port P] [--open]``: run the live class board until Ctrl+C.

What it prints may be projected: the learners' join command, and where the instructor's address
is, never the address itself (it carries the secret that reads the board and removes learners).
"""

import webbrowser
from pathlib import Path

from ..board import serve
from ..board.app import create_app
from ..board.app import DATA_FOLDER
from ..board.db import OlderBoard
from . import command_parser


def main(argv):
    parser = command_parser("board", __doc__)
    parser.add_argument("--host", default="127.0.0.1",
                        help="the address to listen on"
                             " (default: 127.0.0.1, this computer only; 0 or ::, every network)")
    parser.add_argument("--port", type=int, default=5050,
                        help="the port to listen on (default: 5050; 0 picks a free one)")
    parser.add_argument("--data", type=Path, default=DATA_FOLDER, help=f"the board's folder (default: {DATA_FOLDER})")
    parser.add_argument("--open", action="store_true", help="also open the instructor's page in your browser")
    args = parser.parse_args(argv)
    try:
        app = create_app({"DATABASE": str(args.data.resolve() / "board.sqlite")})
    except OlderBoard as error:
        print(error)
        return 1
    try:
        server = serve.create_server(app, args.host, args.port)
    except OSError as error:
        print(f"Cannot listen on {args.host} port {args.port} ({error.strerror}): is a board running already? Try"
              " another --port.")
        return 1
    addresses = serve.addresses_for_learners(args.host)
    first, *others = [f"http://{address}:{server.effective_port}" for address in addresses]
    app.config["BOARD_ADDRESS"] = first  # the projector's page shows the join command at this address
    instructors = f"{first}/instructor/{app.config['INSTRUCTOR_SECRET']}/"
    kept = serve.keep_instructors_address(args.data.resolve(), instructors)
    opened = args.open and webbrowser.open(instructors)
    print(f"join: python3 -m workshop join {first}/join/{app.config['CLASS_CODE']}")
    print(f"instructor: {'opened in your browser; ' if opened else ''}your page's address is in {kept}, readable by you"
          " only: never show it. Its link 'Open the projector's page' opens the page to show the room.")
    print(serve.who_can_reach(args.host, server.effective_port))
    if others:
        print(f"Where {first} does not work, learners can try: {', '.join(others)}.")
    print(f"The board keeps everything in {args.data.resolve()}: delete it to forget the session."
          " Ctrl+C stops the board.", flush=True)
    try:
        server.run()
    except KeyboardInterrupt:
        pass
    finally:
        server.close()
    return 0
