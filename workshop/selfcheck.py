"""The self-check at the end of each notebook, and ``python -m workshop check N``.

The checks run in a separate process, so that an endless loop or a crash in the app
never blocks the notebook's kernel; a verdict per check says what to fix and where.
"""

import html
import importlib.util
import json
import os
import sys
from pathlib import Path

from . import APP_NAME, ROOT, sandbox
from .board import client as board

TIMEOUT = {5: 120}  # step 5 runs the learner's own tests several times
DEFAULT_TIMEOUT = 60  # steps with several endless loops still report each one


def learner_app_parent():
    """The folder holding the part1_basic_app that ``import part1_basic_app`` finds here."""
    if os.environ.get("WORKSHOP_APP_PARENT"):
        return Path(os.environ["WORKSHOP_APP_PARENT"]).resolve()
    spec = importlib.util.find_spec(APP_NAME)
    if spec is None or not spec.submodule_search_locations:
        return ROOT
    return Path(list(spec.submodule_search_locations)[0]).resolve().parent


@board.reported
def run(step, app_parent=None):
    """The results of ``step``'s checks (a list of dicts), from a separate, limited process."""
    app_parent = Path(app_parent or learner_app_parent())
    limits = sandbox.Limits(seconds=TIMEOUT.get(step, DEFAULT_TIMEOUT))
    command = [sys.executable, "-m", "workshop.checks", str(app_parent), "--steps", str(step)]
    outcome = sandbox.run(command, ROOT, dict(os.environ), limits)
    if outcome.timed_out:
        return [failure(step, f"The checks did not finish within {limits.seconds} s: something in your app loops forever or waits. Look at the code you changed last.")]
    try:
        return json.loads(outcome.stdout.strip().splitlines()[-1])
    except (IndexError, ValueError):
        said = outcome.stderr.strip().splitlines()[-1:] or ["(nothing)"]
        return [failure(step, f"The checks stopped early (exit code {outcome.returncode}). Last line of output: {said[0]}")]


def failure(step, message):
    return {"step": step, "name": "run", "title": f"The checks of step {step} run", "where": APP_NAME, "passed": False, "message": message}


class Report:
    """A step's verdict, shown as text in a terminal and as a table in a notebook."""

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

    def __str__(self):
        lines = [self.summary()]
        for r in self.results:
            lines.append(f"  {'✅' if r['passed'] else '❌'} {r['title']}")
            if not r["passed"]:
                lines.append(f"      what is wrong: {r['message']}")
                lines.append(f"      where to look: {r['where']}")
        return "\n".join(lines)

    def _repr_html_(self):
        rows = "".join(
            f"<tr><td>{'✅' if r['passed'] else '❌'}</td><td>{html.escape(r['title'])}"
            + ("" if r["passed"] else f"<br><b>What is wrong:</b> {html.escape(r['message'])}<br><b>Where to look:</b> <code>{html.escape(r['where'])}</code>")
            + "</td></tr>"
            for r in self.results
        )
        return f"<p><b>{html.escape(self.summary())}</b></p><table>{rows}</table>"

    def __repr__(self):
        return str(self)


def selfcheck(step, app_parent=None):
    """Run ``step``'s checks and show the verdict (for the notebooks)."""
    report = Report(step, run(step, app_parent))
    try:
        from IPython.display import display
    except ImportError:
        print(report)
    else:
        display(report)


def main(argv):
    """``python -m workshop check N [APP_PARENT]``: exit 0 when every check passes."""
    if not argv or not argv[0].isdigit() or not 1 <= int(argv[0]) <= 6:
        print("usage: python3 -m workshop check STEP [FOLDER_HOLDING_part1_basic_app]  (STEP is 1 to 6)")
        return 2
    report = Report(int(argv[0]), run(int(argv[0]), argv[1] if len(argv) > 1 else ROOT))
    print(report)
    return 0 if report.ok else 1
