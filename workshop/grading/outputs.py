"""Write the grader's outputs so that a kill at any moment leaves complete files.

Every output is written to a hidden temporary file beside it, then renamed into place
(a rename replaces a file in one step), so each file holds the previous run's content or
the new one, never a part. Feedback pages get file names that are safe and unique on any
system, however long or odd the learner's id.
"""

import contextlib
import hashlib
import itertools
import os
import re
import tempfile
from pathlib import Path

from . import feedback, gradebook, report

JOURNAL, GRADEBOOK, REPORT, FEEDBACK = "results.jsonl", "grades.csv", "report.html", "feedback"
MAX_NAME_BYTES = 100  # well under the 255 bytes most file systems allow
UNSAFE = re.compile(r'[\x00-\x1f\x7f<>:"/\\|?*]')  # not allowed, or awkward, in a file name somewhere


def paths(out):
    """Everything the grader writes in ``out`` (never to be taken for a submission)."""
    return [out / name for name in (JOURNAL, GRADEBOOK, REPORT, FEEDBACK)]


@contextlib.contextmanager
def replacing(path):
    """A temporary path beside ``path`` to write to; it replaces ``path`` when the block succeeds."""
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(handle)
    try:
        yield Path(temporary)
        os.replace(temporary, path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)


def write_text(path, text):
    with replacing(path) as temporary:
        temporary.write_text(text, encoding="utf-8")


def feedback_filename(learner, taken):
    """``<learner>.md`` if that is a safe file name, else a cleaned, shortened one ending in a hash
    of the id; never one of ``taken`` (compared ignoring case), which it joins."""
    cleaned = UNSAFE.sub("_", learner).strip(" .") or "_"
    short = cleaned.encode("utf-8")[:MAX_NAME_BYTES].decode("utf-8", "ignore")
    hashed = f"{short}-{hashlib.sha256(learner.encode('utf-8')).hexdigest()[:8]}"
    candidates = itertools.chain(
        [learner] if cleaned == learner == short else [], [hashed], (f"{hashed}-{n}" for n in itertools.count(2)),
    )
    name = next(f"{c}.md" for c in candidates if f"{c}.md".casefold() not in taken)
    taken.add(name.casefold())
    return name


def write_outputs(out, records, with_notebooks):
    """grades.csv, feedback/*.md and report.html for ``records``; each record gets its ``feedback_file``."""
    taken = set()
    records = [
        {**record, "feedback_file": feedback_filename(record["learner"], taken)}
        for record in sorted(records, key=lambda r: r["learner"])
    ]
    folder = out / FEEDBACK
    folder.mkdir(exist_ok=True)
    for left_by_a_kill in [*out.glob(f".{GRADEBOOK}.*.tmp"), *out.glob(f".{REPORT}.*.tmp"), *folder.glob(".*.tmp")]:
        left_by_a_kill.unlink()
    with replacing(out / GRADEBOOK) as temporary:
        gradebook.write_csv(temporary, records, with_notebooks)
    for record in records:
        write_text(folder / record["feedback_file"], feedback.render(record))
    written = {record["feedback_file"] for record in records}
    for old in folder.glob("*.md"):
        if old.name not in written:
            old.unlink()
    write_text(out / REPORT, report.render(records, with_notebooks))
    return records
