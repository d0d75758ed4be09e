"""The machinery of the step checks: registering them, loading an app, running them.

A check is a plain function whose docstring's first line says what must be true and
whose ``assert`` messages say what is wrong. Its parameters name what it needs:

- ``client``: a test client of a fresh app with an empty database;
- ``app``: that app; ``make_app(**config)``: a factory for more apps;
- ``package``: the imported ``part1_basic_app``; ``app_parent``: the folder holding it;
- ``once(key, compute)``: ``compute()``'s result, computed once per run of the checks.
"""

import contextlib
import faulthandler
import importlib
import inspect
import os
import pkgutil
import signal
import sys
import tempfile
import threading
import time
import traceback
from dataclasses import asdict, dataclass
from pathlib import Path

from flask_wtf.csrf import generate_csrf

from .. import APP_NAME, forget_app
from .tracing import MemoryBytecodeCache, trace

CHECK_SECONDS = 5  # per check; an endless loop is reported with its line
HARD_STOP_SECONDS = 2  # after a check's time, a loop that swallows the timeout ends the process


@dataclass
class Check:
    step: int
    name: str
    title: str
    where: str
    func: callable
    seconds: float = CHECK_SECONDS


@dataclass
class Result:
    step: int
    name: str
    title: str
    where: str
    passed: bool
    message: str = ""
    seconds: float = 0.0

    def to_dict(self):
        return asdict(self)


CHECKS = []


def check(step, where, seconds=CHECK_SECONDS):
    """Register a check of ``step``; ``where`` names the file and TODO to open."""
    def register(func):
        title = inspect.getdoc(func).splitlines()[0]
        CHECKS.append(Check(step, func.__name__, title, where, func, seconds))
        return func
    return register


class CheckTimeout(BaseException):
    """A check took longer than its time: most likely an endless loop.

    A BaseException, so that neither Flask's error handling nor a learner's
    ``except Exception`` turns it into a response.
    """


def load_package(app_parent):
    """Import ``part1_basic_app`` afresh from ``app_parent``."""
    forget_app()
    sys.path.insert(0, str(app_parent))
    try:
        package = importlib.import_module(APP_NAME)
    finally:
        sys.path.remove(str(app_parent))
    found = Path(package.__file__).resolve().parent
    if found != (Path(app_parent) / APP_NAME).resolve():
        raise ImportError(f"{APP_NAME} was found in {found}, not in {app_parent}")
    return package


def describe_error(exc, app_parent):
    """Say what an exception from the learner's code was and where it happened (no full stop at the end)."""
    said = exc.msg if isinstance(exc, SyntaxError) and exc.msg else str(exc)  # a SyntaxError's str names its place
    text = said.strip().splitlines()[0].rstrip(".") if said.strip() else ""
    return f"{type(exc).__name__}{': ' + text if text else ''}{location(exc, app_parent)}"


def location(exc, app_parent):
    """" (part1_basic_app/file.py, line N)": the last place in the learner's files it passed, or ""."""
    if isinstance(exc, SyntaxError) and exc.filename:
        return f" ({short_path(exc.filename, app_parent)}, line {exc.lineno})"
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if is_inside(f.filename, app_parent)]
    return f" ({short_path(frames[-1].filename, app_parent)}, line {frames[-1].lineno})" if frames else ""


def is_inside(filename, folder):
    try:
        Path(filename).resolve().relative_to(Path(folder).resolve())
    except (ValueError, OSError):
        return False
    return True


def short_path(filename, app_parent):
    try:
        return Path(filename).resolve().relative_to(Path(app_parent).resolve()).as_posix()
    except (ValueError, OSError):
        return str(filename)


@contextlib.contextmanager
def time_limit(seconds):
    """Raise CheckTimeout after ``seconds`` (where the platform allows it)."""
    if not hasattr(signal, "setitimer") or threading.current_thread() is not threading.main_thread():
        yield
        return

    def expire(signum, frame):
        raise CheckTimeout(f"did not finish within {seconds} s: is there an endless loop?")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def fixtures(package, app_parent, workdir, memo):
    """The values a check may ask for, made lazily."""
    made = {}

    def once(key, compute):
        if key not in memo:
            memo[key] = compute()
        return memo[key]

    def make_app(**config):
        config = {"TESTING": True, "SECRET_KEY": "checks", "WTF_CSRF_ENABLED": False, **config}
        config.setdefault("DATABASE", os.path.join(workdir, f"notes-{len(made)}-{time.monotonic_ns()}.sqlite"))
        app = trace(package.create_app(config), once("templates", MemoryBytecodeCache))
        # Pages that call csrf_token() render before CSRFProtect is set up: only the CSRF check fails for it.
        app.jinja_env.globals.setdefault("csrf_token", generate_csrf)
        return app

    def get(name):
        if name not in made:
            if name == "app":
                made[name] = make_app()
            elif name == "client":
                made[name] = get("app").test_client()
            else:
                made[name] = {"make_app": make_app, "package": package, "app_parent": Path(app_parent), "once": once}[name]
        return made[name]

    return get


def run_check(chk, package, app_parent, memo):
    """Run one check; never raises."""
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="workshop-check-", ignore_cleanup_errors=True) as workdir:
        get = fixtures(package, app_parent, workdir, memo)
        where = chk.where
        try:
            with time_limit(chk.seconds):
                args = {name: get(name) for name in inspect.signature(chk.func).parameters}
                chk.func(**args)
        except AssertionError as exc:
            message = str(exc) or "This check failed."
            where = getattr(exc, "where", None) or where
            passed = False
        except CheckTimeout as exc:
            message = f"This check {exc}{location(exc, app_parent)}."
            passed = False
        except SystemExit as exc:
            message = f"Your app called sys.exit({exc.code!r}){location(exc, app_parent)}: a view must return a response."
            passed = False
        except Exception as exc:
            message = f"Your app raised {describe_error(exc, app_parent)}."
            passed = False
        else:
            message, passed = "", True
    return Result(chk.step, chk.name, chk.title, where, passed, message, round(time.perf_counter() - started, 3))


def app_error(package, app_parent):
    """Why a module of the app cannot be imported or ``create_app`` fails, with the file and line; else None."""
    modules = [m.name for m in pkgutil.iter_modules(package.__path__, package.__name__ + ".") if not m.ispkg]
    with tempfile.TemporaryDirectory(prefix="workshop-check-", ignore_cleanup_errors=True) as workdir:
        try:
            with time_limit(CHECK_SECONDS):
                for name in modules:
                    importlib.import_module(name)
                fixtures(package, app_parent, workdir, {})("app")
        except CheckTimeout as exc:
            return f"importing the app or create_app() {exc}{location(exc, app_parent)}"
        except (Exception, SystemExit) as exc:
            return f"{APP_NAME} could not be imported or created: {describe_error(exc, app_parent)}"
    return None


def run_checks(app_parent, steps, emit=lambda kind, **data: None, hard_stop=False):
    """Run the checks of ``steps`` against the app in ``app_parent``; a list of Results.

    ``emit(kind, **data)`` hears of each event as it happens: "app_error" (the app cannot
    be imported or created: no check runs), "start" and "result" for each check, "done".
    With ``hard_stop``, a check that outlives its time by HARD_STOP_SECONDS (an endless
    loop that swallows the timeout) ends the process, its stack dumped on stderr.
    """
    selected = [c for c in CHECKS if c.step in steps]
    app_parent = Path(app_parent).resolve()
    with contextlib.redirect_stdout(sys.stderr):
        try:
            package = load_package(app_parent)
        except (Exception, SystemExit) as exc:
            problem = f"{APP_NAME} could not be imported: {describe_error(exc, app_parent)}"
        else:
            problem = app_error(package, app_parent)
        if problem:
            message = f"{problem}. Fix that first: no check can run until the app can be created."
            emit("app_error", message=message)
            return [Result(c.step, c.name, c.title, c.where, False, message) for c in selected]
        memo, results = {}, []
        for chk in selected:
            emit("start", name=chk.name)
            if hard_stop:
                faulthandler.dump_traceback_later(chk.seconds + HARD_STOP_SECONDS, exit=True, file=sys.__stderr__)
            try:
                result = run_check(chk, package, app_parent, memo)
            finally:
                faulthandler.cancel_dump_traceback_later()
            emit("result", **result.to_dict())
            results.append(result)
        emit("done")
        return results
