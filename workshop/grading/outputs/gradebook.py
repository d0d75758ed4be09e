"""The gradebook: one entry per learner (graded, ungraded or on the roster without a submission).

An entry's points follow the points per check (points.py) and the instructor's overrides
(overrides.py). A submission that did not grade cleanly and passed no check has no points at
all, not 0: its status says why.
"""

from dataclasses import dataclass
from dataclasses import field
from functools import cached_property

from ... import STEPS
from ...judge import CHECKS
from .overrides import for_learner
from .overrides import TOTAL
from .points import number
from .roster import match
from .roster import nfc
from .roster import sort_key

COLUMNS = ["learner", "points", "max_points", "percent", *(f"step{n}" for n in STEPS), "status", "message", "flags",
           "comment"]
ROSTER_COLUMNS = ["id", "email", "name"]
NOTEBOOK_COLUMNS = ["notebooks_clean", "notebooks"]
CHECK_COLUMNS = [check.name for check in CHECKS]
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
MISSING = "missing"
STEP_OF = {check.name: check.step for check in CHECKS}


@dataclass
class Entry:
    learner: str
    record: dict | None  # None: on the roster, but nothing was submitted
    person: object  # roster.Person or None
    weights: dict
    overrides: list = field(default_factory=list)

    @property
    def status(self):
        return self.record["status"] if self.record else MISSING

    @property
    def message(self):
        return self.record["message"] if self.record else "On the roster, but no submission was found."

    @property
    def flags(self):
        return [str(flag) for flag in (self.record or {}).get("flags") or []]

    @property
    def graded(self):
        """Whether the entry has points: the checks ran cleanly, or some passed before they were stopped."""
        results = (self.record or {}).get("results") or []
        return bool(results) and (self.status == "ok" or any(r["passed"] for r in results))

    @cached_property
    def earned(self):
        """{check name: points} (overrides applied), or None when the checks did not run."""
        if not self.graded:
            return None
        passed = {r["name"] for r in self.record["results"] if r["passed"]}
        earned = {name: weight if name in passed else 0 for name, weight in self.weights.items()}
        earned.update({o.check: o.points for o in self.overrides if o.check != TOTAL})
        return earned

    @property
    def points(self):
        totals = [o.points for o in self.overrides if o.check == TOTAL]
        if totals:
            return totals[-1]
        return sum(self.earned.values()) if self.earned is not None else None

    @property
    def max_points(self):
        return sum(self.weights.values())

    @property
    def percent(self):
        if self.points is None or not self.max_points:
            return None
        return round(100 * self.points / self.max_points, 1)

    def step_points(self, step):
        if self.earned is None:
            return None
        return sum(points for name, points in self.earned.items() if STEP_OF[name] == step)

    @property
    def comments(self):
        return [o.comment for o in self.overrides if o.comment]



def build(records, weights, people=None, overrides=()):
    """(entries sorted by name, roster entries without a submission, submissions without a roster entry)."""
    by_learner = {}
    for record in records:  # names in NFC, unless two submissions differ only in their Unicode form
        name = nfc(record["learner"])
        by_learner[record["learner"] if name in by_learner else name] = record
    matched, missing, extra = match(list(by_learner), people) if people is not None else ({}, [], [])
    entries = [Entry(learner, record, matched.get(learner), weights) for learner, record in by_learner.items()]
    entries += [Entry(p.name or p.id or p.email, None, p, weights) for p in missing]
    for entry in entries:
        person = entry.person
        names = [entry.learner] + ([person.id, person.email, person.name] if person else [])
        entry.overrides = for_learner(overrides, names)
    return sorted(entries, key=lambda e: sort_key(e.learner)), missing, extra


def blank_or_number(value):
    return "" if value is None else number(value)


def row(entry, with_roster=False, with_notebooks=False):
    """The entry's grades.csv row: ungraded points are left blank."""
    values = {
        "learner": entry.learner,
        **({"id": entry.person.id, "email": entry.person.email, "name": entry.person.name} if entry.person
           else dict.fromkeys(ROSTER_COLUMNS, "") if with_roster else {}),
        "points": blank_or_number(entry.points),
        "max_points": number(entry.max_points),
        "percent": blank_or_number(entry.percent),
        **{f"step{n}": blank_or_number(entry.step_points(n)) for n in STEPS},
        "status": entry.status,
        "message": entry.message,
        "flags": "; ".join(entry.flags),
        "comment": "; ".join(entry.comments),
    }
    if with_notebooks:
        notebooks = (entry.record or {}).get("notebooks") or []
        values["notebooks_clean"] = sum(n["status"] == "ok" for n in notebooks)
        values["notebooks"] = len(notebooks)
    values.update({name: blank_or_number((entry.earned or {}).get(name)) for name in CHECK_COLUMNS})
    return {key: spreadsheet_safe(value) for key, value in values.items()}


def columns(with_roster=False, with_notebooks=False):
    """The header of grades.csv."""
    head = COLUMNS[:1] + (ROSTER_COLUMNS if with_roster else []) + COLUMNS[1:]
    return head + (NOTEBOOK_COLUMNS if with_notebooks else []) + CHECK_COLUMNS


def spreadsheet_safe(value):
    """Text that a spreadsheet will not run as a formula (learner ids and messages are theirs)."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value
