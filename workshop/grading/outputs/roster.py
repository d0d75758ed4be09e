"""The class roster: who the learners are, matched to the names of their submissions.

``--roster`` takes the workshop's own ``roster.csv`` or a platform's export, as downloaded; the kind
is recognised from the header row (see KINDS):

- ``roster.csv``: a header row naming ``name``, ``id`` and ``email`` (any order, any case;
  ``section`` and ``submission`` may be added);
- Moodle's participants list and gradebook export (CSV, or plain text with another separator):
  First name, Last name (or Full name), ID number, Email address;
- Moodle's grading worksheet of an assignment ("Download grading worksheet"): Identifier
  ("Participant 12", the number in the names of the assignment's downloads), Full name, Email address;
- Canvas's gradebook export: Student, ID (the number in the names of its downloads), SIS User ID,
  SIS Login ID, Section, with a "Points Possible" row under the header.

A submission belongs to the entry whose ``submission``, ``name``, ``id`` or ``email`` equals its name
once both are in Unicode NFC and case-folded, so ``Chloe\u0301`` (as macOS types it) matches ``chloé``;
a platform's download is matched by the platform's own number first (downloads.py).
"""

import csv
import io
import re
import unicodedata
from dataclasses import dataclass
from dataclasses import field

COLUMNS = ("name", "id", "email")
OPTIONAL = ("section", "submission")
SEPARATORS = ",\t;:|"  # Moodle's plain-text export lets the teacher choose among these
FULL_NAMES = ("full name", "user full name", "first name / last name", "first name / surname")  # as Moodle heads them
PARTICIPANT_NUMBER = re.compile(r"(\d+)\s*$")  # "Participant 12": the number, whatever the language


@dataclass(frozen=True)
class Person:
    name: str
    id: str
    email: str
    section: str = ""
    submission: str = ""
    platform_id: str = ""  # Moodle's participant number or Canvas's user ID: what its downloads are named by
    platform: str = ""  # "moodle" or "canvas": whose number platform_id is
    line: int = field(default=0, compare=False)  # the row of the roster file (for the filled-in worksheet)

    def keys(self):
        return {match_key(value) for value in (self.submission, self.name, self.id, self.email) if value}


@dataclass(frozen=True)
class Kind:
    """A roster format: its name, the columns it needs and those it reads (case-folded), how to read a row."""
    name: str
    needs: tuple
    reads: tuple
    read: object  # (cells: {column: value}) -> dict of Person fields, or None to skip the row
    platform: str = ""


@dataclass
class Roster:
    kind: Kind
    people: list
    header: list
    rows: list  # every row as read, for the filled-in worksheet

    @property
    def used(self):
        """The columns read, as the file spells them."""
        return [cell for cell in self.header if match_key(cell) in self.kind.reads]


def nfc(text):
    return unicodedata.normalize("NFC", text)


def match_key(text):
    """``text`` as compared with other names: NFC, case-folded, outer spaces removed."""
    return nfc(nfc(text).casefold()).strip()


def sort_key(text):
    """Sorts names as people read them: case and accents ignored (Émile between Ada and Zoë)."""
    plain = "".join(c for c in unicodedata.normalize("NFD", text.casefold()) if not unicodedata.combining(c))
    return plain, nfc(text)


def workshop_row(cells):
    return {column: cells.get(column, "") for column in COLUMNS + OPTIONAL}


def moodle_name(cells):
    first_last = " ".join(filter(None, (cells.get("first name", ""), cells.get("last name", cells.get("surname", "")))))
    return next((cells[c] for c in FULL_NAMES if cells.get(c)), first_last)


def moodle_row(cells):
    return {"name": moodle_name(cells), "id": cells.get("id number", ""), "email": cells.get("email address", "")}


def worksheet_row(cells):
    number = PARTICIPANT_NUMBER.search(cells["identifier"])
    return {**moodle_row(cells), "platform_id": number.group(1) if number else ""}


def canvas_row(cells):
    if not cells["id"] or cells["student"] == "Points Possible":  # Canvas's second row(s), not a student
        return None
    return {"name": cells["student"], "id": cells.get("sis user id", ""), "email": cells.get("sis login id", ""),
            "section": cells.get("section", ""), "platform_id": cells["id"]}


MOODLE_NAMES = (*FULL_NAMES, "first name", "last name", "surname", "id number", "email address")
WORKSHOP = Kind("the workshop's roster", COLUMNS, COLUMNS + OPTIONAL, workshop_row)
MOODLE_WORKSHEET = Kind("Moodle's grading worksheet", ("identifier", "grade", "last modified (grade)"),
                        ("identifier", *MOODLE_NAMES), worksheet_row, "moodle")
CANVAS_GRADEBOOK = Kind("Canvas's gradebook export", ("student", "id", "sis user id"),
                        ("student", "id", "sis user id", "sis login id", "section"), canvas_row, "canvas")
MOODLE_GRADEBOOK = Kind("Moodle's gradebook export", ("email address", "last downloaded from this course"),
                        MOODLE_NAMES, moodle_row, "moodle")
MOODLE_PARTICIPANTS = Kind("Moodle's participants list", ("email address",), MOODLE_NAMES, moodle_row, "moodle")
KINDS = (WORKSHOP, MOODLE_WORKSHEET, CANVAS_GRADEBOOK, MOODLE_GRADEBOOK, MOODLE_PARTICIPANTS)


def kind_of(header):
    """The first of KINDS whose columns the header has, or None."""
    names = {match_key(cell) for cell in header}
    kind = next((k for k in KINDS if names.issuperset(k.needs)), None)
    if kind and kind.read is moodle_row and not names.intersection((*FULL_NAMES, "first name")):
        return None
    return kind


def separator(first_line):
    """The separator of a CSV or plain-text export: the one the header row holds most of."""
    return max(SEPARATORS, key=first_line.count)


def read(path):
    """The Roster of ``path``; ValueError saying what is wrong with the file."""
    try:
        with open(path, newline="", encoding="utf-8-sig") as file:
            text = file.read()
    except (OSError, UnicodeDecodeError) as exc:
        raise ValueError(f"cannot read the roster {path}: {exc}") from None
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=separator(text.partition("\n")[0])))
    if not rows:
        raise ValueError(f"the roster {path} is empty: it needs a header row naming {', '.join(COLUMNS)}")
    header = [match_key(cell) for cell in rows[0]]
    kind = kind_of(rows[0])
    if kind is None:
        missing = [column for column in COLUMNS if column not in header]
        raise ValueError(f"the roster's header row has no {', '.join(missing)} column (it has: {', '.join(rows[0])}),"
                         " and is none of Moodle's or Canvas's exports")
    people = []
    for line, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        cells = {}
        for column, cell in zip(header, row, strict=False):  # a row may be shorter or longer than the header
            cells.setdefault(column, nfc(cell.strip()))
        values = kind.read({column: cells.get(column, "") for column in header})
        if values is None:
            continue
        if not (values["name"] or values["id"] or values["email"]):
            raise ValueError(f"line {line} of the roster has no name, id or email")
        people.append(Person(**values, platform=kind.platform if values.get("platform_id") else "", line=line - 1))
    return Roster(kind, people, rows[0], rows)


def load(path):
    """The people of ``path``; ValueError saying what is wrong with the file."""
    return read(path).people


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
