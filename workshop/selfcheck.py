"""The self-check at the end of each notebook, and of ``python3 -m workshop check N`` (workshop/cli/check.py).

The judge runs the checks here, and the app in a separate, limited process that it stops from
outside when a check's time is up, so that an endless loop or a crash in the app never blocks
the notebook's kernel; a verdict per check says what to fix and where. (The self-check runs
the learner's own code on their own machine: it uses resource limits, not the grader's jail.)
"""

import atexit
import functools
import html
import importlib.util
import os
import tempfile
from pathlib import Path

from . import APP_NAME
from . import IN_BROWSER
from . import ROOT
from .board import client as board
from .jail import sandbox
from .jail.isolation import Jail
from .judge import judge
from .judge.worker import AVAILABLE
from .judge.worker import Worker

WORKER_SECONDS = 24 * 3600  # the CPU-time backstop of each process forked from the session's warm worker


def learner_app_parent():
    """The folder holding the part1_basic_app that ``import part1_basic_app`` finds here."""
    if os.environ.get("WORKSHOP_APP_PARENT"):
        return Path(os.environ["WORKSHOP_APP_PARENT"]).resolve()
    spec = importlib.util.find_spec(APP_NAME)
    if spec is None or not spec.submodule_search_locations:
        return ROOT
    return Path(list(spec.submodule_search_locations)[0]).resolve().parent


@board.reported
def run(step, app_parent=None, worker=None, early=None):
    """The results of ``step``'s checks (a list of dicts), the app running in a separate, limited process
    (forked from ``worker``, a warm worker, if given, or ``early``, started before, see early.py); in
    Pyodide, in this process (see judge/inprocess.py)."""
    if IN_BROWSER:  # no second process: the checks run here (judge/inprocess.py)
        from .judge import inprocess  # here, not at the top: it imports Flask, which a terminal's judge needs not

        return inprocess.judge(Path(app_parent or learner_app_parent()), [step]).results
    return judge(Path(app_parent or learner_app_parent()), [step], worker=worker, early=early).results


@functools.cache
def warm_worker():
    """The warm worker of this process's self-checks (one for a notebook's whole session), or None
    where there is none (see workshop/judge/worker.py)."""
    if not AVAILABLE:
        return None
    worker = Worker(Jail(), sandbox.scrubbed_env(tempfile.gettempdir()), sandbox.Limits(seconds=WORKER_SECONDS))
    atexit.register(worker.stop)  # and should this process end without it, the worker ends when its socket closes
    return worker


class Report:
    """A step's verdict, shown as text in a terminal and as a table in a notebook.

    A message shared by several failing checks in a row (one cause) is shown once.
    """

    def __init__(self, step, results):
        self.step = step
        self.results = results
        self.passed = sum(r["passed"] for r in results)
        self.ok = bool(results) and self.passed == len(results)

    def summary(self):
        verdict = (
            "✅ well done!" if self.ok
            else "❌ fix the first ❌ below, save the file, then run this check again."
        )
        return f"Step {self.step} self-check: {self.passed} of {len(self.results)} checks pass — {verdict}"

    def rows(self):
        """(mark, title, message or None, where or None) per check; repeated causes left out."""
        previous = None
        for r in self.results:
            if r["passed"]:
                previous = None
                yield "✅", r["title"], None, None
            elif r["message"] == previous:
                yield "❌", r["title"], None, None
            else:
                previous = r["message"]
                yield "❌", r["title"], r["message"], r["where"]

    def __str__(self):
        lines = [self.summary()]
        for mark, title, message, where in self.rows():
            lines.append(f"  {mark} {title}")
            if message:
                lines.append(f"      what is wrong: {message}")
                lines.append(f"      where to look: {where}")
        return "\n".join(lines)

    def _repr_html_(self):
        cell = 'style="text-align: left; vertical-align: top"'
        rows = "".join(
            f"<tr><td {cell}>{mark}</td><td {cell}>{html.escape(title)}"
            + (f"<br><b>What is wrong:</b> {html.escape(message)}<br><b>Where to look:</b>"
               f" <code>{html.escape(where)}</code>" if message else "")
            + "</td></tr>"
            for mark, title, message, where in self.rows()
        )
        return f'<p><b>{html.escape(self.summary())}</b></p><table style="margin-left: 0">{rows}</table>'

    def __repr__(self):
        return str(self)


def selfcheck(step, app_parent=None):
    """Run ``step``'s checks and show the verdict (for the notebooks: the kernel keeps a warm worker)."""
    report = Report(step, run(step, app_parent, warm_worker()))
    try:
        from IPython.display import display
    except ImportError:
        print(report)
    else:
        display(report)
    if IN_BROWSER:
        from .judge import inprocess

        print(*inprocess.not_counted(step), sep="\n")

