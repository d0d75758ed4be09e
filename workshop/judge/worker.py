"""The judge's end of the warm worker (workshop/app_process/zygote.py): app processes and runs of the
learner's tests forked from a process, in the learner's jail, that has imported the libraries once.

Where there is no ``fork`` (or no way to hand a socket down), the judge starts a fresh Python for
each instead: the same verdicts, only slower.
"""

import os
import socket
import sys
import time
from dataclasses import dataclass

from .. import wire
from ..jail import sandbox

AVAILABLE = sys.platform.startswith("linux") and hasattr(socket, "send_fds")
START_SECONDS = 20  # Python importing Flask, Jinja, Werkzeug and pytest, on a busy machine
ANSWER_BYTES = wire.MB  # the worker answers with a few numbers
ZYGOTE = "import sys; sys.path.insert(0, sys.argv.pop(1)); from workshop.app_process.zygote import main; main()"


def outcome(result):
    """The Outcome of a run of pytest, from the worker's answer."""
    code = result.get("returncode")
    return sandbox.Outcome(code if isinstance(code, int) else -1, 0, result.get("timed_out") is True, "", "")


@dataclass
class Started:
    """Runs of pytest started by a worker: the runs, their pids, and which start of the worker forked them."""

    runs: list
    pids: list
    starts: int


class WorkerDied(Exception):
    """The warm worker did not answer (it was killed, or it died)."""


class Worker:
    """One warm worker: started on first use, restarted after it died."""

    def __init__(self, jail, env, limits):
        self.jail, self.env, self.limits = jail, env, limits
        self.process = self.sock = None
        self.starts = 0  # how many times it was started
        self.unwaited = []  # the runs of pytest started and not waited for
        self.templates = None  # where the processes of the current run of the checks share their compiled templates

    def start(self):
        self.owner = os.getpid()
        self.starts += 1
        self.sock, zygote_end = socket.socketpair()
        command = [sys.executable, "-I", "-B", "-c", ZYGOTE, str(self.jail.code), str(zygote_end.fileno())]
        try:
            self.process, self.token = sandbox.spawn(
                command, self.jail.writable or self.env["TMPDIR"], self.env, self.limits, self.jail,
                pass_fds=(zygote_end.fileno(),))
        finally:
            zygote_end.close()

    def ask(self, message, seconds, with_socket=False):
        """Send ``message``; its answer (and the socket handed down with it). Any failure ends the worker."""
        self.forget_if_inherited()
        if self.process is None:
            self.start()
        try:
            wire.send(self.sock, message)
            deadline = time.monotonic() + START_SECONDS + seconds
            self.sock.settimeout(START_SECONDS + seconds)
            handed = socket.recv_fds(self.sock, wire.HEADER.size, 1)[1] if with_socket else []
            answer = wire.receive(self.sock, ANSWER_BYTES, deadline)
        except BaseException as exc:  # a timeout, a death, a Ctrl-C: never reuse a worker in an unknown state
            self.stop()
            if isinstance(exc, Exception):
                raise WorkerDied(f"the warm worker did not answer ({exc})") from None
            raise
        return (answer, socket.socket(fileno=handed[0]) if handed else None) if with_socket else answer

    def fork_app(self, app_parent, env, seconds):
        """A new app process for the app in ``app_parent``: (its end of the bridge, its pid)."""
        answer, sock = self.ask({"op": "app", "app_parent": str(app_parent), "cwd": str(app_parent), "env": env,
                                 "templates": self.templates}, seconds, with_socket=True)
        if sock is None:
            raise WorkerDied("the warm worker handed down no socket")
        return sock, answer.get("pid")

    def pytest(self, runs, seconds):
        """Runs of pytest, all at once, each a dict of its ``args``, ``cwd``, ``env``, ``path`` and ``mutant``:
        an Outcome each (its exit code, or timed out)."""
        return self.wait_pytest(self.start_pytest(runs), seconds)

    def start_pytest(self, runs):
        """Start runs of pytest (see ``pytest``) and return at once: what ``wait_pytest`` waits for."""
        runs = [{**run, "cwd": str(run["cwd"]), "templates": self.templates} for run in runs]
        answer = self.ask({"op": "pytest", "runs": runs}, 0)
        pids = answer.get("pids")
        started = Started(runs, pids if isinstance(pids, list) else [], self.starts)
        self.unwaited.append(started)
        return started

    def wait_pytest(self, started, seconds):
        """An Outcome each of the runs ``started`` (run again if the worker was started anew meanwhile)."""
        if started in self.unwaited:
            self.unwaited.remove(started)
        if started.starts != self.starts or self.process is None:
            started = self.start_pytest(started.runs)
            self.unwaited.remove(started)
        answer = self.ask({"op": "wait", "pids": started.pids, "seconds": seconds}, seconds)
        results, count = answer.get("results"), len(started.runs)
        results = results if isinstance(results, list) and len(results) == count else [{}] * count
        return [outcome(result if isinstance(result, dict) else {}) for result in results]

    def end_unwaited(self):
        """End the runs of pytest started and not waited for (a run of the checks stopped before it needed them)."""
        for pid in [pid for started in self.unwaited if started.starts == self.starts for pid in started.pids]:
            self.kill(pid)
        self.unwaited.clear()

    def kill(self, pid):
        """End a child of the worker and its process group."""
        if self.process is not None and isinstance(pid, int):
            try:
                self.ask({"op": "kill", "pid": pid}, 5)
            except WorkerDied:
                pass

    def forget_if_inherited(self):
        """In a process forked from the one that started the worker, leave that worker to its owner."""
        if self.process is not None and self.owner != os.getpid():
            self.process = self.sock = None

    def stop(self):
        self.forget_if_inherited()
        if self.process is not None:
            self.sock.close()
            sandbox.end_everything(self.process, self.token)
            self.process = None
