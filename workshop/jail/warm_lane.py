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
went) and waits until they are gone: then nothing of it runs when the next submission starts. What Landlock does
not guard it puts back too: it removes the jail's System V IPC objects (they outlive their processes), empties
its user keyrings (keyrings.py: each submission has a session keyring of its own), and gives
the folders a submission can reach but not write in (those bwrap made, /tmp, /dev/shm, the lane's folder) the
mode and times they had before the first submission.
"""

import ctypes
import gc
import os
import resource
import signal
import socket
import stat
import sys
import time
from pathlib import Path

from .. import wire
from ..app_process import warmup
from ..app_process import zygote
from . import keyrings
from . import landlock
from .isolation import SYSTEM

SWEEP_SECONDS = 5
IPC_RMID = 0
FIRST_POLL_SECONDS = 0.001
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
    keyrings.own_session()
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
    deadline, pause = time.monotonic() + SWEEP_SECONDS, FIRST_POLL_SECONDS
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
        time.sleep(pause)  # a killed process is usually gone within a millisecond
        pause = min(2 * pause, POLL_SECONDS)


def remove_ipc():
    """Remove the System V shared memory, semaphores and message queues of the jail (its own IPC namespace):
    they outlive their processes, and Landlock does not guard them."""
    libc = ctypes.CDLL(None, use_errno=True)
    for kind, control in (("shm", libc.shmctl), ("sem", libc.semctl), ("msg", libc.msgctl)):
        try:
            lines = Path("/proc/sysvipc", kind).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            fields = line.split()
            if len(fields) > 1 and fields[1].isdigit():
                control(int(fields[1]), IPC_RMID, None)


def skeleton(paths):
    """The mode and times of each folder of ``paths`` and above them: {folder: (mode, atime_ns, mtime_ns)}."""
    kept = {}
    for path in paths:
        for folder in [path, *map(str, Path(path).parents)]:
            try:
                info = os.lstat(folder)
            except OSError:
                continue
            if stat.S_ISDIR(info.st_mode):
                kept[folder] = (stat.S_IMODE(info.st_mode), info.st_atime_ns, info.st_mtime_ns)
    return kept


def restore(kept):
    """Give each folder of ``kept`` back its mode and times (those on a read-only mount cannot have changed)."""
    for folder, (mode, atime, mtime) in kept.items():
        try:
            info = os.lstat(folder)
            if not stat.S_ISDIR(info.st_mode):
                continue
            if stat.S_IMODE(info.st_mode) != mode:
                os.chmod(folder, mode)
            if (info.st_atime_ns, info.st_mtime_ns) != (atime, mtime):
                os.utime(folder, ns=(atime, mtime))
        except OSError:
            continue


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
    warmup.warm()
    gc.freeze()  # for the submissions it forks: see zygote.serve
    control = socket.socket(fileno=int(sys.argv[1]))
    kept = skeleton([os.getcwd(), "/tmp", "/dev/shm", "/proc", *SYSTEM, sys.prefix, sys.base_prefix, sys.exec_prefix,
                     os.path.join(sys.path[0], "workshop")])  # its own folder is the lane's; its code is in sys.path[0]

    def swept(message):
        left = sweep()
        remove_ipc()
        keyrings.clear_user()
        restore(kept)
        return {"left": left}

    wire.answer_until_closed(control, {"submission": lambda message: fork_submission(control, message), "sweep": swept})
