"""Helpers for the notebooks: a fresh import of your app, a background server, your tests.

Nothing here blocks the kernel: the server runs in a background thread on a free
loopback port (see servers.py), and running ``serve`` again replaces it.
"""

import atexit
import importlib
import subprocess
import sys
import tempfile
from pathlib import Path

from . import APP_NAME
from . import forget_app
from .selfcheck import learner_app_parent
from .servers import DevelopmentServer
from .servers import WaitressServer

_scratch = tempfile.TemporaryDirectory(prefix="workshop-notebook-")
_server = None


def fresh_app(test_config=None, **settings):
    """Import ``part1_basic_app`` afresh, so that your latest edits count, and create an app.

    Without ``test_config`` the app gets a demo secret key and an empty database of
    its own, so that a cell gives the same result each time you run it. Keyword
    ``settings`` are added to the configuration: ``fresh_app(WTF_CSRF_ENABLED=False)``.
    """
    forget_app()
    package = importlib.import_module(APP_NAME)
    if test_config is None:
        database = tempfile.NamedTemporaryFile(dir=_scratch.name, suffix=".sqlite", delete=False)
        database.close()
        test_config = {"SECRET_KEY": "notebook-demo", "DATABASE": database.name}
    return package.create_app({**test_config, **settings})


def serve(app, port=0, production=False):
    """Serve ``app`` in the background on 127.0.0.1 (a free port unless given); return the server.

    Werkzeug's development server, or waitress with ``production=True``. Running it
    again stops the previous server first. ``stop()`` stops it.
    """
    global _server
    stop()
    _server = (WaitressServer if production else DevelopmentServer)(app, port=port)
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
