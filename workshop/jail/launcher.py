"""Set resource limits on this process, then become the command that follows (POSIX only).

    python -I -S launcher.py '{"RLIMIT_AS": 1073741824, ...}' PROGRAM ARG...

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


if __name__ == "__main__":
    apply(json.loads(sys.argv[1]))
    os.execv(sys.argv[2], sys.argv[2:])
