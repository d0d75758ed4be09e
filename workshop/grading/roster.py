"""The class roster: who the learners are, matched to the names of their submissions.

``roster.csv`` has a header row naming its columns: ``name``, ``id`` and ``email`` (any order,
any case; ``section`` and ``submission`` may be added). A submission belongs to the entry whose
``submission``, ``name``, ``id`` or ``email`` equals its name once both are in Unicode NFC
and case-folded, so ``Chloe\u0301`` (as macOS types it) matches ``chloé``.
"""

import csv
import unicodedata
from dataclasses import dataclass

COLUMNS = ("name", "id", "email")
OPTIONAL = ("section", "submission")


@dataclass(frozen=True)
class Person:
    name: str
    id: str
    email: str
    section: str = ""
    submission: str = ""

    def keys(self):
        return {match_key(value) for value in (self.submission, self.name, self.id, self.email) if value}


def nfc(text):
    return unicodedata.normalize("NFC", text)


def match_key(text):
    """``text`` as compared with other names: NFC, case-folded, outer spaces removed."""
    return nfc(nfc(text).casefold()).strip()


def sort_key(text):
    """Sorts names as people read them: case and accents ignored (Émile between Ada and Zoë)."""
    plain = "".join(c for c in unicodedata.normalize("NFD", text.casefold()) if not unicodedata.combining(c))
    return plain, nfc(text)


def load(path):
    """The people of ``path``; ValueError saying what is wrong with the file."""
    try:
        with open(path, newline="", encoding="utf-8-sig") as file:
            rows = list(csv.reader(file))
    except (OSError, UnicodeDecodeError) as exc:
        raise ValueError(f"cannot read the roster {path}: {exc}") from None
    if not rows:
        raise ValueError(f"the roster {path} is empty: it needs a header row naming {', '.join(COLUMNS)}")
    header = [match_key(cell) for cell in rows[0]]
    missing = [column for column in COLUMNS if column not in header]
    if missing:
        raise ValueError(f"the roster's header row has no {', '.join(missing)} column (it has: {', '.join(rows[0])})")
    people = []
    for line, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        values = {column: nfc(row[header.index(column)].strip()) if header.index(column) < len(row) else ""
                  for column in COLUMNS + OPTIONAL if column in header}
        if not (values["name"] or values["id"] or values["email"]):
            raise ValueError(f"line {line} of the roster has no name, id or email")
        people.append(Person(**values))
    return people


def match(learners, people):
    """({learner: Person}, people without a submission, learners without a roster entry)."""
    owner = {}
    for person in people:
        for key in person.keys():
            owner.setdefault(key, person)
    matched = {}
    for learner in learners:
        person = owner.get(match_key(learner))
        if person is not None and person not in matched.values():
            matched[learner] = person
    missing = [p for p in people if p not in matched.values()]
    extra = [learner for learner in learners if learner not in matched]
    return matched, missing, extra
