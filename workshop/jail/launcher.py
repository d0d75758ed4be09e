"""Set resource limits on this process, join control groups, then become the command that follows (POSIX only).

    python -I -S launcher.py '{"rlimits": {"RLIMIT_AS": 1073741824, ...}, "cgroups": {FOLDER: {FILE: VALUE}}}' PROG ...

Each folder of "cgroups" (see cgroups.py) is made, its limits written, and this process moved into it.

The sandbox starts every graded process through this script rather than with
``preexec_fn``, which the subprocess documentation calls unsafe in a program with
threads (the grader runs several at once). Standard library only.
"""

import json
import os
import resource
import sys


def apply(limits):
    """Lower each named limit to ``value`` (never above the current hard limit)."""
    for name, value in limits.items():
        kind = getattr(resource, name, None)
        if kind is None:
            print(f"grader: {name} is not available on this system", file=sys.stderr)
            continue
        _, hard = resource.getrlimit(kind)
        if hard != resource.RLIM_INFINITY:
            value = min(value, hard)
        try:
            resource.setrlimit(kind, (value, value))
        except (ValueError, OSError) as exc:
            print(f"grader: could not set {name}: {exc}", file=sys.stderr)


def join(groups):
    """Make each control group, write its limits, and move this process into it."""
    for folder, limits in groups.items():
        try:
            os.mkdir(folder)
            for name, value in limits.items():
                with open(os.path.join(folder, name), "w") as file:
                    file.write(value)
            with open(os.path.join(folder, "cgroup.procs"), "w") as file:
                file.write(str(os.getpid()))
        except OSError as exc:
            print(f"grader: could not join the control group {folder}: {exc}", file=sys.stderr)


if __name__ == "__main__":
    given = json.loads(sys.argv[1])
    join(given.get("cgroups", {}))
    apply(given["rlimits"])
    os.execv(sys.argv[2], sys.argv[2:])
