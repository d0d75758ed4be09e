"""Everything the grader writes from its records: grades.csv, the learning platforms' import
files, the feedback pages and the class report.

``grades-moodle.csv`` follows Moodle 4.x's "Import grades from CSV file" (grade/import/csv):
one column that identifies the user (email address or ID number), one grade column, one
feedback column. ``grades-canvas.csv`` follows Canvas's Gradebook import: Student, ID,
SIS User ID, SIS Login ID, Section, then the assignment, with a "Points Possible" row.
Only learners on the roster go into those two files; a blank grade is left unchanged.
"""

import csv
import io
from dataclasses import dataclass

from . import feedback, gradebook, outputs, overrides, points, report, roster
from .markup import one_line
from .overrides import TOTAL

FORMATS = ("moodle", "canvas")
ASSIGNMENT = "Flask workshop, part 1"


@dataclass(frozen=True)
class Settings:
    weights: dict
    people: list | None = None
    formats: tuple = ()
    excel: bool = False
    with_notebooks: bool = False

    @classmethod
    def from_args(cls, args):
        """The settings of the command line's options; ValueError saying what is wrong."""
        formats = tuple(dict.fromkeys(args.export or ()))
        if formats and not args.roster:
            raise ValueError("--export needs --roster: the platforms match learners by their id or email")
        return cls(
            weights=points.load(args.points) if args.points else points.default(),
            people=roster.load(args.roster) if args.roster else None,
            formats=formats, excel=args.excel, with_notebooks=args.notebooks,
        )


def write(out, records, settings):
    """Write every output into ``out``; the notes to show the instructor (roster mismatches, ignored overrides).

    Each record gets its ``feedback_file`` (the name of its pages in feedback/, without the suffix).
    """
    outputs.clear_leftovers(out)
    taken = set()
    records = [{**r, "feedback_file": outputs.feedback_stem(r["learner"], taken)} for r in sorted(records, key=lambda r: r["learner"])]
    decisions, notes = overrides.load(out)
    entries, missing, extra = gradebook.build(records, settings.weights, settings.people, decisions)
    notes += roster_notes(missing, extra) + override_notes(entries, decisions)
    with_roster = settings.people is not None
    columns = gradebook.columns(with_roster, settings.with_notebooks)
    rows = [gradebook.row(e, with_roster, settings.with_notebooks) for e in entries]
    save_csv(out / "grades.csv", columns, [[row[column] for column in columns] for row in rows], settings.excel)
    on_roster = [e for e in entries if e.person]
    if "moodle" in settings.formats:
        save_csv(out / "grades-moodle.csv", *moodle(on_roster), settings.excel)
    if "canvas" in settings.formats:
        save_csv(out / "grades-canvas.csv", *canvas(on_roster), settings.excel)
    write_feedback(out / "feedback", [e for e in entries if e.record])
    outputs.write_text(out / outputs.REPORT, report.render(entries, settings.with_notebooks))
    return notes


def write_feedback(folder, entries):
    """Each learner's pages (Markdown and plain text); then the pages of learners no longer graded go."""
    folder.mkdir(exist_ok=True)
    written = set()
    for entry in entries:
        for suffix, render in ((".md", feedback.render), (".txt", feedback.render_text)):
            path = folder / (entry.record["feedback_file"] + suffix)
            outputs.write_text(path, render(entry))
            written.add(path.name)
    for old in [*folder.glob("*.md"), *folder.glob("*.txt")]:
        if old.name not in written:
            old.unlink()


def save_csv(path, header, rows, excel):
    """Write a CSV file; with ``excel``, a byte-order mark first so that Excel reads it as UTF-8."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    outputs.write_text(path, buffer.getvalue(), encoding="utf-8-sig" if excel else "utf-8")


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
    return header, [[e.person.email, e.person.id, safe(e.person.name), gradebook.blank_or_number(e.points),
                     safe(summary_line(e))] for e in entries]


def canvas(entries):
    header = ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", ASSIGNMENT]
    possible = ["Points Possible", "", "", "", "", points.number(entries[0].max_points) if entries else ""]
    return header, [possible, *([gradebook.spreadsheet_safe(e.person.name), "", e.person.id, e.person.email,
                                 e.person.section, gradebook.blank_or_number(e.points)] for e in entries)]


def roster_notes(missing, extra):
    notes = [f"On the roster but no submission (status missing): {p.name or p.id or p.email}" for p in missing]
    return notes + [f"A submission without a roster entry: {learner}" for learner in extra]


def override_notes(entries, decisions):
    applied = {id(o) for e in entries for o in e.overrides}
    notes = [f"{overrides.FILE}: no learner called {o.learner!r}; ignored" for o in decisions if id(o) not in applied]
    return notes + [f"{overrides.FILE}: {e.learner} was not graded, so only a '{TOTAL}' override applies to them"
                    for e in entries if not e.graded and any(o.check != TOTAL for o in e.overrides)]
