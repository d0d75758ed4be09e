"""Grade one submission: copy it into a jail folder, judge the app from outside, say what happened.

The judge (workshop/judge/) runs in a judge process of the grader (a lane, see lanes.py) and never
imports the learner's code; the app runs in a process of its own, in the jail of workshop/jail/: with bubblewrap,
the submission's private copy is the only folder it can write, and nothing else of the
machine that matters can be read. Without bubblewrap (``--isolation none``) only resource
limits apply, and the jailed processes import a private copy of the ``workshop`` package,
so that a submission cannot change the code that serves the others.
"""

import contextlib
import os
import shutil
import stat
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from .. import APP_NAME
from .. import ROOT
from .. import STEPS
from ..jail import sandbox
from ..jail.isolation import Jail
from ..judge import judge
from ..judge import source
from ..judge import worst_case_seconds
from .integrity import app_digest
from .similarity import read_source
from .similarity import stored
from .submissions import Invalid
from .submissions import prepare

RUN_NOTEBOOK = (
    "import sys; sys.path.insert(0, sys.argv.pop(1));"
    " from workshop.grading.notebook_runner import main; sys.exit(main())"
)


ISOLATION = {
    "bwrap": "Each submission ran isolated, in a bubblewrap jail.",
    "none": "Submissions were NOT isolated: resource limits only (install bubblewrap to isolate them).",
}


def isolation(records):
    """What to say of how the submissions of ``records`` were kept apart ("" when the records do not say)."""
    kinds = {r.get("isolation") for r in records} & set(ISOLATION)
    return ISOLATION["none"] if "none" in kinds else ISOLATION["bwrap"] if kinds else ""


@dataclass(frozen=True)
class Options:
    limits: sandbox.Limits = sandbox.Limits(seconds=worst_case_seconds(STEPS))
    notebooks: bool = False
    isolation: str = "none"  # "bwrap" or "none", as isolation.resolve() chose
    spare_core: bool = True  # a row may use a second core: its tests start while its other checks run


def grade(submission, options, stop=None, more_time=None, lane=None):
    """The record of one submission: status, message, per-check results (and notebooks). ``more_time(seconds)``
    hears of the time its notebooks may take, beyond that of its checks. With a ``lane`` (a WarmLane, see
    workshop/judge/lane_worker.py) its processes are forked from the lane's warm jail, else from a jail of its own."""
    started = time.monotonic()
    folder = lane.folder if lane else None  # a lane's jail sees its folder: each submission's is made in it
    home = Path(tempfile.mkdtemp(prefix=f"workshop-grade-{os.getpid()}-", dir=folder))  # see leftovers.py
    try:
        record = {"learner": submission.learner, "status": "ok", "message": "", "results": [], "notebooks": None,
                  "isolation": options.isolation}
        try:
            prepared = prepare(submission, home / "jail" / "submission")
        except Invalid as exc:
            return {**record, "status": "invalid", "message": str(exc), "seconds": elapsed(started)}
        app_parent = prepared.app_parent
        code = ROOT if options.isolation == "bwrap" else private_workshop(home / "lib")
        jail = Jail(options.isolation, home / "jail", code)
        with lane.submission(jail.writable) if lane else contextlib.nullcontext() as worker:  # it starts meanwhile
            source = read_source(app_parent / APP_NAME)
            record.update(skipped=prepared.skipped, backups=prepared.backups, digest=app_digest(app_parent / APP_NAME),
                          source=source, fingerprints=stored(source))  # parsed here, in the row's time
            checked = judge(app_parent, STEPS, jail=jail, limits=options.limits, stop=stop, worker=worker,
                            ahead=options.spare_core)
        flags = [*prepared.flags, *checked.flags, *source_flags(app_parent)]
        record.update(status=checked.status, message=checked.message, results=checked.results, flags=flags)
        if options.notebooks:
            record["notebooks"] = run_notebooks(app_parent, jail, options.limits, stop, more_time)
        return {**record, "seconds": elapsed(started)}
    finally:
        remove(home)


def elapsed(started):
    return round(time.monotonic() - started, 3)


def private_workshop(lib):
    """A copy of the workshop package for one submission's processes; the folder to put on sys.path."""
    shutil.copytree(ROOT / "workshop", lib / "workshop")  # with its bytecode: each process would compile it again
    return lib


def source_flags(app_parent):
    """What the learner's code, read as text, shows a person should look at."""
    importing = source.imports_of(app_parent, "workshop")
    return [f"the app imports the workshop's own package ({', '.join(importing[:3])})"] if importing else []


def run_notebooks(app_parent, jail, limits, stop, more_time=None):
    """Execute each notebooks/*.ipynb of the submission, one jailed process each; the exit code is the verdict."""
    folder = app_parent / "notebooks"
    notebooks = sorted(folder.glob("*.ipynb")) if folder.is_dir() else []
    if more_time and notebooks:
        more_time(len(notebooks) * limits.seconds)
    verdicts = []
    for notebook in notebooks:
        env = sandbox.scrubbed_env(
            jail.writable / "home", PYTHONPATH=os.pathsep.join([str(app_parent), str(jail.code)]),
            WORKSHOP_APP_PARENT=str(app_parent), JUPYTER_PLATFORM_DIRS="1",
        )
        (jail.writable / "home").mkdir(exist_ok=True)
        command = [sys.executable, "-I", "-B", "-c", RUN_NOTEBOOK, str(jail.code), str(notebook), str(limits.seconds)]
        outcome = sandbox.run(command, folder, env, limits, stop, jail=jail)
        said = outcome.stdout.strip().splitlines()[-1:] or [""]
        if outcome.timed_out:
            status, message = "timeout", f"The notebook did not finish within {limits.seconds:g} s."
        elif outcome.returncode == 0:
            status, message = "ok", ""
        else:
            status, message = "error", said[0][:500] or f"The notebook failed (exit code {outcome.returncode})."
        verdicts.append({"notebook": notebook.name, "status": status, "message": message})
    return verdicts


def remove(folder):
    """Delete a grading folder, even where the submission took away the permissions.

    Another grader clearing leftovers (leftovers.py) may remove the same folder at the same time: what is
    already gone is no error.
    """
    with contextlib.suppress(FileNotFoundError):
        if os.path.islink(folder):  # the submission swapped its folder for a link: remove only the link
            os.unlink(folder)
            return
        os.chmod(folder, stat.S_IRWXU)
    for here, dirs, _ in os.walk(folder):
        for name in dirs:
            path = os.path.join(here, name)
            if not os.path.islink(path):
                with contextlib.suppress(FileNotFoundError):
                    os.chmod(path, stat.S_IRWXU)
    shutil.rmtree(folder, ignore_errors=True)
