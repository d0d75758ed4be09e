"""Helpers for the notebooks: a fresh import of your app, a background server, your tests, the catch-up.

Nothing here blocks the kernel: the server runs in a background thread on a free
loopback port (see servers.py), and running ``serve`` again replaces it. In the browser
tab (Pyodide: no sockets, threads or subprocesses) ``serve`` shows the app's page inline
instead, and ``fetch`` sends requests through the test client.
"""

import atexit
import html
import importlib
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

from werkzeug.test import Client

from . import APP_NAME
from . import catchup as catching_up
from . import forget_app
from . import IN_BROWSER
from .selfcheck import learner_app_parent
from .servers import DevelopmentServer
from .servers import WaitressServer

AT_HOME = "⚪ Not in the browser: "  # how a line about what needs a real computer starts
_scratch = tempfile.TemporaryDirectory(prefix="workshop-notebook-")
_server = None
STYLESHEET = re.compile(r"<link\b[^>]*\brel=[\"']?stylesheet\b[^>]*>", re.I)
HREF = re.compile(r"""\bhref=(["'])(?P<href>[^"']*)\1""", re.I)


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
    again stops the previous server first. ``stop()`` stops it. In the browser tab it
    shows the app's page instead, and ``fetch`` sends the app requests through the test client.
    """
    global _server
    stop()
    if IN_BROWSER:
        _server = PageInTab(app, production)
        return _server
    _server = (WaitressServer if production else DevelopmentServer)(app, port=port)
    print(f"Your app is served at {_server.url} — run stop() to stop it.")
    return _server


def fetch(path, method="GET", **kwargs):
    """Send a request to the app that ``serve`` runs; return the response (``status_code``, ``headers``, ``text``).

    On your computer it goes over HTTP with requests: ``requests.request(method, server.url + path,
    timeout=5, **kwargs)``. In the browser tab, which has no server, the test client sends it.
    """
    if _server is None:
        raise RuntimeError("No app is served: run serve(app) first.")
    if isinstance(_server, PageInTab):
        return _server.request(path, method, **kwargs)
    import requests

    return requests.request(method, _server.url + path, timeout=5, **kwargs)


class PageInTab:
    """What ``serve`` gives in the browser tab: the app's test client, and its page shown in the notebook."""

    url = ""  # no address: fetch() sends the requests
    SERVER = "the test client, in your browser tab"  # the Server header of its responses

    def __init__(self, app, production=False):
        self.client = Client(app)
        if production:
            print(AT_HOME + "waitress needs a real computer. At home: `waitress-serve --listen=127.0.0.1:8080"
                  f" --call {APP_NAME}:create_app`. Here the test client answers instead.")
        else:
            print(AT_HOME + "the tab cannot run a server, so here is the page from the test client. At home,"
                  " `python3 -m workshop run` serves your app at http://127.0.0.1:5000.")
        page = self.request("/")
        from IPython.display import display
        from IPython.display import HTML

        shown = html.escape(self.with_styles(page.text))
        display(HTML(f'<div><iframe srcdoc="{shown}" title="GET / → {page.status_code}"'
                     ' style="width: 100%; height: 24em; border: 1px solid #ccc"></iframe></div>'))

    def with_styles(self, page):
        """``page`` with the app's own stylesheets put inline: a page shown from ``srcdoc`` has no address to
        load them from."""

        def inline(link):
            href = HREF.search(link[0])
            if href is None or "//" in href["href"]:
                return link[0]
            with self.request(html.unescape(href["href"])) as style:
                return f"<style>{style.text}</style>" if style.status_code == 200 else link[0]

        return STYLESHEET.sub(inline, page)

    def request(self, path, method="GET", **kwargs):
        response = self.client.open(path, method=method, follow_redirects=True, **kwargs)
        response.headers.setdefault("Server", self.SERVER)
        return response


def catchup(step, yes=False):
    """Bring your app to its state after ``step``, as ``python3 -m workshop catchup STEP`` does in a terminal
    (your folder is saved beside it first). In the browser tab, which has no terminal, type it in a cell; the
    files stay in the browser's storage. ``yes=True`` goes on even where your app passes a later self-check."""
    catching_up.run(step, learner_app_parent(), yes)


def stop():
    """Stop the background server, if one is running."""
    global _server
    if isinstance(_server, PageInTab):
        _server = None
    elif _server is not None:
        _server.stop()
        print(f"Stopped the server at {_server.url}.")
        _server = None


atexit.register(stop)


def run_tests(*pytest_args):
    """Run your tests (``part1_basic_app/tests``) with pytest in a separate process; return its exit code."""
    return run_pytest(learner_app_parent(), "-q", "--tb=short", str(Path(APP_NAME, "tests")), *pytest_args)


def run_pytest(folder, *pytest_args):
    """Run ``python -m pytest`` with ``pytest_args`` in ``folder``, print its report and return its exit code.

    A separate process imports your latest code. The browser tab has no processes: there pytest runs
    in the kernel, and the modules it imported are forgotten afterwards.
    """
    if IN_BROWSER:
        return pytest_in_kernel(folder, pytest_args)
    command = [sys.executable, "-m", "pytest", *pytest_args]
    try:
        done = subprocess.run(command, cwd=folder, capture_output=True, text=True, timeout=120)
    except subprocess.TimeoutExpired:
        print("Your tests did not finish within 120 s: does one of them wait or loop forever?")
        return None
    print(done.stdout + done.stderr)
    return done.returncode


def pytest_in_kernel(folder, pytest_args):
    import pytest

    before = set(sys.modules)
    previous = os.getcwd()
    os.chdir(folder)
    try:
        return int(pytest.main(["--capture=sys", "-p", "no:cacheprovider", *pytest_args]))
    finally:
        os.chdir(previous)
        for name in set(sys.modules) - before:
            del sys.modules[name]
        forget_app()
