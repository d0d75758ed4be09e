"""A control group per sandboxed command: its processes and memory capped together, whoever runs the grader.

launcher.py makes the group (``workshop-<grader pid>-<token>``, beside this process's own) and
joins it before it becomes the command; every process the command starts stays in it. Where the
kernel or the user does not allow it (an ordinary user without a delegated cgroup, a kernel
without the pids or memory controller), there is no group: ``missing()`` says so, and the caps
are RLIMIT_NPROC in the jail's own user namespace and RLIMIT_AS per process (see sandbox.py).
"""

import functools
import os
import signal
import time
from pathlib import Path

MOUNTS = Path("/sys/fs/cgroup")
V1_LIMITS = {"pids": "pids.max", "memory": "memory.limit_in_bytes"}
V2_LIMITS = {"pids": "pids.max", "memory": "memory.max"}
PREFIX = "workshop-"


def candidates():
    """(controller, folder of this process's own group, file of its limit) for pids and memory, v1 or v2."""
    try:
        lines = Path("/proc/self/cgroup").read_text().splitlines()
    except OSError:
        return []
    found = {}
    for line in lines:
        _, names, path = line.split(":", 2)
        for name in names.split(","):
            if name in V1_LIMITS and (MOUNTS / name / "cgroup.procs").exists():
                found[name] = (MOUNTS / name / path.lstrip("/"), V1_LIMITS[name])
        if not names:  # the unified (v2) hierarchy: controllers it hands to the groups made under this one
            for mount in (MOUNTS, MOUNTS / "unified"):
                own = mount / path.lstrip("/")
                enabled = read(own / "cgroup.subtree_control").split()
                for name in V2_LIMITS:
                    if name in enabled:
                        found.setdefault(name, (own, V2_LIMITS[name]))
    return [(name, folder, limit) for name, (folder, limit) in found.items()]


def read(path):
    try:
        return path.read_text()
    except OSError:
        return ""


@functools.cache
def usable():
    """The candidates under which this process may make a group and set its limit (probed once)."""
    working = []
    for name, folder, limit in candidates():
        probe = folder / f"{PREFIX}probe-{os.getpid()}-{name}"
        try:
            probe.mkdir()
            try:
                (probe / limit).write_text("max" if limit.endswith(".max") else "-1")
                working.append((name, folder, limit))
            finally:
                probe.rmdir()
        except OSError:
            continue
    return working


def caps(controller):
    """Whether a group with ``controller`` ("pids" or "memory") can be made here."""
    return any(name == controller for name, _, _ in usable())


def missing():
    """What cannot be capped per jail here, in a sentence; "" when both processes and memory can."""
    lacking = [name for name in V1_LIMITS if not caps(name)]
    if not lacking:
        return ""
    instead = []
    if "pids" in lacking:
        instead.append(
            "as root, RLIMIT_NPROC does not apply: a jail's processes are not capped" if os.geteuid() == 0 else
            "processes are capped by RLIMIT_NPROC in each jail's own user namespace (per user without bubblewrap)")
    if "memory" in lacking:
        instead.append("memory per process only (RLIMIT_AS, --memory), not per jail")
    return (f"no cgroup with the {' and '.join(lacking)} controller can be made here (an ordinary user without a"
            f" delegated cgroup, or a kernel without it): {'; '.join(instead)}.")


def settings(token, processes, memory_bytes):
    """What launcher.py writes to make the group of ``token``: {folder: {file: value}}."""
    values = {"pids": str(processes), "memory": str(memory_bytes)}
    made = {}
    for name, folder, limit in usable():
        made.setdefault(str(folder / f"{PREFIX}{os.getpid()}-{token}"), {})[limit] = values[name]
    return made


def remove(token):
    """Kill every process left in the group of ``token`` and remove the group."""
    for folder in settings(token, 0, 0):
        empty(Path(folder))


def clear(is_alive):
    """Empty and remove the groups that graders no longer alive (``is_alive(pid)`` False) left behind."""
    for _, parent, _ in usable():
        for folder in parent.glob(f"{PREFIX}*-*"):
            owner = folder.name[len(PREFIX):].split("-", 1)[0]
            if owner.isdigit() and not is_alive(int(owner)):
                empty(folder)


def empty(folder):
    """Kill the processes in the group ``folder``, then remove it."""
    for _ in range(20):
        for pid in read(folder / "cgroup.procs").split():
            try:
                os.kill(int(pid), signal.SIGKILL)
            except (ProcessLookupError, PermissionError, ValueError):
                pass
        try:
            folder.rmdir()
            return
        except FileNotFoundError:
            return
        except OSError:
            time.sleep(0.05)
