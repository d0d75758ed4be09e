"""Run an untrusted command with limits, and leave nothing of it running afterwards.

On POSIX the command starts through ``launcher.py``, which sets resource limits
(address space, file size, CPU time, core dumps, processes), joins a control group of its
own where one can be made (cgroups.py: processes and memory of the command and all it starts),
and then becomes the command, in a session of its own. In a jail, RLIMIT_NPROC is set inside
it, where it counts the processes of the jail's own user namespace, not every process of the user.
Its output goes to anonymous temporary files capped
by the file-size limit, so 100 MB of output costs neither memory nor disk; its TMPDIR is
a fresh folder inside the given one. Afterwards its process group, its session and every
process that still carries its marker in the environment are killed, and its TMPDIR is
removed. Markers accumulate: a sandbox started inside another one carries both, so the
outer clean-up also ends what the inner one started. Windows has no ``setrlimit``: only the wall clock and the
output cap apply there, and ``taskkill /T`` ends the process tree.
"""

import functools
import json
import os
import secrets
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from . import cgroups

POSIX = os.name == "posix"
LAUNCHER = Path(__file__).with_name("launcher.py")
MARKER = "WORKSHOP_GRADING_SANDBOX"
POLL_SECONDS = 0.05
FIRST_POLL_SECONDS = 0.001
KILL_SECONDS = 1  # killing a process tree: the longest end_everything looks for stragglers
TAIL_BYTES = 1024 * 1024
MB = 1024 * 1024

UNSUPPORTED = (
    None if POSIX else
    "Windows has no resource limits: the grader enforces only the time limit and the output cap,"
    " and cannot stop a submission from using all memory. Grade untrusted work on Linux or macOS."
)


class Interrupted(Exception):
    """The grader was asked to stop while the command ran (it was killed)."""


@dataclass(frozen=True)
class Limits:
    seconds: float = 60
    memory_mb: int = 1024
    output_mb: int = 16
    extra_processes: int = 512

    def rlimits(self, jailed=False):
        """The resource limits for launcher.py, by name; those set outside the jail when ``jailed``."""
        limits = {
            "RLIMIT_AS": self.memory_mb * MB,
            "RLIMIT_FSIZE": self.output_mb * MB,
            "RLIMIT_CORE": 0,
            "RLIMIT_CPU": int(2 * self.seconds) + 5,  # a backstop should the grader itself die
        }
        threads = None if jailed or cgroups.caps("pids") else user_threads()
        if threads is not None:  # RLIMIT_NPROC counts every thread of the user, not just ours
            limits["RLIMIT_NPROC"] = threads + self.extra_processes
        return limits

    def group(self, token):
        """The control groups of the command of ``token`` (see cgroups.py): its processes, twice the memory of one."""
        return cgroups.settings(token, self.extra_processes, 2 * self.memory_mb * MB)


@dataclass
class Outcome:
    returncode: int
    seconds: float
    timed_out: bool
    stdout: str
    stderr: str


def scrubbed_env(home, **extra):
    """A minimal environment: nothing of the instructor's, HOME and TMPDIR in ``home``."""
    env = {
        "PATH": os.pathsep.join([str(Path(sys.executable).parent), os.defpath]),
        "HOME": str(home), "TMPDIR": str(home), "TEMP": str(home), "TMP": str(home),
        "LANG": "C.UTF-8", "PYTHONUTF8": "1", "PYTHONDONTWRITEBYTECODE": "1",
    }
    if MARKER in os.environ:  # a grading lane's: the lane's clean-up ends what it started, too
        env[MARKER] = os.environ[MARKER]
    if not POSIX:
        env.update(USERPROFILE=str(home), SYSTEMROOT=os.environ.get("SYSTEMROOT", r"C:\Windows"))
    env.update(extra)
    return env


def launch(command, limits, jail, cwd, token):
    """The command line and Popen options that start ``command`` (marked ``token``) under ``limits`` in ``jail``."""
    jailed = POSIX and jail is not None and jail.isolated
    if jailed:  # RLIMIT_NPROC counts the processes of a user namespace: this one's are the jail's alone
        inside = {"rlimits": {"RLIMIT_NPROC": limits.extra_processes}}
        inner_launcher = Path(jail.code, "workshop", "jail", LAUNCHER.name)
        command = [sys.executable, "-I", "-S", str(inner_launcher), json.dumps(inside), *command]
    if jail is not None:
        command = jail.wrap(command, cwd)
    if POSIX:
        given = {"rlimits": limits.rlimits(jailed), "cgroups": limits.group(token)}
        return [sys.executable, "-I", "-S", str(LAUNCHER), json.dumps(given), *command], {"start_new_session": True}
    return command, {"creationflags": subprocess.CREATE_NEW_PROCESS_GROUP}


def spawn(command, cwd, env, limits, jail=None, pass_fds=()):
    """Start ``command`` under ``limits`` (in ``jail``), its output discarded: (process, token for
    ``end_everything``)."""
    token = secrets.token_hex(16)
    command, options = launch(command, limits, jail, cwd, token)
    process = subprocess.Popen(
        command, cwd=cwd, env=marked(env, token), stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        pass_fds=pass_fds, **options,
    )
    return process, token


def marked(env, token):
    """``env`` with ``token`` added to its sandbox markers (see ``end_everything``)."""
    return {**env, MARKER: " ".join(filter(None, [env.get(MARKER), token]))}


def run(command, cwd, env, limits, stop=None, jail=None, discard_output=False):
    """Run ``command`` under ``limits`` (in ``jail``), its standard input empty; an Outcome. Raises
    Interrupted if ``stop`` gets set. With ``discard_output``, what it prints goes nowhere, however much it is.
    """
    token = secrets.token_hex(16)
    command, options = launch(command, limits, jail, cwd, token)
    with (
        tempfile.TemporaryDirectory(prefix="workshop-sandbox-", dir=env.get("TMPDIR"),
                                    ignore_cleanup_errors=True) as scratch,
        tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err,
    ):
        env = {**marked(env, token), "TMPDIR": scratch, "TEMP": scratch, "TMP": scratch}
        started = time.monotonic()
        sinks = (subprocess.DEVNULL, subprocess.DEVNULL) if discard_output else (out, err)
        process = subprocess.Popen(command, cwd=cwd, env=env, stdin=subprocess.DEVNULL, stdout=sinks[0],
                                   stderr=sinks[1], **options)
        try:
            stopped = watch(process, started, limits, stop, (out, err))
        finally:
            end_everything(process, token)
        if stopped == "interrupted":
            raise Interrupted
        return Outcome(
            returncode=process.returncode,
            seconds=round(time.monotonic() - started, 3),
            timed_out=stopped == "timeout",
            stdout=tail(out),
            stderr=tail(err),
        )


def watch(process, started, limits, stop, outputs):
    """Wait for the process to end; why it must be stopped ("timeout", "interrupted", "output"), or None."""
    while True:
        try:
            process.wait(POLL_SECONDS)
            return None
        except subprocess.TimeoutExpired:
            pass
        if time.monotonic() - started > limits.seconds:
            return "timeout"
        if stop is not None and stop.is_set():
            return "interrupted"
        if max(size(file) for file in outputs) >= limits.output_mb * MB:
            return "output"


def size(file):
    return os.fstat(file.fileno()).st_size


def tail(file):
    """The last TAIL_BYTES of an output file, as text."""
    file.seek(max(0, size(file) - TAIL_BYTES))
    return file.read().decode("utf-8", "replace")


def end_everything(process, token):
    """Kill ``process`` and every process it started, even those that left its group."""
    if not POSIX:
        subprocess.run(["taskkill", "/F", "/T", "/PID", str(process.pid)], capture_output=True, check=False)
        process.kill()
        process.wait()
        return
    deadline, pause = time.monotonic() + KILL_SECONDS, FIRST_POLL_SECONDS
    while True:
        kill_quietly(os.killpg, process.pid)
        stragglers = descendants(process.pid, token)
        for pid in stragglers:
            kill_quietly(os.kill, pid)
        if not stragglers or time.monotonic() > deadline:
            break
        time.sleep(pause)  # a killed process is usually gone within a few milliseconds
        pause = min(2 * pause, POLL_SECONDS)
    cgroups.remove(token)
    process.wait()


def kill_quietly(kill, pid):
    """``kill(pid, SIGKILL)``, ignoring a process that is already gone."""
    try:
        kill(pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


def descendants(leader, token):
    """Live processes in the leader's group or session, or carrying the marker ``token`` (Linux)."""
    found = []
    for pid in processes():
        if pid == os.getpid():
            continue
        try:
            stat = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            state, group, session = stat[0], int(stat[2]), int(stat[3])
            if state in "ZX":
                continue
            if leader in (group, session) or token in markers(pid):
                found.append(pid)
        except (OSError, IndexError, ValueError):
            continue
    return found


def markers(pid):
    """The sandbox markers in the environment of process ``pid`` (it may be in several, nested)."""
    prefix = f"{MARKER}=".encode()
    for entry in Path(f"/proc/{pid}/environ").read_bytes().split(b"\0"):
        if entry.startswith(prefix):
            return entry[len(prefix):].decode("ascii", "replace").split()
    return []


def processes():
    """The ids of all processes (empty where there is no /proc)."""
    try:
        names = os.listdir("/proc")
    except OSError:
        return []
    return [int(n) for n in names if n.isdigit()]


@functools.cache
def user_threads():
    """How many threads this user runs now (RLIMIT_NPROC counts them); None without /proc."""
    if not Path("/proc/self/status").exists():
        return None
    uid, count = str(os.getuid()), 0
    for pid in processes():
        try:
            fields = dict(line.split(":", 1)
                          for line in Path(f"/proc/{pid}/status").read_text().splitlines() if ":" in line)
        except OSError:
            continue
        if fields.get("Uid", "").split()[:1] == [uid]:
            count += int(fields.get("Threads", "1"))
    return count
