"""``python3 -m workshop run``: your app on Flask's development server, in debug mode.

It runs ``flask --app part1_basic_app run --debug`` with the workshop's own Flask, on port
5000 or, when that port is taken (on macOS the AirPlay Receiver takes it), the next free one.
Extra arguments go to ``flask run``: ``python3 -m workshop run --port 8000``.
"""

import argparse
import os
import sys

from .. import APP_NAME
from .. import ROOT
from ..handover import hand_over
from ..setupcheck import FLASK_PORT
from ..setupcheck import port_is_free


def first_free_port(tries=100):
    """The first port from 5000 on which ``flask run`` can serve on 127.0.0.1."""
    return next(port for port in range(FLASK_PORT, FLASK_PORT + tries) if port_is_free(port))


def main(argv):
    given = argparse.ArgumentParser(add_help=False, allow_abbrev=False)
    given.add_argument("-p", "--port", default=os.environ.get("FLASK_RUN_PORT"))
    port = []
    if given.parse_known_args(argv)[0].port is None:  # no port chosen: take a free one
        free = first_free_port()
        if free != FLASK_PORT:
            print(f"Port {FLASK_PORT} is taken (on macOS, often by the AirPlay Receiver): using port {free} instead.",
                  flush=True)
        port = ["--port", str(free)]
    return hand_over([sys.executable, "-m", "flask", "--app", APP_NAME, "run", "--debug", *port, *argv], ROOT)
