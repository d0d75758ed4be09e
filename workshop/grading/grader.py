"""Grade one submission: copy it into a sandbox folder, run the checks there, say what happened.

The checks run in a separate, limited process (see workshop/sandbox.py) started with ``python -I``
(neither the working folder nor PYTHONPATH is on sys.path) from a private copy of the
``workshop`` package, so a submission can neither shadow the checks nor change the copy
that grades the others.
"""

import json
import os
import shutil
import stat
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from .. import APP_NAME, ROOT, STEPS, sandbox
from ..checks import runner
from .integrity import app_digest
from .submissions import Invalid, prepare

RUN_CHECKS = "import sys; sys.path.insert(0, sys.argv.pop(1)); from workshop.checks.__main__ import main; sys.exit(main())"
RUN_NOTEBOOK = "import sys; sys.path.insert(0, sys.argv.pop(1)); from workshop.grading.notebook_runner import main; sys.exit(main())"


@dataclass(frozen=True)
class Options:
    limits: sandbox.Limits = sandbox.Limits(seconds=runner.worst_case_seconds(STEPS))
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
        command = [sys.executable, "-I", "-B", "-c", RUN_CHECKS, str(lib)]
        checked = runner.run(command, app_parent, STEPS, home, sandbox.scrubbed_env(home), options.limits, stop, scratch=home)
        record.update(status=checked.status, message=checked.message, results=checked.results, flags=checked.anomalies)
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
        if verdict is None or outcome.timed_out or outcome.output_exceeded:
            status, why = runner.stopped(outcome, limits, app_parent)
            message = why[:1].upper() + why[1:]
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
