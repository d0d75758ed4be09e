"""A grading lane's warm worker: one per lane, in the lane's bwrap jail, forking a confined zygote per submission.

    python -I -c "...; from workshop.jail.warm_lane import main; main()" CODE FD

(see workshop/judge/lane_worker.py for the judge's end)

It has imported the libraries once (zygote.py) and never runs a learner's code. "submission" forks a child
that, before anything else, joins the submission's control groups (the judge hands down their cgroup.procs,
opened outside the jail), takes the submission's resource limits and confines itself with Landlock
(landlock.py): it writes only in the submission's folder, reads only Python, the libraries, the workshop
package, /proc and the devices, and can neither signal nor connect to an abstract socket of anything outside
itself. That child then serves as the submission's zygote (zygote.serve): the judge gets its end of a new
socket pair. "sweep" kills every other process of the jail (all that the submission started, wherever it
went) and waits until they are gone: then nothing of it runs when the next submission starts.
"""

import os
import resource
import signal
import socket
import stat
import sys
import time

from .. import wire
from . import landlock, zygote

SWEEP_SECONDS = 5
POLL_SECONDS = 0.01


def devices():
    """The character devices of the jail's /dev (null, zero, urandom, ...): not /dev/shm, shared by the lane."""
    found = []
    for entry in os.scandir("/dev"):
        if not entry.is_symlink() and stat.S_ISCHR(entry.stat(follow_symlinks=False).st_mode):
            found.append(entry.path)
    return found


def confine(message, groups):
    """In the submission's new process: its control groups, its limits, Landlock; never go on unconfined."""
    for fd in groups:
        os.write(fd, b"0")  # 0: the writer itself
        os.close(fd)
    os.setsid()
    folder = message["folder"]
    os.chdir(folder)
    for name, value in message.get("rlimits", {}).items():
        kind = getattr(resource, name)
        hard = resource.getrlimit(kind)[1]
        value = value if hard == resource.RLIM_INFINITY else min(value, hard)
        resource.setrlimit(kind, (value, value))
    landlock.confine(message["read"], [folder, *devices()])


def fork_submission(control, message):
    """A confined zygote for one submission; the judge gets its end of a new socket pair."""
    count = message.get("groups")
    groups = socket.recv_fds(control, 1, count)[1] if isinstance(count, int) and count > 0 else []
    judge_end, own_end = socket.socketpair()
    pid = os.fork()
    if pid == 0:
        try:
            control.close()
            judge_end.close()
            confine(message, groups)
            os.closerange(3, own_end.fileno())  # nothing of the zygote's but its own socket
            os.closerange(own_end.fileno() + 1, 1 << 16)
            zygote.serve(own_end)
        finally:
            os._exit(70)
    own_end.close()
    for fd in groups:
        os.close(fd)
    socket.send_fds(control, [wire.HEADER.pack(0)], [judge_end.fileno()])
    judge_end.close()
    return {"pid": pid}


def others():
    """The live processes of the jail but this one and the jail's init (1)."""
    found = []
    for name in os.listdir("/proc"):
        if name.isdigit() and int(name) not in (1, os.getpid()):
            try:
                with open(f"/proc/{name}/stat", "rb") as file:
                    state = file.read().rsplit(b")", 1)[1].split()[0]
            except (OSError, IndexError):
                continue
            if state not in (b"Z", b"X"):
                found.append(int(name))
    return found


def sweep():
    """Kill every process of the jail but this one, until none is left (or SWEEP_SECONDS passed): how many are."""
    deadline = time.monotonic() + SWEEP_SECONDS
    while True:
        left = others()
        for pid in left:
            try:
                os.kill(pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
        reap()
        if not left or time.monotonic() > deadline:
            return len(left)
        time.sleep(POLL_SECONDS)


def reap():
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return


def main():
    zygote.undumpable()
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)
    control = socket.socket(fileno=int(sys.argv[1]))
    while True:
        try:
            message = wire.receive(control)
        except (wire.Closed, OSError):
            os._exit(0)
        op = message.get("op")
        if op == "submission":
            answer = fork_submission(control, message)
        elif op == "sweep":
            answer = {"left": sweep()}
        else:
            answer = {"error": "unknown operation"}
        wire.send(control, {"re": message.get("seq"), **answer})
