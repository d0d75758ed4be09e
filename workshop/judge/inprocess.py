"""The judge where there is no second process (Pyodide, in a browser tab): the same checks, in this process.

There the learner's app is their own tab's: no bridge, no jail. The app process's own code
(workshop/app_process/app_server.py) answers the judge's messages, called directly instead of over a
socket, with each message and answer passed through JSON as the bridge would; the learner's
pytest runs in this process too (``pytest.main``), once per broken version of the app. What needs
a real server (waitress) is not run here: ``NEEDS_A_SERVER`` names those checks.
"""

import contextlib
import io
import json
import os
import sys
import tempfile
from pathlib import Path

from .. import APP_NAME
from .. import forget_app
from ..app_process.app_server import AppServer
from ..app_process.app_server import describe_error
from ..jail import sandbox
from ..jail.isolation import Jail
from .bridge import AppError
from .bridge import AppProcess
from .core import CHECKS
from .core import default_config
from .core import Judge
from .core import run

NEEDS_A_SERVER = {  # the checks that need a real server, and how to run them on a computer
    "serves_under_waitress": "on a computer with Python, python3 -m workshop check 6 serves your app under waitress.",
}
SECONDS = 3600  # nothing here can stop a check from outside: the limit is only the run's


def not_counted(step):
    """A line for each check of ``step`` that needs a real server: not run here, and how to run it at home."""
    needing = [c for c in CHECKS if c.step == step and c.name in NEEDS_A_SERVER]
    return [f"⚪ {c.title} Not counted here: {NEEDS_A_SERVER[c.name]}" for c in needing]


class LocalServer(AppServer):
    """The app process's answers, given in this process."""

    def watch(self, allowed):
        """No watch on writes: it is the learner's own tab."""


class LocalApp(AppProcess):
    """An AppProcess whose messages a LocalServer in this process answers."""

    def __init__(self, app_parent, load_config):
        super().__init__(app_parent, Jail(), {}, sandbox.Limits(seconds=SECONDS), load_config)
        self.server = None

    @property
    def running(self):
        return self.server is not None

    def start(self):
        self.server = LocalServer(self.app_parent, None)
        answer = self.ask({"op": "load", "config": self.load_config})
        if not answer.get("ok"):
            self.stop()
            raise AppError(str(answer.get("error", "the app could not be loaded"))[:1000])

    def ask(self, message, body=b""):
        message = {**json.loads(json.dumps(message)), "body": body}
        handler = getattr(self.server, f"op_{message.get('op')}", None)
        try:
            with quiet():
                answer = handler(message) if handler else {"ok": False, "error": "unknown operation"}
        except BaseException as exc:
            answer = {"ok": False, "error": describe_error(exc, self.app_parent)}
        return json.loads(json.dumps(answer))

    def stop(self, event=None):
        if event:
            self.events.append((event, self.checking))
        self.server = None


def quiet():
    """What the learner's code prints is discarded, as the app process discards it."""
    stack = contextlib.ExitStack()
    stack.enter_context(contextlib.redirect_stdout(io.StringIO()))
    stack.enter_context(contextlib.redirect_stderr(io.StringIO()))
    return stack


class LocalWorker:
    """What step 5 asks of the warm worker, done in this process: runs of the learner's pytest, one after the other
    when waited for."""

    def start_pytest(self, runs):
        return runs

    def wait_pytest(self, started, seconds):
        return [run_pytest(r) for r in started]

    def kill(self, pid):
        pass


def without_timeout(args):
    """pytest's arguments without pytest-timeout (``-p pytest_timeout``, ``-o timeout=N``): it needs a signal
    or a thread."""
    kept, skip = [], False
    for arg, following in zip(args, [*args[1:], None], strict=True):
        if skip:
            skip = False
        elif (arg, following) == ("-p", "pytest_timeout") or (arg == "-o" and str(following).startswith("timeout=")):
            skip = True
        else:
            kept.append(arg)
    return kept


def run_pytest(job):
    """One run of the learner's tests in this process, as the warm worker's child makes it: an Outcome."""
    import flask
    import pytest

    from ..app_process import mutants
    from ..app_process import outcomes
    from ..app_process import tracing

    here, path, options = os.getcwd(), list(sys.path), flask.Flask.jinja_options
    unpatched = flask.Flask.process_response, flask.flash  # the plugin patches them for the run
    judged = {name: module for name, module in sys.modules.items() if name.partition(".")[0] == APP_NAME}
    code = 3
    try:
        forget_app()
        os.chdir(job["cwd"])
        sys.path[:0] = job.get("path", [])
        mutants.choose(job.get("mutant", ""))
        flask.Flask.jinja_options = {**options, "bytecode_cache": tracing.MemoryBytecodeCache()}
        with quiet():
            code = int(pytest.main(without_timeout(job["args"]), plugins=[mutants, outcomes]))
    finally:
        os.chdir(here)
        sys.path[:] = path
        flask.Flask.jinja_options = options
        mutants.choose("")
        mutants._active.clear()
        flask.Flask.process_response, flask.flash = unpatched
        forget_modules_in(Path(job["cwd"]))
        forget_app()
        sys.modules.update(judged)  # the app the other checks use
    return sandbox.Outcome(code, 0, False, "", "")


def forget_modules_in(folder):
    """Forget the modules imported from ``folder`` (the run's conftest and tests): the next run imports its own."""
    for name, module in list(sys.modules.items()):
        filename = getattr(module, "__file__", None)
        if filename and Path(filename).resolve().is_relative_to(folder.resolve()):
            del sys.modules[name]


class LocalJudge(Judge):
    """The checks of one app, made and run in this process."""

    def __init__(self, app_parent, workdir):
        super().__init__(app_parent, Jail(), sandbox.Limits(seconds=SECONDS), workdir, LocalWorker())
        self.app = LocalApp(self.app_parent, default_config(workdir))


def judge(app_parent, steps, emit=lambda kind, **data: None):
    """Run the checks of ``steps``, but those of NEEDS_A_SERVER, against the app in ``app_parent`` in this
    process: a Run."""
    selected = [c for c in CHECKS if c.step in steps and c.name not in NEEDS_A_SERVER]
    with tempfile.TemporaryDirectory(prefix="workshop-judge-", ignore_cleanup_errors=True) as workdir:
        judging = LocalJudge(app_parent, workdir)
        try:
            with quiet():  # and a real stream for wsgi.errors: a kernel's sys.stderr may lack writelines
                return run(judging, selected, float("inf"), None, emit)
        finally:
            judging.app.stop()
            forget_app()
