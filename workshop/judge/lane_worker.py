"""The judge's end of a grading lane's warm jail (workshop/jail/warm_lane.py): one bwrap jail per lane, whose warm
worker forks a zygote for each submission, confined with Landlock, rlimits and control groups of its own.

``WarmLane.submission(folder)`` gives the ``Worker`` for judge(): app processes and pytest runs are forked
from that submission's zygote. Leaving it kills everything the submission started (every process of the jail
but the lane's worker, then every process of its control groups) before the next submission starts; the caller
removes its folder. Where Landlock cannot scope signals and sockets (``available``), the grader gives each
submission a jail of its own instead (worker.py).
"""

import contextlib
import os
import secrets
import socket
import sys
import time
from pathlib import Path

from .. import ROOT
from .. import wire
from ..jail import cgroups
from ..jail import keyrings
from ..jail import landlock
from ..jail import sandbox
from ..jail.isolation import Jail
from ..jail.isolation import SYSTEM
from .worker import ANSWER_BYTES
from .worker import AVAILABLE
from .worker import START_SECONDS
from .worker import Worker
from .worker import WorkerDied

LANE = "import sys; sys.path.insert(0, sys.argv.pop(1)); from workshop.jail.warm_lane import main; main()"
SWEEP_SECONDS = 10  # warm_lane.SWEEP_SECONDS, and the answer on a busy machine


def available(isolation):
    """Whether a lane can keep one warm jail for all its submissions: bwrap, Landlock that scopes signals, and
    keyrings that it can clear."""
    return isolation == "bwrap" and AVAILABLE and keyrings.SUPPORTED and landlock.abi() >= landlock.SCOPED_ABI


def readable(code):
    """What a submission's processes may read: the system, Python and its libraries, the workshop package, /proc."""
    return [*SYSTEM, sys.base_prefix, sys.prefix, sys.exec_prefix, str(Path(code) / "workshop"), "/proc"]


class WarmLane:
    """A lane's jail and its warm worker, started on first use and again after it failed."""

    def __init__(self, folder, limits, code=ROOT):
        self.folder, self.limits = Path(os.path.realpath(folder)), limits
        self.jail = Jail("bwrap", self.folder, code)
        self.process = self.sock = None

    def start(self):
        self.sock, lane_end = socket.socketpair()
        command = [sys.executable, "-I", "-B", "-c", LANE, str(self.jail.code), str(lane_end.fileno())]
        try:
            env = sandbox.scrubbed_env(self.folder)
            self.process, self.token = sandbox.spawn(
                command, self.folder, env, self.limits, self.jail, pass_fds=(lane_end.fileno(),))
        finally:
            lane_end.close()

    def ask(self, message, seconds, fds=(), with_socket=False):
        """Send ``message`` (then ``fds``); its answer (and the socket handed down). A failure ends the jail."""
        if self.process is None:
            self.start()
        try:
            wire.send(self.sock, message)
            if fds:
                socket.send_fds(self.sock, [b"\0"], list(fds))
            deadline = time.monotonic() + START_SECONDS + seconds
            self.sock.settimeout(START_SECONDS + seconds)
            handed = socket.recv_fds(self.sock, wire.HEADER.size, 1)[1] if with_socket else []
            answer = wire.receive(self.sock, ANSWER_BYTES, deadline)
        except BaseException as exc:
            self.stop()
            if isinstance(exc, Exception):
                raise WorkerDied(f"the lane's warm worker did not answer ({exc})") from None
            raise
        if with_socket and not handed:
            self.stop()
            raise WorkerDied("the lane's warm worker handed down no socket")
        return (answer, socket.socket(fileno=handed[0])) if with_socket else answer

    def fork_submission(self, folder, groups):
        """A new confined zygote for the submission in ``folder``: (its socket, its pid in the jail)."""
        message = {"op": "submission", "folder": str(folder), "read": readable(self.jail.code),
                   "rlimits": self.limits.rlimits(jailed=True), "groups": len(groups)}
        answer, sock = self.ask(message, 0, fds=groups, with_socket=True)
        return sock, answer.get("pid")

    def sweep(self):
        """Kill every process of the jail but its warm worker; the jail itself if any is left."""
        if self.process is None:
            return
        try:
            left = self.ask({"op": "sweep"}, SWEEP_SECONDS).get("left")
        except WorkerDied:
            return
        if left != 0:
            self.stop()

    @contextlib.contextmanager
    def submission(self, folder):
        """The Worker of the submission whose only writable folder is ``folder`` (inside the lane's folder), started
        at once: it confines itself while the caller goes on."""
        token = secrets.token_hex(16)
        groups = open_groups(self.limits.group(token))
        worker = Confined(self, folder, groups)
        try:
            with contextlib.suppress(WorkerDied):  # started again on first use
                worker.start()
            yield worker
        finally:
            worker.stop()
            for fd in groups:
                os.close(fd)
            cgroups.remove(token)

    def stop(self):
        """End the jail and everything in it."""
        if self.process is not None:
            self.sock.close()
            sandbox.end_everything(self.process, self.token)
            self.process = None


def open_groups(groups):
    """Make the control groups ``{folder: {file: value}}`` (see cgroups.settings): their cgroup.procs, open to write."""
    opened = []
    for folder, limits in groups.items():
        try:
            os.mkdir(folder)
            for name, value in limits.items():
                Path(folder, name).write_text(value)
            opened.append(os.open(Path(folder, "cgroup.procs"), os.O_WRONLY | os.O_CLOEXEC))
        except OSError as exc:
            print(f"grader: could not make the control group {folder}: {exc}", file=sys.stderr)
    return opened


class Confined(Worker):
    """The Worker of one submission in a WarmLane: its zygote is forked from the lane's, and confined."""

    def __init__(self, lane, folder, groups):
        super().__init__(lane.jail, None, lane.limits)
        self.lane, self.folder, self.groups = lane, folder, groups

    def start(self):
        self.owner = os.getpid()
        self.starts += 1
        self.lane.sweep()  # an earlier zygote of this submission died: nothing of it goes on
        self.sock, pid = self.lane.fork_submission(self.folder, self.groups)
        self.process = pid if isinstance(pid, int) else 0  # not None: started

    def stop(self):
        self.forget_if_inherited()
        if self.process is not None:
            self.sock.close()
            self.process = None
            self.lane.sweep()
