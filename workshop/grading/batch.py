"""Grading a class in one run: what decides a grade, a row for every submission, the run's summary.

Shared by the ``grade`` command, its ``grade merge`` sub-command, the warm lanes (lane.py) and the
Gradescope entry point (gradescope.py).
"""

import ast
import hashlib
import json
from pathlib import Path

from .. import ROOT
from .. import STEPS
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
    roots = [path for folder in ("judge", "jail", "grading") for path in (top / "workshop" / folder).glob("*.py")]
    for path in imported_files(roots, top):
        digest.update(path.relative_to(top).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def imported_files(roots: list[Path], top: Path = ROOT) -> list[Path]:
    """``roots`` and every file of the workshop package under ``top`` that they import, at any depth, in order."""
    seen, todo = set(), list(roots)
    while todo:
        path = todo.pop()
        if path in seen or not path.is_file():
            continue
        seen.add(path)
        package = path.relative_to(top).parent.parts
        for node in ast.walk(ast.parse(path.read_bytes(), filename=str(path))):
            if isinstance(node, ast.Import):
                modules = [a.name.split(".") for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = [*package[:len(package) + 1 - node.level]] if node.level else []
                module = base + (node.module.split(".") if node.module else [])
                modules = [module, *(module + [a.name] for a in node.names)]  # `from . import expect` names a module
            else:
                continue
            for parts in (m for m in modules if m[:1] == ["workshop"]):
                for end in range(1, len(parts) + 1):  # the module, and each package on its way: its __init__.py
                    todo += [top.joinpath(*parts[:end], "__init__.py"), top.joinpath(*parts[:end]).with_suffix(".py")]
    return sorted(seen)


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
    statuses = {}
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
