"""``python3 -m workshop board [--host H] [--port P] [--open]``: run the live class board until Ctrl+C.

What it prints may be projected: the learners' join command, and where the instructor's address
is, never the address itself (it carries the secret that reads the board and removes learners).
"""

import argparse
import os
import socket
import webbrowser
from pathlib import Path

import waitress

from .app import DATA_FOLDER, create_app
from .db import OlderBoard

EVERY_INTERFACE = ("0", "0.0.0.0", "::")
ROOM = {  # waitress's settings for a room of learners
    "threads": 8,
    "connection_limit": 500,  # as many as MAX_LEARNERS: a learner's report holds one for a moment
    "channel_timeout": 10,  # a report takes a second at most: a connection silent for longer is closed...
    "cleanup_interval": 5,  # ...within 5 s more
    "asyncore_use_poll": True,  # select() cannot watch more than about 1,000 connections
}
PROBES = ((socket.AF_INET, "192.0.2.1"), (socket.AF_INET6, "2001:db8::1"))  # documentation addresses, never reached
INSTRUCTOR_FILE = "instructor-address.txt"  # in the board's folder


def create_server(app, host, port):
    """waitress serving ``app`` for a room: the body limit is the app's, checked before a body is read."""
    options = dict(ROOM, max_request_body_size=app.config["MAX_CONTENT_LENGTH"] + 1)  # waitress refuses its limit itself
    if host in EVERY_INTERFACE:
        every = ("::", port) if socket.has_dualstack_ipv6() else ("0.0.0.0", port)
        family = socket.AF_INET6 if socket.has_dualstack_ipv6() else socket.AF_INET
        listening = socket.create_server(every, family=family, dualstack_ipv6=family == socket.AF_INET6)
        return waitress.create_server(app, sockets=[listening], **options)
    return waitress.create_server(app, host=host, port=port, **options)


def addresses_for_learners(host):
    """The host names that learners may use: this computer's own addresses when it listens everywhere."""
    if host not in EVERY_INTERFACE:
        return [f"[{host}]" if ":" in host else host]
    addresses = []
    for family, far_away in PROBES:
        with socket.socket(family, socket.SOCK_DGRAM) as probe:
            try:
                probe.connect((far_away, 9))  # picks the outgoing interface; UDP sends nothing yet
            except OSError:
                continue
            address = probe.getsockname()[0]
            addresses.append(f"[{address}]" if family == socket.AF_INET6 else address)
    return addresses or [socket.gethostname()]


def who_can_reach(host, port):
    if host in ("127.0.0.1", "localhost", "::1"):
        return f"The board listens on {host} only: no other computer can reach it (for a class on a network, add --host 0)."
    where = "every network interface of this computer" if host in EVERY_INTERFACE else host
    return (
        f"The board listens on {where}: anyone who can reach this computer on port {port} (the local network, maybe more)"
        " can reach the board. Only the join address joins it and only the instructor's address reads it; it"
        " speaks plain HTTP, so use it on a network you trust."
    )


def keep_instructors_address(folder, address):
    """Write the instructor's address to a file in ``folder`` readable by its owner only; return the file."""
    path = Path(folder) / INSTRUCTOR_FILE
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.chmod(path, 0o600)  # a file left by an earlier start keeps its mode otherwise
    with open(descriptor, "w", encoding="utf-8") as f:
        f.write(address + "\n")
    return path


def main(argv):
    parser = argparse.ArgumentParser(prog="python3 -m workshop board", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1",
                        help="the address to listen on (default: 127.0.0.1, this computer only; 0 or ::, every network)")
    parser.add_argument("--port", type=int, default=5050, help="the port to listen on (default: 5050; 0 picks a free one)")
    parser.add_argument("--data", type=Path, default=DATA_FOLDER, help=f"the board's folder (default: {DATA_FOLDER})")
    parser.add_argument("--open", action="store_true", help="also open the instructor's page in your browser")
    args = parser.parse_args(argv)
    try:
        app = create_app({"DATABASE": str(args.data.resolve() / "board.sqlite")})
    except OlderBoard as error:
        print(error)
        return 1
    try:
        server = create_server(app, args.host, args.port)
    except OSError as error:
        print(f"Cannot listen on {args.host} port {args.port} ({error.strerror}): is a board running already? Try another --port.")
        return 1
    first, *others = [f"http://{address}:{server.effective_port}" for address in addresses_for_learners(args.host)]
    app.config["BOARD_ADDRESS"] = first  # the projector's page shows the join command at this address
    instructors = f"{first}/instructor/{app.config['INSTRUCTOR_SECRET']}/"
    kept = keep_instructors_address(args.data.resolve(), instructors)
    opened = args.open and webbrowser.open(instructors)
    print(f"join: python3 -m workshop join {first}/join/{app.config['CLASS_CODE']}")
    print(f"instructor: {'opened in your browser; ' if opened else ''}your page's address is in {kept}, readable by you"
          " only: never show it. Its link 'Open the projector's page' opens the page to show the room.")
    print(who_can_reach(args.host, server.effective_port))
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
