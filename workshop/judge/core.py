"""The judge: registering the checks and running them against an app in a process of its own.

A check is a plain function whose docstring's first line says what must be true and
whose ``assert`` messages say what is wrong. Its parameters name what it needs:

- ``client``: a test client of a fresh app with an empty database; ``app``: that app;
- ``make_app(probes=(), defaults=True, **config)``: a factory for more apps;
- ``raw_wsgi``: the learner's ``raw_wsgi.application``, as a WSGI callable;
- ``app_parent``: the folder holding ``part1_basic_app`` (to read its files as text);
- ``jail``: where the learner's processes run; ``scratch``: a folder for the check's files;
- ``worker``: the warm worker that forks them (None where there is none, see worker.py);
- ``once(key, compute)``: ``compute()``'s result, computed once per run of the checks.

The apps live in the app process (see bridge.py); this process never imports the
learner's code, so nothing the app does can change a verdict but its answers.
"""

import contextlib
import inspect
import os
import tempfile
import time
from collections.abc import Callable
from collections.abc import Collection
from dataclasses import asdict
from dataclasses import dataclass
from dataclasses import field
from pathlib import Path

from .. import APP_NAME
from .. import jailfiles
from .. import wire
from ..early import Early
from ..jail import sandbox
from ..jail.isolation import Jail
from .bridge import AppDied
from .bridge import AppError
from .bridge import AppProcess
from .bridge import Bridge
from .bridge import CheckTimeout
from .bridge import RouteStuck
from .bridge import START_SECONDS
from .hooks import forged_outcomes
from .worker import AVAILABLE
from .worker import Worker

CHECK_SECONDS = 5  # per check; an endless loop is reported with its line
STOPPED_SECONDS = 3 * CHECK_SECONDS  # the time the checks stopped at their limit may take together
OUT_OF_MEMORY = ("MemoryError", "Cannot allocate memory", "out of memory")


@dataclass
class Check:
    step: int
    name: str
    title: str
    where: str
    func: Callable[..., object]  # called with the fixtures its parameters name
    seconds: float = CHECK_SECONDS


@dataclass
class Result:
    step: int
    name: str
    title: str
    where: str
    passed: bool
    message: str = ""
    seconds: float | None = None

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class Run:
    """One run of the checks: a result (dict) per check asked for, and how the run went."""

    results: list[dict]  # Result.to_dict() of each check
    status: str = "ok"  # ok, error, timeout or memory
    message: str = ""
    flags: list[str] = field(default_factory=list)


CHECKS: list[Check] = []


def check(step: int, where: str, seconds: float = CHECK_SECONDS) -> Callable[[Callable], Callable]:
    """Register a check of ``step``; ``where`` names the file and TODO to open."""
    def register(func):
        title = " ".join(inspect.getdoc(func).split("\n\n")[0].split())  # the first paragraph, wrapped or not
        CHECKS.append(Check(step, func.__name__, title, where, func, seconds))
        return func
    return register


HEAD_STARTS: list[tuple[int, Callable]] = []


def head_start(step: int) -> Callable[[Callable], Callable]:
    """Register what a check of ``step`` needs and may start before the checks run, in the background; its
    parameters name what it needs, as a check's do."""
    def register(func):
        HEAD_STARTS.append((step, func))
        return func
    return register


def worst_case_seconds(steps: Collection[int]) -> float:
    """How long the checks of ``steps`` may take at most, each one stopped at its own limit."""
    return START_SECONDS + sum(c.seconds + START_SECONDS for c in CHECKS if c.step in steps)


def default_config(workdir):
    """The configuration of the checks' apps: testing, a known key, no CSRF, a database of their own."""
    database = os.path.join(workdir, f"notes-{time.monotonic_ns()}.sqlite")
    return {"TESTING": True, "SECRET_KEY": "checks", "WTF_CSRF_ENABLED": False, "DATABASE": database}


class Fixtures:
    """The values a check may ask for, made lazily, for one check."""

    def __init__(self, judge, scratch):
        self.judge, self.scratch, self.made = judge, scratch, {}

    def make_app(self, probes=(), defaults=True, **config):
        base = default_config(self.scratch)
        config = {**(base if defaults else {"DATABASE": base["DATABASE"]}), **config}
        return self.judge.process().create(config, probes)

    def once(self, key, compute):
        if key not in self.judge.memo:
            self.judge.memo[key] = compute()
        return self.judge.memo[key]

    def get(self, name):
        if name not in self.made:
            if name == "app":
                self.made[name] = self.make_app()
            elif name == "client":
                self.made[name] = self.get("app").test_client()
            elif name == "raw_wsgi":
                self.made[name] = Bridge(self.judge.process(), "raw_wsgi")
            else:
                self.made[name] = {
                    "make_app": self.make_app, "once": self.once, "app_parent": self.judge.app_parent,
                    "jail": self.judge.jail, "scratch": self.scratch, "worker": self.judge.worker,
                }[name]
        return self.made[name]


class Judge:
    """The checks of one app: the app process they share, and what they found."""

    def __init__(self, app_parent, jail, limits, workdir, worker):
        self.app_parent, self.jail, self.workdir, self.worker = Path(app_parent).resolve(), jail, workdir, worker
        if worker is not None:  # this run's app process and runs of the learner's tests compile each template once
            worker.templates = os.path.join(workdir, "compiled-templates")
        env = sandbox.scrubbed_env(workdir)
        self.app = AppProcess(self.app_parent, jail, env, limits, default_config(workdir), worker)
        self.memo = {}
        self.check_seconds = CHECK_SECONDS

    def process(self):
        """The app process, started (again) if needed."""
        if not self.app.running:
            self.app.start()
            self.app.set_deadline(self.check_seconds)
        return self.app

    def call(self, func):
        """Call ``func`` with the fixtures its parameters name, in a scratch folder of its own."""
        fixtures = Fixtures(self, tempfile.mkdtemp(prefix="check-", dir=self.workdir))
        return func(**{name: fixtures.get(name) for name in inspect.signature(func).parameters})

    def start_ahead(self, selected):
        """Start what the checks of ``selected`` may have started before they run (see head_start)."""
        steps = {c.step for c in selected}
        for step, start in HEAD_STARTS:
            if step in steps:
                with contextlib.suppress(Exception):  # the check does it itself
                    self.call(start)

    def run_check(self, chk):
        """Run one check: (its Result, how it ended: "stopped" at its time limit, "stuck" on a request that did
        not answer earlier, or None); never raises but for a KeyboardInterrupt."""
        started = time.perf_counter()
        where, stopped = chk.where, None
        self.check_seconds, self.app.checking = chk.seconds, chk.title
        self.app.set_deadline(chk.seconds)
        try:
            self.call(chk.func)
        except AssertionError as exc:
            message, passed = str(exc) or "This check failed.", False
            where = getattr(exc, "where", None) or where
        except CheckTimeout as exc:
            message, passed, stopped = f"This check {exc}.", False, "stopped"
        except RouteStuck as exc:
            message, passed, stopped = f"This check did not run: {exc}.", False, "stuck"
        except AppDied as exc:
            message = (f"Your app's process ended during this check ({exc}):"
                       " does the app call os._exit() or crash Python?")
            passed = False
        except AppError as exc:
            message, passed = f"Your app raised {exc}.", False
            where = exc.where or where
        except (wire.OverCap, jailfiles.Refused) as exc:
            message, passed = f"This check stopped at what your app left or sent: {exc}.", False
        except Exception as exc:  # an answer the check did not foresee: never a pass
            message = f"This check could not make sense of your app's answer ({type(exc).__name__}: {exc})."
            passed = False
        else:
            message, passed = "", True
        finally:
            self.app.checking = None
        return Result(chk.step, chk.name, chk.title, where, passed, message,
                      round(time.perf_counter() - started, 3)), stopped


def judge(app_parent: str | Path, steps: Collection[int], jail: Jail | None = None,
          limits: sandbox.Limits | None = None, stop=None, worker: Worker | None = None,
          emit=lambda kind, **data: None, early: Early | None = None, ahead: bool = True) -> Run:
    """Run the checks of ``steps`` against the app in ``app_parent``: a Run.

    ``jail`` says where the app process runs (rlimits alone by default); ``limits`` bound its
    memory and output and, in ``seconds``, the whole run. The learner's processes are forked
    from ``worker`` (a warm worker kept by the caller), or from one made for this run where
    ``fork`` can be had. A set ``stop`` event ends the run between two checks (raising
    sandbox.Interrupted). ``emit(kind, **data)`` hears of each event as it happens:
    "app_error", "start" and "result" for each check, "done". ``early`` is an app process
    started for this run before the judge was imported (see early.py): the run takes it over
    and ends it. With ``ahead``, what a check may start before the checks run starts then (see
    head_start): where a core is spare.
    """
    jail = jail or Jail()
    limits = limits or sandbox.Limits(seconds=worst_case_seconds(steps))
    selected = [c for c in CHECKS if c.step in steps]
    deadline = time.monotonic() + limits.seconds
    own = worker is None and AVAILABLE and 5 in steps  # a warm worker pays off when pytest runs
    if early is not None and (worker is not None or own or not early.fits(app_parent, jail, limits)):
        early.discard()  # not the app process this run starts
        early = None
    with (early.folder if early else tempfile.TemporaryDirectory(
            prefix="workshop-judge-", dir=jail.writable, ignore_cleanup_errors=True)) as workdir:
        workdir = os.path.realpath(workdir)  # no link in the paths the judge gives the app (see jailfiles.py)
        if own:
            worker = Worker(jail, sandbox.scrubbed_env(workdir), limits)
        judging = Judge(app_parent, jail, limits, workdir, worker)
        judging.app.early = early
        try:
            return run(judging, selected, deadline, stop, emit, ahead)
        finally:
            judging.app.stop()
            if own and worker is not None:
                worker.stop()
            elif worker is not None:
                worker.end_unwaited()
            if early:
                early.stop()


def run(judging, selected, deadline, stop, emit, ahead=False):
    """Run the checks one by one; a check stopped at its limit costs the checks that need its request, and
    once the stopped ones have taken STOPPED_SECONDS, or the run its time, the others do not run."""
    try:
        judging.process()
    except (AppError, CheckTimeout) as exc:
        return app_error(judging, selected, exc, emit)
    if ahead:
        judging.start_ahead(selected)
    results, stopped, stuck, why = [], [], 0, None
    for chk in selected:
        if stop is not None and stop.is_set():
            raise sandbox.Interrupted
        if why is None and sum(r.seconds for r in stopped) >= STOPPED_SECONDS:
            why = f"the checks stopped at their time limit took {STOPPED_SECONDS:g} s, the time they may take together"
        elif why is None and time.monotonic() > deadline:
            why = f"the checks did not finish within {judging.app.limits.seconds:g} s, the time for them all"
        if why:
            results.append(Result(chk.step, chk.name, chk.title, chk.where, False,
                                  f"This check did not run: {why}.").to_dict())
            continue
        emit("start", name=chk.name)
        result, ended = judging.run_check(chk)
        stopped += [result] if ended == "stopped" else []
        stuck += ended == "stuck"
        emit("result", **result.to_dict())
        results.append(result.to_dict())
    emit("done")
    if why is None and not stuck:
        return Run(results, "ok", "", flags(judging))
    first = f", the first “{stopped[0].title}”: {stopped[0].message}" if stopped else "."
    if why is None:
        message = f"{stuck} check(s) did not run: they need a request that did not answer{first}"
        return Run(results, "timeout", message, flags(judging))
    return Run(results, "timeout", f"The checks were stopped: {why}{first}", flags(judging))


def app_error(judging, selected, exc, emit):
    """The Run of an app that cannot be imported or created in time: every check failed with the reason."""
    timed_out = isinstance(exc, CheckTimeout)
    problem = f"{APP_NAME} could not be imported or created in time: {exc}" if timed_out else str(exc)
    status = "timeout" if timed_out else "memory" if any(s in problem for s in OUT_OF_MEMORY) else "error"
    if status == "memory":
        problem = f"The app ran out of memory (the limit is {judging.app.limits.memory_mb} MB). {problem}"
    message = f"{problem.rstrip('.')}. Fix that first: no check can run until the app can be created."
    emit("app_error", message=message)
    results = [Result(c.step, c.name, c.title, c.where, False, message).to_dict() for c in selected]
    return Run(results, status, message, flags(judging))


def flags(judging):
    """What the judge saw that a person should look at."""
    died = [title for event, title in judging.app.events if event == "died" and title]
    more = f" and {len(died) - 1} more check(s)" if died[1:] else ""
    found = [f"the app's process ended by itself during “{died[0]}”{more}"] if died else []
    outside = judging.app.writes_outside
    if outside:
        more = f" and {len(outside) - 3} more" if outside[3:] else ""
        found.append(f"the app tried to write outside its own folder: {', '.join(outside[:3])}{more}")
    return [*found, *forged_outcomes(judging.app_parent)]
