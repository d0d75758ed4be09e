"""The grader's lanes: each a judge process (lane.py) that the grader supervises and can stop for good.

The supervisor schedules the rows and writes the outputs; it never parses a learner's data,
only the records its own judge processes send back (each one JSON line, of at most
MAX_ANSWER_BYTES). A row has a hard wall-clock deadline: the --timeout of its checks, plus the
longest a check in progress may overrun it (see ``deadline``), plus the time of its notebooks.
A lane that passes it is killed with everything it started (its process group, its session and
every process carrying its sandbox marker; a jail dies with its parent) and replaced: that row
is an error that says so, the other rows are untouched. Leaving ``Lanes`` (on Ctrl+C too) ends
every lane at once: what was finished is in the journal already.
"""

import json
import os
import queue
import secrets
import select
import subprocess
import sys
import threading
import time
from dataclasses import asdict

from .. import ROOT
from ..jail import sandbox
from ..judge import CHECKS
from ..judge.bridge import START_SECONDS
from . import leftovers
from .forked_lane import can_fork
from .forked_lane import fork_lane

LANE = "import sys; sys.path.insert(0, sys.argv.pop(1)); from workshop.grading.lane import main; main()"
MAX_ANSWER_BYTES = 64 * sandbox.MB
SLACK_SECONDS = 15  # copying a submission in, removing it afterwards, on a busy machine


def cpu_shares(jobs, cpus=None):
    """The processors of each of ``jobs`` lanes: those this process may use, dealt out in turn (each lane's own
    when there are enough), so that a lane's judge and its app process, which answer each other request by
    request, stay on their core and its cache instead of taking turns with another lane's. None where the
    system cannot say."""
    if cpus is None:
        if not hasattr(os, "sched_getaffinity"):
            return [None] * jobs
        cpus = os.sched_getaffinity(0)
    cpus = sorted(cpus)
    if jobs <= len(cpus):
        return [cpus[lane::jobs] for lane in range(jobs)]
    return [[cpus[lane % len(cpus)]] for lane in range(jobs)]


def deadline(options):
    """Seconds a row may take before its lane is stopped: the checks' time, then the longest check once more."""
    longest = max((c.seconds for c in CHECKS), default=0)
    return options.limits.seconds + longest + START_SECONDS + SLACK_SECONDS


def error_record(submission, options, seconds, message):
    """The row of a submission whose judge process did not give one: an error that says why."""
    return {"learner": submission.learner, "status": "error", "message": message, "results": [], "notebooks": None,
            "seconds": round(seconds, 3), "isolation": options.isolation}


def stopped_record(submission, options, seconds):
    """The row of a submission whose judge process was stopped at the deadline."""
    said = f"The checks were stopped after {seconds:.0f} s: grading this submission did not finish in its time."
    return error_record(submission, options, seconds, said)


def failed_record(submission, options, seconds, why):
    """The row of a submission whose judge process failed (it died, or answered what is not a record)."""
    said = f"The grader itself failed on this submission ({why}); please report it."
    return error_record(submission, options, seconds, said)


class LaneFailed(Exception):
    """The judge process ended, or said what is not an answer."""


class Lane:
    """One judge process, started on first use and again after it was killed."""

    def __init__(self, options, cpus=None):
        self.options, self.cpus, self.process = options, cpus, None
        self.lock = threading.Lock()

    def start(self, fork=False):
        """Start the judge process: a new Python, or with ``fork`` a copy of this process (see fork_lane)."""
        self.token = secrets.token_hex(16)
        given = {"limits": asdict(self.options.limits), "notebooks": self.options.notebooks,
                 "isolation": self.options.isolation, "spare_core": self.options.spare_core, "cpus": self.cpus}
        if fork:
            self.process = fork_lane(given, self.token)
        else:
            self.process = subprocess.Popen(
                [sys.executable, "-I", "-B", "-c", LANE, str(ROOT), json.dumps(given), str(os.getpid())],
                stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=sandbox.marked(dict(os.environ), self.token),
                start_new_session=True, bufsize=0,  # Ctrl+C reaches the supervisor only
            )
        self.pending = b""

    def grade(self, submission):
        """The record of ``submission``, stopping the lane at the row's deadline."""
        if self.process is not None and self.process.poll() is not None:  # it died between two rows
            self.kill()
        if self.process is None:
            self.start()
        process, started = self.process, time.monotonic()
        ends = started + deadline(self.options)
        try:
            job = {"learner": submission.learner, "path": str(submission.path)}
            process.stdin.write(json.dumps(job).encode() + b"\n")
            while True:
                answer = self.answer(process, ends)
                if answer is None:
                    self.kill()
                    return stopped_record(submission, self.options, time.monotonic() - started)
                if isinstance(answer.get("record"), dict):
                    return answer["record"]
                ends += float(answer["more_seconds"])
        except (OSError, LaneFailed, ValueError, KeyError, TypeError) as exc:
            self.kill()
            why = f"its judge process failed: {exc}"
            return failed_record(submission, self.options, time.monotonic() - started, why)

    def answer(self, process, ends):
        """The next answer of the judge ``process``, or None if it did not come before ``ends``."""
        while (line_end := self.pending.find(b"\n")) < 0 and len(self.pending) <= MAX_ANSWER_BYTES:
            left = ends - time.monotonic()
            if left <= 0 or not select.select([process.stdout], [], [], left)[0]:
                return None
            chunk = os.read(process.stdout.fileno(), 1024 * 1024)
            if not chunk:
                raise LaneFailed(f"it ended with exit code {process.wait()}")
            self.pending += chunk
        if not 0 <= line_end <= MAX_ANSWER_BYTES:
            raise LaneFailed(f"an answer of more than {MAX_ANSWER_BYTES // sandbox.MB} MB")
        line, self.pending = self.pending[:line_end], self.pending[line_end + 1:]
        answer = json.loads(line)
        if not isinstance(answer, dict):
            raise LaneFailed("an answer that is not a JSON object")
        return answer

    def kill(self):
        """End the judge process and all it started; remove its folders."""
        with self.lock:  # the supervisor's Ctrl+C and the lane's own deadline may meet
            process, self.process = self.process, None
        if process is not None:
            sandbox.end_everything(process, self.token)
            for pipe in (process.stdin, process.stdout):
                pipe.close()
            leftovers.clear()


class Lanes:
    """``jobs`` lanes: ``with Lanes(...) as lanes: for submission, record, key in lanes.graded(submissions, key): ...``
    yields each record as it is known; leaving the block (Ctrl+C too) ends every lane at once."""

    def __init__(self, jobs, options):
        self.lanes = [Lane(options, cpus) for cpus in cpu_shares(jobs)]
        self.stopping = threading.Event()
        self.threads = []

    def __enter__(self):
        return self

    def start(self, count):
        """Start the judge processes that ``count`` submissions will keep busy: they warm up before the first is sent
        (else each starts with its first submission). Forked from this process where it can (see fork_lane)."""
        fork = can_fork()
        for lane in self.lanes[:count]:
            lane.start(fork)

    def graded(self, submissions, key):
        """(submission, record, key(submission)) for each of ``submissions``, in the order they are finished; each key
        read in its lane's thread as the row starts."""
        todo, done = queue.Queue(), queue.Queue()
        for submission in submissions:
            todo.put(submission)
        self.threads = [threading.Thread(target=self.work, args=(lane, todo, done, key), daemon=True)
                        for lane in self.lanes]
        for thread in self.threads:
            thread.start()
        for _ in submissions:
            yield done.get()

    def work(self, lane, todo, done, key):
        while not self.stopping.is_set():
            try:
                submission = todo.get_nowait()
            except queue.Empty:
                return
            row_key = key(submission)
            record = lane.grade(submission)
            if not self.stopping.is_set():
                done.put((submission, record, row_key))

    def __exit__(self, *exc_info):
        """End every lane and its processes now."""
        self.stopping.set()
        for lane in self.lanes:
            lane.kill()
        for thread in self.threads:
            if thread.ident is not None:
                thread.join(timeout=5)
