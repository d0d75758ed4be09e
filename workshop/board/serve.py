"""``python3 -m workshop board [--host H] [--port P]``: run the live class board until Ctrl+C."""

import argparse
import socket
from pathlib import Path

import waitress

from .app import DATA_FOLDER, create_app
from .db import OlderBoard

EVERY_INTERFACE = ("0.0.0.0", "::")


def address_for_learners(host):
    """The host name that learners use: this computer's own address when it listens everywhere."""
    if host in EVERY_INTERFACE:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
            try:
                probe.connect(("192.0.2.1", 9))  # picks the outgoing interface; UDP sends nothing yet
                host = probe.getsockname()[0]
            except OSError:
                host = socket.gethostname()
    return f"[{host}]" if ":" in host else host


def who_can_reach(host, port):
    if host in ("127.0.0.1", "localhost", "::1"):
        return f"The board listens on {host} only: no other computer can reach it (for a class on a network, add --host 0.0.0.0)."
    where = "every network interface of this computer" if host in EVERY_INTERFACE else host
    return (
        f"The board listens on {where}: anyone who can reach this computer on port {port} (the local network, maybe more)"
        " can reach the board. Only the join address joins it and only the instructor's address reads it; it"
        " speaks plain HTTP, so use it on a network you trust."
    )


def main(argv):
    parser = argparse.ArgumentParser(prog="python3 -m workshop board", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1",
                        help="the address to listen on (default: 127.0.0.1, this computer only; 0.0.0.0: every network)")
    parser.add_argument("--port", type=int, default=5050, help="the port to listen on (default: 5050; 0 picks a free one)")
    parser.add_argument("--data", type=Path, default=DATA_FOLDER, help=f"the board's folder (default: {DATA_FOLDER})")
    args = parser.parse_args(argv)
    try:
        app = create_app({"DATABASE": str(args.data.resolve() / "board.sqlite")})
    except OlderBoard as error:
        print(error)
        return 1
    try:
        server = waitress.create_server(app, host=args.host, port=args.port, threads=8)
    except OSError as error:
        print(f"Cannot listen on {args.host} port {args.port} ({error.strerror}): is a board running already? Try another --port.")
        return 1
    base = f"http://{address_for_learners(args.host)}:{server.effective_port}"
    print(f"join: python3 -m workshop join {base}/join/{app.config['CLASS_CODE']}")
    print(f"instructor: {base}/instructor/{app.config['INSTRUCTOR_SECRET']}/")
    print(who_can_reach(args.host, server.effective_port))
    print(f"The board keeps everything in {args.data.resolve()}: delete it to forget the session."
          " Ctrl+C stops the board.", flush=True)
    try:
        server.run()
    except KeyboardInterrupt:
        pass
    finally:
        server.close()
    return 0
