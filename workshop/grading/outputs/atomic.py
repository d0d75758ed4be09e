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

JOURNAL, GRADEBOOK, REPORT, FEEDBACK = "results.jsonl", "grades.csv", "report.html", "feedback"
EXPORTS = ("grades-moodle.csv", "grades-canvas.csv", "overrides.csv", "grading-worksheet-moodle.csv",
           "feedback-moodle.zip", "feedback-canvas.zip", ".download")
MAX_NAME_BYTES = 100  # well under the 255 bytes most file systems allow
UNSAFE = re.compile(r'[\x00-\x1f\x7f<>:"/\\|?*]')  # not allowed, or awkward, in a file name somewhere


def paths(out):
    """Everything the grader writes in ``out`` (never to be taken for a submission)."""
    return [out / name for name in (JOURNAL, GRADEBOOK, REPORT, FEEDBACK, *EXPORTS)]


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


def write_text(path, text, encoding="utf-8"):
    with replacing(path) as temporary:
        temporary.write_text(text, encoding=encoding, newline="")


def feedback_stem(learner, taken):
    """``<learner>`` if that is a safe file name, else a cleaned, shortened one ending in a hash
    of the id; never one of ``taken`` (compared ignoring case), which it joins."""
    cleaned = UNSAFE.sub("_", learner).strip(" .") or "_"
    short = cleaned.encode("utf-8")[:MAX_NAME_BYTES].decode("utf-8", "ignore")
    hashed = f"{short}-{hashlib.sha256(learner.encode('utf-8')).hexdigest()[:8]}"
    candidates = itertools.chain(
        [learner] if cleaned == learner == short else [], [hashed], (f"{hashed}-{n}" for n in itertools.count(2)),
    )
    name = next(c for c in candidates if c.casefold() not in taken)
    taken.add(name.casefold())
    return name


def clear_leftovers(out):
    """Remove the temporary files that a grader killed while writing left in ``out``."""
    for left_by_a_kill in [*out.glob(".*.tmp"), *(out / FEEDBACK).glob(".*.tmp")]:
        left_by_a_kill.unlink()
