"""Helpers for the notebooks: a fresh import of your app, a background server, your tests.

Nothing here blocks the kernel: the server runs in a background thread on a free
loopback port, and running ``serve`` again replaces it.
"""

import atexit
import importlib
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

from werkzeug.serving import make_server

from . import APP_NAME
from .checks.core import forget_package
from .selfcheck import learner_app_parent

_scratch = tempfile.TemporaryDirectory(prefix="workshop-notebook-")
_server = None


def fresh_app(test_config=None):
    """Import ``part1_basic_app`` afresh, so that your latest edits count, and create an app.

    Without ``test_config`` the app gets a demo secret key and an empty database of
    its own, so that a cell gives the same result each time you run it.
    """
    forget_package()
    package = importlib.import_module(APP_NAME)
    if test_config is None:
        database = tempfile.NamedTemporaryFile(dir=_scratch.name, suffix=".sqlite", delete=False)
        database.close()
        test_config = {"SECRET_KEY": "notebook-demo", "DATABASE": database.name}
    return package.create_app(test_config)


class BackgroundServer:
    """A WSGI app served by Werkzeug's development server in a daemon thread."""

    def __init__(self, app, host="127.0.0.1", port=0):
        self._server = make_server(host, port, app, threaded=True)
        self.url = f"http://{host}:{self._server.server_port}"
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.05,), name="workshop-server", daemon=True)
        self._thread.start()

    def stop(self):
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def __repr__(self):
        return f"<BackgroundServer {self.url}>"


def serve(app, port=0):
    """Serve ``app`` in the background on 127.0.0.1 (a free port unless given); return the server.

    Running it again stops the previous server first. ``stop()`` stops it.
    """
    global _server
    stop()
    _server = BackgroundServer(app, port=port)
    print(f"Your app is served at {_server.url} — run stop() to stop it.")
    return _server


def stop():
    """Stop the background server, if one is running."""
    global _server
    if _server is not None:
        _server.stop()
        print(f"Stopped the server at {_server.url}.")
        _server = None


atexit.register(stop)


def run_tests(*pytest_args):
    """Run your tests (``part1_basic_app/tests``) with pytest in a separate process; return its exit code."""
    app_parent = learner_app_parent()
    command = [sys.executable, "-m", "pytest", "-q", "--tb=short", str(Path(APP_NAME, "tests")), *pytest_args]
    try:
        done = subprocess.run(command, cwd=app_parent, capture_output=True, text=True, timeout=120)
    except subprocess.TimeoutExpired:
        print("Your tests did not finish within 120 s: does one of them wait or loop forever?")
        return None
    print(done.stdout + done.stderr)
    return done.returncode
