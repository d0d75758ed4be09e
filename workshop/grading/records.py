"""What a grading record is: the shape the journal and the outputs rely on, and text that can be written.

A record is one submission's grade: learner, status, message, results, notebooks, seconds,
key and config, and optionally skipped, digest, source (the files the learner changed), fingerprints (those
of the code the learner wrote, similarity.py), backups, flags and upload (how a platform's download named the
submission). Records read back from ``results.jsonl`` are checked against this shape, since anyone can edit
that file: nothing in it may crash the grader or keep it busy.
"""

from typing import TypedDict

from .similarity import loaded
from .similarity import TOTAL_BYTES

STATUSES = ("ok", "invalid", "error", "timeout", "memory")
RESULT_FIELDS = {"step": int, "name": str, "title": str, "where": str, "passed": bool, "message": str}
NOTEBOOK_FIELDS = {"notebook": str, "status": str, "message": str}
UPLOAD_FIELDS = {"platform": str, "id": str, "name": str, "attachment": str, "late": bool}


class Graded(TypedDict):
    """What every record holds (key and config once the grader adds them)."""

    learner: str
    status: str  # one of STATUSES
    message: str
    results: list[dict]  # a Result.to_dict() per check (workshop/judge/core.py), fields as RESULT_FIELDS
    notebooks: list[dict] | None  # fields as NOTEBOOK_FIELDS; None when notebooks were not run
    seconds: float


class Record(Graded, total=False):
    """One submission's grade, as the journal keeps it and the outputs read it."""

    key: str
    config: str
    skipped: list[str]
    digest: str | None
    source: dict[str, str]
    backups: list[str]
    flags: list[str]
    upload: dict  # fields as UPLOAD_FIELDS


def printable(value):
    """``value`` with every text made encodable: lone surrogates become ``\\udcNN``."""
    if isinstance(value, str):
        return value.encode("utf-8", "backslashreplace").decode("utf-8")
    if isinstance(value, dict):
        return {printable(key): printable(item) for key, item in value.items()}
    if isinstance(value, list):
        return [printable(item) for item in value]
    return value


def problem(record):
    """What is wrong with a record read back from the journal, or None if it can be trusted."""
    if not isinstance(record, dict):
        return "it is not a JSON object"
    for field, kind in {"learner": str, "message": str, "key": str, "config": str, "results": list}.items():
        if not isinstance(record.get(field), kind):
            return f'"{field}" is missing or not a {kind.__name__}'
    if record.get("status") not in STATUSES:
        return f'"status" is {record.get("status")!r}, not one of {", ".join(STATUSES)}'
    if not is_number(record.get("seconds")):
        return '"seconds" is missing or not a number'
    for result in record["results"]:
        wrong = wrong_field(result, RESULT_FIELDS)
        if wrong or not (result.get("seconds") is None or is_number(result["seconds"])):
            return f'a result has a missing or wrong "{wrong or "seconds"}"'
    notebooks = record.get("notebooks")
    if notebooks is not None and (
        not isinstance(notebooks, list) or any(wrong_field(n, NOTEBOOK_FIELDS) for n in notebooks)
    ):
        return '"notebooks" is not a list of notebook verdicts'
    for field in ("skipped", "backups", "flags"):
        items = record.get(field, [])
        if not isinstance(items, list) or not all(isinstance(item, str) for item in items):
            return f'"{field}" is not a list of texts'
    source = record.get("source", {})
    if not isinstance(source, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in source.items()):
        return '"source" is not a map of file names to texts'
    if sum(map(len, source.values())) > TOTAL_BYTES:
        return f'"source" holds more than {TOTAL_BYTES} characters'
    try:
        loaded(record.get("fingerprints", {}))
    except ValueError as exc:
        return f'"fingerprints" are not what grading stores ({exc})'
    if not isinstance(record.get("digest"), (str, type(None))):
        return '"digest" is not a text'
    if "upload" in record and wrong_field(record["upload"], UPLOAD_FIELDS):
        return '"upload" is not what a platform\'s download says of a submission'
    return None


def wrong_field(value, fields):
    """The first of ``fields`` (name: type) that ``value`` lacks or holds with another type, or None."""
    if not isinstance(value, dict):
        return next(iter(fields))
    return next((name for name, kind in fields.items() if type(value.get(name)) is not kind), None)


def is_number(value):
    return isinstance(value, (int, float)) and not isinstance(value, bool)
