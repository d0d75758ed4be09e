"""The learning platforms' import files: grades-moodle.csv and grades-canvas.csv.

``grades-moodle.csv`` follows Moodle 4.x's "Import grades from CSV file" (grade/import/csv): the
email address (the column to match users on), ID number and full name, one grade column, one
feedback column. ``grades-canvas.csv`` follows Canvas's Gradebook import: Student, ID,
SIS User ID, SIS Login ID, Section, then the assignment, with a "Points Possible" row; ID is
Canvas's own user ID when the roster is Canvas's gradebook export.

Only learners on the roster go in, and of those only the ones the platform can find and who
have points: a blank grade does not leave a grade unchanged (Canvas posts it as "no grade",
Moodle stores it as null: either erases a grade already there), and Moodle stops the whole
import at a row without the identifier it matches on. The others are left out, each with the
reason; ``missing_as_zero`` sends 0 for the learners without points instead.
"""

import re
from dataclasses import dataclass

from . import gradebook
from . import points
from .markup import one_line
from .roster import sort_key

ASSIGNMENT = "Flask workshop, part 1"
FILES = {"moodle": "grades-moodle.csv", "canvas": "grades-canvas.csv"}
# Moodle reads CSV with PHP's fgetcsv, whose escape character "\" makes the quote after it (one in
# the text, or the one that closes the cell) an ordinary character; Moodle's copy of the file, written
# with fputcsv and read back, has the same flaw.
BACKSLASH_BEFORE_QUOTE = re.compile(r'\\(?="|\Z)')
ZERO_WIDTH_SPACE = "\u200b"


@dataclass(frozen=True)
class LeftOut:
    learner: str
    files: tuple
    reason: str


def build(entries, formats, max_points, missing_as_zero=False):
    """({file name: (header, rows)} for each platform of ``formats``, [LeftOut]) for the roster's ``entries``."""
    tables, left_out = {}, {}
    for platform in formats:
        kept = []
        for entry in entries:
            reason = missing_identifier(entry.person, platform) or (None if missing_as_zero else no_points(entry))
            if reason:
                left_out.setdefault((entry.learner, reason), []).append(FILES[platform])
            else:
                kept.append(entry)
        tables[FILES[platform]] = moodle(kept) if platform == "moodle" else canvas(kept, max_points)
    return tables, sorted((LeftOut(learner, tuple(files), reason) for (learner, reason), files in left_out.items()),
                          key=lambda item: sort_key(item.learner))


def missing_identifier(person, platform):
    """Why ``platform`` could not find ``person`` by the identifiers its file holds, or None."""
    if platform == "moodle":
        if not person.email:
            return "no email address in the roster: Moodle stops the whole import at a row without one"
        if fgetcsv_safe(person.email) != person.email:
            return "an email address with a backslash before a quote or at its end, which Moodle would misread"
    elif not (canvas_id(person) or person.id or person.email):
        return "no id or email in the roster: Canvas would match the name alone, perhaps to another student"
    return None


def no_points(entry):
    if entry.points is None:
        return (f"no points, status {entry.status}: a blank grade would erase a grade already in the platform;"
                " --missing-as-zero sends 0")
    return None


def fgetcsv_safe(text):
    """``text`` with a zero-width space after each backslash that stands before a quote or at the end,
    so that PHP's fgetcsv (escape character ``\\``) reads the cell as any CSV reader does."""
    return BACKSLASH_BEFORE_QUOTE.sub("\\\\" + ZERO_WIDTH_SPACE, text)


def grade(entry):
    """The points sent to the platform: 0 for an entry without points (kept by ``missing_as_zero``)."""
    return points.number(0 if entry.points is None else entry.points)


def summary_line(entry):
    """A one-line comment for a platform's feedback column."""
    if entry.points is None:
        said = f"Not graded ({entry.status}): {one_line(entry.message)}"
    else:
        said = f"{points.number(entry.points)} of {points.number(entry.max_points)} points."
    return " ".join([said, *(one_line(c) for c in entry.comments)])


def moodle(entries):
    header = ["Email address", "ID number", "Full name", ASSIGNMENT, "Feedback"]
    safe = gradebook.spreadsheet_safe
    return header, [[fgetcsv_safe(cell) for cell in (e.person.email, e.person.id, safe(one_line(e.person.name)),
                                                      grade(e), safe(summary_line(e)))] for e in entries]


def canvas(entries, max_points):
    header = ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", ASSIGNMENT]
    possible = ["Points Possible", "", "", "", "", points.number(max_points)]
    return header, [possible, *([gradebook.spreadsheet_safe(e.person.name), canvas_id(e.person), e.person.id,
                                 e.person.email, e.person.section, grade(e)] for e in entries)]


def canvas_id(person):
    """Canvas's own user ID of ``person``, when the roster is Canvas's export; else blank."""
    return person.platform_id if person.platform == "canvas" else ""
