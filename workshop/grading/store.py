"""The grading journal: one JSON line per graded submission, written as soon as it is known.

Each line is flushed and fsync'd, so killing the grader loses nothing finished, and
``--resume`` reuses a learner's record when the submission's content and the grading
configuration are the same as when it was graded. A record that does not have the shape of
one (edited by hand, say) is refused with a warning naming its line, and its learner is
graded again.
"""

import json
import os

from .records import printable
from .records import problem


class Journal:
    """DIR/results.jsonl: read for --resume, then appended to record by record."""

    def __init__(self, path, resume):
        self.path = path
        self.previous, self.refused = read(path) if resume else ({}, [])
        flags = os.O_WRONLY | os.O_CREAT | (os.O_APPEND if resume else os.O_TRUNC)
        self.file = open(os.open(path, flags, 0o600), "a" if resume else "w",
                         encoding="utf-8")  # for the instructor only
        if self.file.tell() and not ends_with_newline(path):
            self.file.write("\n")  # the last line was cut off when the grader was killed

    def reusable(self, learner, key, config):
        """The earlier record of ``learner`` if it graded the same content the same way."""
        record = self.previous.get(learner)
        if record and record.get("key") == key and record.get("config") == config:
            return record
        return None

    def add(self, record):
        """Append a record and make sure it is on disk before going on."""
        line = json.dumps(record, ensure_ascii=False)
        try:
            line.encode("utf-8")
        except UnicodeEncodeError:  # a text that UTF-8 cannot hold: JSON's \u escapes can
            line = json.dumps(record)
        self.file.write(line + "\n")
        self.file.flush()
        os.fsync(self.file.fileno())

    def close(self):
        self.file.close()


def read(path):
    """(the last sound record of each learner, warnings about the refused ones) from a journal."""
    records, refused = {}, []
    try:
        lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    except FileNotFoundError:
        return records, refused
    for number, line in enumerate(lines, 1):
        try:
            record = json.loads(line)
            wrong = problem(record)
        except ValueError:
            record, wrong = None, "it is not JSON: cut off by a kill, or edited"
        if wrong:
            refused.append(f"{path.name} line {number}: record refused ({wrong}); that submission is graded again.")
            learner = record.get("learner") if isinstance(record, dict) else None
            records.pop(learner if isinstance(learner, str) else None, None)
        else:  # a record without fingerprints is not fingerprinted from its source: none are compared
            records[record["learner"]] = {"fingerprints": {}, **printable(record)}
    return records, refused


def ends_with_newline(path):
    with open(path, "rb") as file:
        file.seek(-1, os.SEEK_END)
        return file.read(1) == b"\n"
