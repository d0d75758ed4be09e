"""The lanes' judge processes, started before the grader imports the judge (a fifth of a second on one core).

``python3 -m workshop grade`` and ``python -m workshop.grading`` call ``ahead(argv)`` first: the ``-j`` lanes
start while this process imports the checks and reads the class, each importing the judge on the core that would
wait. A lane takes its options as its first line on standard input (lane.py), so a lane started ahead is the
same as one started later: ``take()`` hands out those started ahead, then new ones. What no lane took is ended
with the lanes (``end_waiting``), and at exit.
"""

import atexit
import os
import secrets
import subprocess
import sys

from .. import ROOT
from ..jail import sandbox

LANE = "import sys; sys.path.insert(0, sys.argv.pop(1)); from workshop.grading.lane import main; main()"
waiting: list[tuple[subprocess.Popen, str]] = []  # (process, token) of the lanes started ahead, not taken yet


def spawn():
    """A new judge process waiting for its options: (process, its sandbox token)."""
    token = secrets.token_hex(16)
    process = subprocess.Popen(
        [sys.executable, "-I", "-B", "-c", LANE, str(ROOT), str(os.getpid())],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=sandbox.marked(dict(os.environ), token),
        start_new_session=True, bufsize=0,  # Ctrl+C reaches the supervisor only
    )
    return process, token


def take():
    """A lane started ahead, or a new one (the lanes' threads may ask at the same time: one pop each)."""
    try:
        return waiting.pop(0)
    except IndexError:
        return spawn()


def ahead(argv):
    """Start the lanes that the grading command line ``argv`` asks for (``-j``, else one per CPU); none for
    ``--help``, ``merge`` or a ``-j`` that is not a number (the command then says so)."""
    jobs = jobs_of(argv)
    if jobs and not waiting:
        atexit.register(end_waiting)
        waiting.extend(spawn() for _ in range(jobs))


def jobs_of(argv):
    """The lanes ``argv`` asks for, at most one per CPU, or 0."""
    if argv[:1] == ["merge"] or {"-h", "--help"}.intersection(argv):
        return 0
    jobs = os.cpu_count() or 1
    for at, arg in enumerate(argv):
        if arg in ("-j", "--jobs"):
            value = argv[at + 1] if at + 1 < len(argv) else ""
        elif arg.startswith("--jobs="):
            value = arg.removeprefix("--jobs=")
        elif arg.startswith("-j"):
            value = arg.removeprefix("-j")
        else:
            continue
        jobs = int(value) if value.isdigit() else 0
    return min(jobs, os.cpu_count() or 1)


def end_waiting():
    """End the lanes started ahead that no lane took, and remove the folders they made."""
    if not waiting:
        return
    from .leftovers import clear  # the grader's own modules: imported by now, but for an early exit

    while True:
        try:
            process, token = waiting.pop()
        except IndexError:  # none left, or a lane took the last meanwhile
            break
        sandbox.end_everything(process, token)
        for pipe in (process.stdin, process.stdout):
            pipe.close()
    clear()
