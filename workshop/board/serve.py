"""Serving the live class board to a room (``python3 -m workshop board``, see workshop/cli/board.py)."""

import os
import socket
from pathlib import Path

import waitress

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
    options = dict(ROOM,
                   max_request_body_size=app.config["MAX_CONTENT_LENGTH"] + 1)  # waitress refuses its limit itself
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
        return (f"The board listens on {host} only: no other computer can reach it"
                " (for a class on a network, add --host 0).")
    where = "every network interface of this computer" if host in EVERY_INTERFACE else host
    return (
        f"The board listens on {where}: anyone who can reach this computer on port {port} (the local network, maybe"
        " more)"
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
