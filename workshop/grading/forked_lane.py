"""A lane's judge process forked from the grader, where it can be: the copy starts with the checks and Flask
imported, where a new Python (``python -c LANE``, see lanes.py) would import them again, a quarter of a second of
CPU a lane. The lanes' first start only: a lane started again, from a lane's thread, is a new Python.
"""

import gc
import os
import sys
import threading
import traceback

from ..jail import sandbox


def can_fork():
    """Whether a lane may be forked from this process: on Linux, with no other thread running (a copy of a process
    gets only the thread that forked it, and the locks the others held)."""
    return sys.platform.startswith("linux") and threading.active_count() == 1


def fork_lane(given, token):
    """A lane's judge process forked from this one, as ``LANE`` starts one (its own session, the sandbox marker
    ``token``, its standard input and output pipes to this process) but without Python's start and the imports of
    the judge and Flask, which this process has made once for all the lanes: a quarter of a second of CPU a lane.
    Only where ``can_fork``."""
    from ..judge import sessions
    from . import lane

    sessions.import_flask()  # the judge opens the app's session cookie with Flask's serializer

    jobs_read, jobs_written = os.pipe()
    answers_read, answers_written = os.pipe()
    supervisor = os.getpid()
    sys.stdout.flush()
    sys.stderr.flush()
    pid = os.fork()
    if pid == 0:
        code = 1
        try:
            gc.freeze()  # the supervisor's objects: no garbage collection walks them again, nor copies their pages
            os.setsid()  # Ctrl+C reaches the supervisor only
            os.dup2(jobs_read, 0)
            os.dup2(answers_written, 1)
            os.closerange(3, os.sysconf("SC_OPEN_MAX"))  # nothing of the supervisor's: its journal, the other lanes
            os.environ.update(sandbox.marked(dict(os.environ), token))
            sys.stdin = open(0, encoding="utf-8", closefd=False)
            sys.dont_write_bytecode = True  # as python -B
            lane.serve(given, supervisor)
            code = 0
        except SystemExit as exc:  # the supervisor is gone (lane.die_with)
            code = exc.code if isinstance(exc.code, int) else 1
        except BaseException:
            traceback.print_exc()  # as an uncaught exception of a new Python would
        finally:
            sys.stderr.flush()
            os._exit(code)
    os.close(jobs_read)
    os.close(answers_written)
    return Forked(pid, open(jobs_written, "wb", buffering=0), open(answers_read, "rb", buffering=0))


class Forked:
    """A judge process forked by fork_lane: what the lanes use of subprocess.Popen."""

    def __init__(self, pid, stdin, stdout):
        self.pid, self.stdin, self.stdout, self.returncode = pid, stdin, stdout, None

    def poll(self):
        if self.returncode is None:
            pid, status = os.waitpid(self.pid, os.WNOHANG)
            if pid:
                self.returncode = os.waitstatus_to_exitcode(status)
        return self.returncode

    def wait(self):
        if self.returncode is None:
            self.returncode = os.waitstatus_to_exitcode(os.waitpid(self.pid, 0)[1])
        return self.returncode
