"""Grade one submission: copy it into a sandbox folder, run the checks there, say what happened.

The checks run in a separate, limited process (see workshop/sandbox.py) started with ``python -I``
(neither the working folder nor PYTHONPATH is on sys.path) from a private copy of the
``workshop`` package, so a submission can neither shadow the checks nor change the copy
that grades the others.
"""

import json
import os
import shutil
import signal
import stat
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from .. import APP_NAME, ROOT, STEPS
from ..checks import CHECKS
from .. import sandbox
from .integrity import app_digest
from .submissions import Invalid, prepare

RUN_CHECKS = "import sys; sys.path.insert(0, sys.argv.pop(1)); from workshop.checks.__main__ import main; sys.exit(main())"
RUN_NOTEBOOK = "import sys; sys.path.insert(0, sys.argv.pop(1)); from workshop.grading.notebook_runner import main; sys.exit(main())"
NOT_IMPORTED = f"{APP_NAME} could not be imported"
OUT_OF_MEMORY = ("MemoryError", "Cannot allocate memory", "std::bad_alloc", "out of memory")


@dataclass(frozen=True)
class Options:
    limits: sandbox.Limits = sandbox.Limits()
    notebooks: bool = False


def grade(submission, options, stop=None):
    """The record of one submission: status, message, per-check results (and notebooks)."""
    started = time.monotonic()
    home = Path(tempfile.mkdtemp(prefix=f"workshop-grade-{os.getpid()}-"))  # see leftovers.py
    try:
        record = {"learner": submission.learner, "status": "ok", "message": "", "results": [], "notebooks": None}
        try:
            prepared = prepare(submission, home / "submission")
        except Invalid as exc:
            return {**record, "status": "invalid", "message": str(exc), "seconds": elapsed(started)}
        app_parent = prepared.app_parent
        record.update(skipped=prepared.skipped, backups=prepared.backups, digest=app_digest(app_parent / APP_NAME))
        lib = private_workshop(home / "lib")
        command = [sys.executable, "-I", "-B", "-c", RUN_CHECKS, str(lib), str(app_parent), "--steps", *map(str, STEPS)]
        outcome = sandbox.run(command, home, sandbox.scrubbed_env(home), options.limits, stop)
        status, message, results = judge(outcome, options.limits)
        record.update(status=status, message=message, results=results)
        if options.notebooks:
            record["notebooks"] = run_notebooks(app_parent, lib, home, options.limits, stop)
        return {**record, "seconds": elapsed(started)}
    finally:
        remove(home)


def elapsed(started):
    return round(time.monotonic() - started, 3)


def private_workshop(lib):
    """A copy of the workshop package for one submission's processes; the folder to put on sys.path."""
    shutil.copytree(ROOT / "workshop", lib / "workshop", ignore=shutil.ignore_patterns("__pycache__"))
    return lib


def judge(outcome, limits):
    """(status, message, results) from the checks process's outcome."""
    reported = last_json(outcome.stdout, list)
    results = normalise(reported) if reported is not None else []
    hit = limit_hit(outcome, limits, results)
    if hit:
        return (*hit, results)
    if reported is None:
        return "error", stopped_early(outcome), results
    if results and all(r["message"].startswith(NOT_IMPORTED) for r in results):
        return "error", results[0]["message"], results
    return "ok", "", results


def limit_hit(outcome, limits, results=()):
    """(status, message) when the process went over a limit, else None."""
    if outcome.timed_out or outcome.returncode == -getattr(signal, "SIGXCPU", 0):
        return "timeout", (
            f"It did not finish within {limits.seconds:g} s: something loops forever or waits"
            " (look at what runs when the app is imported or a page is requested)."
        )
    if outcome.output_exceeded:
        return "error", f"The app printed more than {limits.output_mb} MB of output, so it was stopped. Remove the printing loop."
    failing = [r for r in results if not r["passed"] and "MemoryError" in r["message"]]
    said = outcome.stderr + " ".join(r["message"] for r in failing)
    if any(sign in said for sign in OUT_OF_MEMORY) or outcome.returncode == -getattr(signal, "SIGKILL", 9):
        return "memory", f"The app ran out of memory (the limit is {limits.memory_mb} MB){where_memory_ran_out(failing)}."
    return None


def where_memory_ran_out(failing):
    if failing and all(r["message"].startswith(NOT_IMPORTED) for r in failing):
        return " while it was imported: look for a list or a string that keeps growing"
    titles = [r["title"] for r in failing[:3]] + ([f"{len(failing) - 3} more"] if len(failing) > 3 else [])
    return f" in: {'; '.join(titles)}" if titles else ""


def stopped_early(outcome):
    """Say why the checks process ended without its results."""
    last = [line for line in outcome.stderr.splitlines() if line.strip()][-1:]
    detail = f' The last line it wrote: "{last[0].strip()[:200]}"' if last else ""
    if outcome.returncode < 0:
        return f"The checks process crashed ({signal.Signals(-outcome.returncode).name}).{detail}"
    if outcome.returncode:
        return f"The checks stopped early with exit code {outcome.returncode} (sys.exit() or a crash while importing the app?).{detail}"
    return f"The checks stopped early without reporting (does the app call os._exit() or close its output?).{detail}"


def last_json(text, kind):
    """The last line of ``text`` parsed as JSON of type ``kind``, or None."""
    for line in reversed(text.splitlines()):
        if line.strip():
            try:
                value = json.loads(line)
            except ValueError:
                return None
            return value if isinstance(value, kind) else None
    return None


def normalise(reported):
    """One result per known check, in order: what the process reported about it, or 'did not run'."""
    by_name = {r.get("name"): r for r in reported if isinstance(r, dict)}
    results = []
    for check in CHECKS:
        found = by_name.get(check.name, {})
        results.append({
            "step": check.step, "name": check.name, "title": check.title, "where": check.where,
            "passed": found.get("passed") is True,
            "message": str(found.get("message", "This check did not run."))[:1000],
            "seconds": found.get("seconds") if isinstance(found.get("seconds"), (int, float)) else None,
        })
    return results


def run_notebooks(app_parent, lib, home, limits, stop):
    """Execute each notebooks/*.ipynb of the submission, one sandboxed process each."""
    folder = app_parent / "notebooks"
    verdicts = []
    for notebook in sorted(folder.glob("*.ipynb")) if folder.is_dir() else []:
        env = sandbox.scrubbed_env(
            home, PYTHONPATH=os.pathsep.join([str(app_parent), str(lib)]),
            WORKSHOP_APP_PARENT=str(app_parent), JUPYTER_PLATFORM_DIRS="1",
        )
        command = [sys.executable, "-I", "-B", "-c", RUN_NOTEBOOK, str(lib), str(notebook), str(limits.seconds)]
        outcome = sandbox.run(command, folder, env, limits, stop)
        verdict = last_json(outcome.stdout, dict)
        hit = limit_hit(outcome, limits)
        if hit:
            status, message = hit
        elif verdict is None:
            status, message = "error", stopped_early(outcome)
        elif verdict.get("ok") is True:
            status, message = "ok", ""
        else:
            status, message = "error", str(verdict.get("message", ""))[:500]
        verdicts.append({"notebook": notebook.name, "status": status, "message": message})
    return verdicts


def remove(folder):
    """Delete a sandbox folder, even where the submission took away the permissions."""
    if os.path.islink(folder):  # the submission swapped its folder for a link: remove only the link
        os.unlink(folder)
        return
    os.chmod(folder, stat.S_IRWXU)
    for here, dirs, _ in os.walk(folder):
        for name in dirs:
            path = os.path.join(here, name)
            if not os.path.islink(path):
                os.chmod(path, stat.S_IRWXU)
    shutil.rmtree(folder, ignore_errors=True)
