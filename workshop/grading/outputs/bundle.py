"""Everything the grader writes from its records: grades.csv, the learning platforms' import
files (lms.py), the feedback pages and the class report.
"""

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from . import atomic
from . import feedback
from . import gradebook
from . import lms
from . import lms_feedback
from . import overrides
from . import points
from . import report
from . import roster
from .overrides import TOTAL

FORMATS = tuple(lms.FILES)


def add_arguments(parser):
    """The command-line options that shape the outputs (for ``grade`` and ``grade merge``)."""
    parser.add_argument("--roster", type=Path,
                        help="who the learners are: CSV with a header row naming name, id and email, or Moodle's"
                             " participants list, gradebook export or grading worksheet, or Canvas's gradebook export")
    parser.add_argument("--export", action="extend", nargs="+", choices=FORMATS,
                        help="also write grades-<platform>.csv to import, and the feedback to upload in bulk"
                             " (needs --roster)")
    parser.add_argument("--missing-as-zero", action="store_true",
                        help="send 0 to the platforms for learners without points, instead of leaving them out")
    parser.add_argument("--excel", action="store_true", help="write the CSV files with a byte-order mark, for Excel")
    parser.add_argument("--points", type=Path,
                        help="points.toml: points per check or per step (default: one per check)")


@dataclass(frozen=True)
class Settings:
    weights: dict
    people: list | None = None
    formats: tuple = ()
    excel: bool = False
    with_notebooks: bool = False
    missing_as_zero: bool = False
    roster_file: roster.Roster | None = None  # the file the people were read from: its kind, its rows

    @classmethod
    def from_args(cls, args):
        """The settings of the command line's options; ValueError saying what is wrong."""
        formats = tuple(dict.fromkeys(args.export or ()))
        if formats and not args.roster:
            raise ValueError("--export needs --roster: the platforms match learners by their id or email")
        if args.missing_as_zero and not formats:
            raise ValueError("--missing-as-zero needs --export: it sets the grade the platforms' files send")
        return cls(
            weights=points.load(args.points) if args.points else points.default(),
            formats=formats, excel=args.excel, with_notebooks=args.notebooks, missing_as_zero=args.missing_as_zero,
            **read_roster(args.roster),
        )


def read_roster(path):
    """The settings that a roster file gives: its people, and the file as read."""
    if not path:
        return {}
    loaded = roster.read(path)
    return {"people": loaded.people, "roster_file": loaded}


def write(out, records, settings, read_overrides=None):
    """Write every output into ``out``; the notes to show the instructor (roster mismatches, learners left
    out of the platforms' files, ignored overrides). ``read_overrides`` is ``overrides.load(out)`` as read
    before grading (read now if not given).

    Each record gets its ``feedback_file`` (the name of its pages in feedback/, without the suffix).
    """
    atomic.clear_leftovers(out)
    taken = set()
    records = [{**r, "feedback_file": atomic.feedback_stem(r["learner"], taken)}
               for r in sorted(records, key=lambda r: r["learner"])]
    decisions, notes = read_overrides or overrides.load(out)
    entries, missing, extra = gradebook.build(records, settings.weights, settings.people, decisions)
    notes += roster_notes(settings.roster_file, missing, extra) + override_notes(entries, decisions)
    with_roster = settings.people is not None
    columns = gradebook.columns(with_roster, settings.with_notebooks)
    rows = [gradebook.row(e, with_roster, settings.with_notebooks) for e in entries]
    save_csv(out / "grades.csv", columns, [[row[column] for column in columns] for row in rows], settings.excel)
    tables, left_out = lms.build([e for e in entries if e.person], settings.formats, sum(settings.weights.values()),
                                 settings.missing_as_zero)
    for name, (header, table) in tables.items():
        save_csv(out / name, header, table, settings.excel)
    notes += [f"Left out of {' and '.join(item.files)}: {item.learner} ({item.reason})" for item in left_out]
    notes += write_feedback_back(out, settings, entries)
    write_feedback(out / "feedback", [e for e in entries if e.record])
    atomic.write_text(out / atomic.REPORT,
                       report.render(entries, settings.with_notebooks, left_out if tables else None))
    return notes


def write_feedback(folder, entries):
    """Each learner's pages (Markdown and plain text); then the pages of learners no longer graded go."""
    folder.mkdir(exist_ok=True)
    written = set()
    for entry in entries:
        for suffix, render in ((".md", feedback.render), (".txt", feedback.render_text)):
            path = folder / (entry.record["feedback_file"] + suffix)
            atomic.write_text(path, render(entry))
            written.add(path.name)
    for old in [*folder.glob("*.md"), *folder.glob("*.txt")]:
        if old.name not in written:
            old.unlink()


def write_feedback_back(out, settings, entries):
    """Write the worksheet and zips that send each learner's whole feedback back; notes saying what was written."""
    notes = []
    if "moodle" in settings.formats and settings.roster_file and settings.roster_file.kind is roster.MOODLE_WORKSHEET:
        header, rows = lms_feedback.worksheet(settings.roster_file, entries)
        save_csv(out / lms_feedback.WORKSHEET, header, [[lms.fgetcsv_safe(cell) for cell in row] for row in rows],
                 settings.excel)
        notes.append(f"Wrote {lms_feedback.WORKSHEET}: upload it with Moodle's \"Upload grading worksheet\"")
    for platform in settings.formats:
        if named := lms_feedback.members(platform, entries):
            with atomic.replacing(out / lms_feedback.ZIPS[platform]) as temporary:
                lms_feedback.feedback_zip(temporary, named)
            zip_name = lms_feedback.ZIPS[platform]
            notes.append(f"Wrote {zip_name}: the feedback of {len(named)} learner(s) from {platform}")
    return notes


def save_csv(path, header, rows, excel):
    """Write a CSV file; with ``excel``, a byte-order mark first so that Excel reads it as UTF-8."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    atomic.write_text(path, buffer.getvalue(), encoding="utf-8-sig" if excel else "utf-8")


def roster_notes(loaded, missing, extra):
    notes = [f"Roster: {loaded.kind.name} (columns used: {', '.join(loaded.used)})"] if loaded else []
    notes += [f"On the roster but no submission (status missing): {p.name or p.id or p.email}" for p in missing]
    return notes + [f"A submission without a roster entry: {learner}" for learner in extra]


def override_notes(entries, decisions):
    applied = {id(o) for e in entries for o in e.overrides}
    notes = [f"{overrides.FILE}: no learner called {o.learner!r}; ignored" for o in decisions if id(o) not in applied]
    return notes + [f"{overrides.FILE}: {e.learner} was not graded, so only a '{TOTAL}' override applies to them"
                    for e in entries if not e.graded and any(o.check != TOTAL for o in e.overrides)]
