"""The grading journal: one JSON line per graded submission, written as soon as it is known.

Each line is flushed and fsync'd, so killing the grader loses nothing finished, and
``--resume`` reuses a learner's record when the submission's content and the grading
configuration are the same as when it was graded.
"""

import json
import os


class Journal:
    """DIR/results.jsonl: read for --resume, then appended to record by record."""

    def __init__(self, path, resume):
        self.path = path
        self.previous = read(path) if resume else {}
        self.file = open(path, "a" if resume else "w", encoding="utf-8")
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
        self.file.write(json.dumps(record, ensure_ascii=False) + "\n")
        self.file.flush()
        os.fsync(self.file.fileno())

    def close(self):
        self.file.close()


def read(path):
    """The last complete record of each learner in a journal (none if there is no journal)."""
    records = {}
    try:
        lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    except FileNotFoundError:
        return records
    for line in lines:
        try:
            record = json.loads(line)
        except ValueError:
            continue
        if isinstance(record, dict) and isinstance(record.get("learner"), str):
            records[record["learner"]] = record
    return records


def ends_with_newline(path):
    with open(path, "rb") as file:
        file.seek(-1, os.SEEK_END)
        return file.read(1) == b"\n"
