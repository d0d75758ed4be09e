"""The machinery of the step checks: registering them, loading an app, running them.

A check is a plain function whose docstring's first line says what must be true and
whose ``assert`` messages say what is wrong. Its parameters name what it needs:

- ``client``: a test client of a fresh app with an empty database;
- ``app``: that app; ``make_app(**config)``: a factory for more apps;
- ``package``: the imported ``part1_basic_app``; ``app_parent``: the folder holding it;
- ``once(key, compute)``: ``compute()``'s result, computed once per run of the checks.
"""

import contextlib
import importlib
import inspect
import os
import signal
import sys
import tempfile
import threading
import time
import traceback
from dataclasses import asdict, dataclass
from pathlib import Path

from .. import APP_NAME, forget_app
from .tracing import MemoryBytecodeCache, trace

CHECK_SECONDS = 5  # per check; an endless loop is reported with its line


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


class CheckTimeout(Exception):
    """A check took longer than CHECK_SECONDS: most likely an endless loop."""


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
    """Say what an exception from the learner's code was and where it happened."""
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
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
        config = {"TESTING": True, "SECRET_KEY": "checks", **config}
        config.setdefault("DATABASE", os.path.join(workdir, f"notes-{len(made)}-{time.monotonic_ns()}.sqlite"))
        return trace(package.create_app(config), once("templates", MemoryBytecodeCache))

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
        try:
            with time_limit(chk.seconds):
                args = {name: get(name) for name in inspect.signature(chk.func).parameters}
                chk.func(**args)
        except AssertionError as exc:
            message = str(exc) or "This check failed."
            passed = False
        except CheckTimeout as exc:
            message = f"This check {exc}{location(exc, app_parent)}."
            passed = False
        except Exception as exc:
            message = f"Your app raised {describe_error(exc, app_parent)}."
            passed = False
        else:
            message, passed = "", True
    return Result(chk.step, chk.name, chk.title, chk.where, passed, message, round(time.perf_counter() - started, 3))


def run_checks(app_parent, steps):
    """Run the checks of ``steps`` against the app in ``app_parent``; a list of Results."""
    selected = [c for c in CHECKS if c.step in steps]
    app_parent = Path(app_parent).resolve()
    try:
        with contextlib.redirect_stdout(sys.stderr):
            package = load_package(app_parent)
    except Exception as exc:
        message = f"{APP_NAME} could not be imported: {describe_error(exc, app_parent)}. Fix that first."
        return [Result(c.step, c.name, c.title, c.where, False, message) for c in selected]
    with contextlib.redirect_stdout(sys.stderr):
        memo = {}
        return [run_check(c, package, app_parent, memo) for c in selected]
