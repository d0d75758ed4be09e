"""A grading lane's judge process: grades the submissions its supervisor (lanes.py) sends, one at a time.

    python -I -c "...lane main()" CODE_ROOT OPTIONS_JSON SUPERVISOR_PID

(or forked from the supervisor, which then calls ``serve``: see forked_lane.py).

Each line on standard input names a submission ({"learner", "path"}); each answer is one JSON
line on the file descriptor that was standard output: {"more_seconds": N} when the row needs
more time than its checks (its notebooks), then {"record": ...}. What anything else prints goes
to standard error. The process dies with its supervisor. As root, it grades in a disk of its own
(see workshop/jail/disk.py). Where Landlock allows (workshop/judge/lane_worker.py), the lane keeps one warm
bwrap jail for all its submissions, each forked from it and confined; else each submission gets a jail of its own.
"""

import contextlib
import ctypes
import json
import os
import signal
import sys
import tempfile
from pathlib import Path

from ..jail import disk
from ..jail.sandbox import Limits
from ..judge import lane_worker
from .batch import grade_or_explain
from .grader import Options
from .submissions import Submission

PR_SET_PDEATHSIG = 1


def die_with(supervisor):
    """Be killed when the supervisor dies (prctl PR_SET_PDEATHSIG), and end now if it already has. (The kernel
    sends it when the supervisor's thread that started this process ends: its main thread, or the lane's own thread
    that restarted it after a kill, which ends when no row is left.)"""
    try:
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):
        pass
    if os.getppid() != supervisor:
        sys.exit(1)


def options_from(given):
    return Options(Limits(**given["limits"]), notebooks=given["notebooks"], isolation=given["isolation"],
                   spare_core=given["spare_core"])


def run_on(cpus):
    """Run on ``cpus`` alone (None: wherever), and so does all this process starts: its jail, the learner's
    processes."""
    if cpus:  # given only where the system has affinities (lanes.cpu_shares)
        with contextlib.suppress(OSError):
            os.sched_setaffinity(0, cpus)


def main():
    serve(json.loads(sys.argv[1]), int(sys.argv[2]))


def serve(given, supervisor):
    """Grade the submissions named on standard input (see the module's text), with the options ``given``."""
    options = options_from(given)
    die_with(supervisor)
    run_on(given.get("cpus"))
    disk.own_folder(prefix=f"workshop-grade-{os.getpid()}-disk-")  # see leftovers.py
    lane = None
    if lane_worker.available(options.isolation):  # one warm jail for the lane's submissions
        lane = lane_worker.WarmLane(tempfile.mkdtemp(prefix=f"workshop-grade-{os.getpid()}-lane-"), options.limits)
        lane.start()  # it imports the libraries while the first submission is copied
    answers = os.fdopen(os.dup(1), "w", encoding="utf-8")
    os.dup2(2, 1)  # a stray print must not reach the supervisor as an answer

    def answer(message):
        answers.write(json.dumps(message) + "\n")
        answers.flush()

    for line in sys.stdin:
        job = json.loads(line)
        submission = Submission(job["learner"], Path(job["path"]))
        record = grade_or_explain(submission, options, None, lambda seconds: answer({"more_seconds": seconds}), lane)
        answer({"record": record})
