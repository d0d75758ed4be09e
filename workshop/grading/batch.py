"""Grading a class in one run: what decides a grade, a row for every submission, the run's summary.

Shared by the ``grade`` command, its ``grade merge`` sub-command, the warm lanes (lane.py) and the
Gradescope entry point (gradescope.py).
"""

import hashlib
import json
from pathlib import Path

from .. import ROOT
from .. import STEPS
from ..imports import closure
from ..imports import module_name
from ..imports import module_path
from ..jail.sandbox import Interrupted
from ..judge import worst_case_seconds
from .grader import grade
from .grader import isolation
from .grader import Options
from .outputs import atomic
from .records import printable
from .records import Record
from .submissions import Submission

WORST_CASE = worst_case_seconds(STEPS)


def configuration(options: Options, top: Path = ROOT) -> str:
    """A fingerprint of everything that decides a grade: the checks, the grader, every module of the package
    they import, the options."""
    digest = hashlib.sha256(json.dumps([options.limits.seconds, options.limits.memory_mb, options.notebooks,
                                        options.isolation]).encode())
    rooms = ("judge", "jail", "app_process", "grading")
    roots = [path for room in rooms for path in (top / "workshop" / room).rglob("*.py")]
    for path in imported_files(roots, top):
        digest.update(path.relative_to(top).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def imported_files(roots: list[Path], top: Path = ROOT) -> list[Path]:
    """``roots`` and every file of the workshop package under ``top`` that they import, at any depth, in order."""
    names = closure([module_name(path, top) for path in roots], top)
    return sorted(path for name in names if (path := module_path(name, top)))


def grade_or_explain(submission: Submission, options: Options, stop, more_time=None, lane=None) -> Record:
    """grade(), turning a failure of the grader itself into a row that says so; every text printable."""
    try:
        return printable(grade(submission, options, stop, more_time, lane))
    except Interrupted:
        raise
    except Exception as exc:
        return printable({
            "learner": submission.learner, "status": "error", "results": [], "notebooks": None, "seconds": 0,
            "message": f"The grader itself failed on this submission ({type(exc).__name__}: {exc}); please report it.",
        })


def with_upload(record: Record, submission: Submission) -> Record:
    """The record with what a platform's download says of it: flags, and the names to send the feedback back under."""
    upload = submission.upload
    if upload is None:
        return record
    return {**record, "flags": [*upload.flags, *record.get("flags", [])], "upload": upload.record()}


def summary(records: list[Record], out: Path) -> str:
    statuses: dict[str, int] = {}
    for record in records:
        statuses[record["status"]] = statuses.get(record["status"], 0) + 1
    counts = ", ".join(f"{n} {status}" for status, n in sorted(statuses.items()))
    flagged = [f"  {r['learner']}: {'; '.join(r['flags'])}" for r in records if r["flags"]]
    return "\n".join([
        f"Graded {sum(statuses.values())} submission(s): {counts or 'none'}.",
        *filter(None, [isolation(records)]),
        *([f"Flagged for a look ({len(flagged)}):", *flagged] if flagged else []),
        f"Wrote {out / atomic.GRADEBOOK}, {out / atomic.FEEDBACK}/, {out / atomic.REPORT}",
    ])
