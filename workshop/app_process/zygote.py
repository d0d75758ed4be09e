"""The warm worker: a process that has imported Flask, Werkzeug, Jinja and pytest once, and forks a
fresh child for each app process and each run of a learner's tests (Linux only).

    python -I -c "...; from workshop.app_process.zygote import main; main()" CODE FD

(see workshop/judge/worker.py for the judge's end)

It runs in the learner's jail and never imports the learner's code itself: each child does, after
it has closed the zygote's socket to the judge. The zygote answers the judge's messages on FD
(see workshop/wire.py): "app" forks an app process (workshop/app_process/app_server.py) and hands the
judge its end of a new socket pair; "pytest" forks runs of pytest, all at once, and answers their pids (it
answers other messages while they run), "wait" their exit codes once they ended; "kill" ends a child and its
process group. It makes itself undumpable first, so that a child, though it runs as the same user, cannot trace
it or read its memory.
"""

import ctypes
import gc
import getpass  # noqa: F401 (pytest's tmp_path imports it in each run)
import os
import select
import signal
import socket
import sys
import time

import flask  # the libraries every child needs, imported once, before any learner's code runs
import flask_wtf.csrf  # noqa: F401
import jinja2  # noqa: F401
import pytest  # noqa: F401
import pytest_timeout  # noqa: F401
import waitress  # noqa: F401
import werkzeug.test  # noqa: F401
from _pytest import python  # noqa: F401

from .. import servers  # noqa: F401
from .. import wire  # noqa: F401
from ..jail.sandbox import MARKER
from . import app_server
from . import mutants
from . import outcomes
from . import pytest_start
from . import tracing
from . import url_builders
from . import warmup

PR_SET_DUMPABLE = 4
POLL_SECONDS = 0.01


def undumpable():
    """No process of the same user may trace this one or read its memory (prctl PR_SET_DUMPABLE 0)."""
    try:
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_DUMPABLE, 0, 0, 0, 0)
    except (OSError, AttributeError):
        pass


def child(control, cwd, env):
    """In a new child: leave the zygote's socket and process group, take the run's folder and environment."""
    control.close()
    os.setsid()
    os.chdir(cwd)
    marker = os.environ.get(MARKER)
    os.environ.clear()
    os.environ.update(env)
    if marker:  # the sandbox finds and ends the processes that carry it
        os.environ[MARKER] = marker
    null = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(null, fd)
    gc.set_threshold(50_000, 20, 20)  # a short life: collect garbage less often than every 700 new objects
    url_builders.install()  # its apps, one per check or test, compile each URL rule's builder once


def fork_app(control, message):
    judge_end, app_end = socket.socketpair()
    pid = os.fork()
    if pid == 0:
        try:
            judge_end.close()
            child(control, message["cwd"], message["env"])
            app_server.AppServer(message["app_parent"], app_end, message.get("templates")).serve()
        finally:
            os._exit(0)
    app_end.close()
    socket.send_fds(control, [wire.HEADER.pack(0)], [judge_end.fileno()])
    judge_end.close()
    return {"pid": pid}


def fork_pytest(control, run):
    """Start one run of pytest in a child; its pid."""
    pid = os.fork()
    if pid == 0:
        code = 3
        try:
            child(control, run["cwd"], run["env"])
            sys.path[:0] = run.get("path", [])
            mutants.choose(run.get("mutant", ""))
            # each test makes a fresh app: its templates compiled once for all (as the app process does)
            flask.Flask.jinja_options = {**flask.Flask.jinja_options,
                                         "bytecode_cache": tracing.bytecode_cache(run.get("templates"))}
            code = pytest_start.main(run["args"], plugins=[mutants, outcomes])
        finally:
            os._exit(int(code))
    return pid


def start_pytest(control, message, started):
    """Runs of pytest, one child each, all at once: their pids, which ``wait_pytest`` then waits for."""
    pids = [fork_pytest(control, run) for run in message["runs"]]
    started.update(pids)
    return {"pids": pids}


def wait_pytest(message, started):
    """Each run's exit code once it ended, or timed_out after ``seconds`` (then it is killed); only runs this
    process started are waited for."""
    pids = [pid for pid in message.get("pids", []) if pid in started]
    results = {}
    deadline = time.monotonic() + float(message.get("seconds", 30))
    ends = end_signals(pids)
    try:
        while True:
            for pid in set(pids) - set(results):
                done, status = os.waitpid(pid, os.WNOHANG)
                if done:
                    results[pid] = {"returncode": os.waitstatus_to_exitcode(status), "timed_out": False}
            left = deadline - time.monotonic()
            if len(results) == len(pids) or left <= 0:
                break
            if ends:
                select.select([ends[pid] for pid in pids if pid not in results], [], [], left)
            else:
                time.sleep(POLL_SECONDS)
    finally:
        for fd in ends.values():
            os.close(fd)
    for pid in set(pids) - set(results):
        kill(pid)
        results[pid] = {"returncode": None, "timed_out": True}
    started.difference_update(pids)
    return {"results": [results[pid] for pid in pids]}


def end_signals(pids):
    """{pid: a file descriptor readable once that process ended} ({} where the kernel gives no pidfd: then poll)."""
    ends = {}
    try:
        for pid in pids:
            ends[pid] = os.pidfd_open(pid)
    except (AttributeError, OSError):
        for fd in ends.values():
            os.close(fd)
        return {}
    return ends


def kill(pid):
    for send in (os.killpg, os.kill):
        try:
            send(pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
    try:
        os.waitpid(pid, 0)
    except ChildProcessError:
        pass


def main():
    undumpable()
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)
    warmup.warm()
    serve(socket.socket(fileno=int(sys.argv[1])))


def serve(control):
    """Answer the judge's messages on ``control`` until it closes it; then end at once."""
    gc.freeze()  # the libraries' objects, imported once: no garbage collection of a child walks them again

    started = set()  # the runs of pytest not waited for yet

    def killed(message):
        pid = int(message.get("pid", 0))
        kill(pid)
        started.discard(pid)
        return {}

    wire.answer_until_closed(control, {
        "app": lambda message: fork_app(control, message),
        "pytest": lambda message: start_pytest(control, message, started),
        "wait": lambda message: wait_pytest(message, started),
        "kill": killed,
    })
