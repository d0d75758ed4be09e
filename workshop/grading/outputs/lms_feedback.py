"""Each learner's whole feedback, back to the platform in bulk.

- ``grading-worksheet-moodle.csv``: with Moodle's grading worksheet as the roster, the worksheet as
  downloaded with "Grade" and "Feedback comments" filled in, for "Upload grading worksheet"
  (mod/assign/feedback/offline: it finds a row by "Identifier", reads "Grade", "Last modified
  (grade)" and each feedback plugin's column, through PHP's fgetcsv). The grade is scaled to the
  row's "Maximum Grade"; the comment is HTML, as the comments plugin stores it. A learner without
  points keeps the grade the worksheet had, and gets the feedback that says why.
- ``feedback-moodle.zip``, for "Upload multiple feedback files in a zip" (mod/assign/feedback/file,
  importziplib.php): ``<full name>_<participant number>_assignfeedback_file_feedback.txt``; Moodle
  splits the name at its first four ``_`` and finds the learner by the number.
- ``feedback-canvas.zip``, for Canvas's "Re-upload Submissions" (Assignment#generate_comments_from_files):
  ``<name>[_LATE]_<user ID>_<attachment ID>_feedback.txt``, the graded file's own prefix; Canvas takes
  the first two all-digit parts of the name as the user and one of their submission's attachments,
  and attaches the file to a comment on that submission.

Every learner whose record came from that platform's download is in its zip, with points or not:
a feedback file changes no grade.
"""

import re
import zipfile

from . import feedback
from . import points
from .roster import match_key

WORKSHEET = "grading-worksheet-moodle.csv"
ZIPS = {"moodle": "feedback-moodle.zip", "canvas": "feedback-canvas.zip"}
FEEDBACK_FILE = "feedback.txt"
MOODLE_NAME = re.compile(r"[^_/\\\x00-\x1f]*")  # Moodle made every "_" of the name a space
CANVAS_NAME = re.compile(r"\w*")  # Canvas kept word characters only
NUMBER = re.compile(r"\d+")


def column(header, name):
    """The index of ``name`` in the header (compared case-folded), or None."""
    return next((i for i, cell in enumerate(header) if match_key(cell) == match_key(name)), None)


def worksheet(roster, entries):
    """(header, rows) of the worksheet with the feedback of ``entries``, and the grades of those with points."""
    header, rows = roster.header, [list(row) for row in roster.rows[1:]]
    grade, maximum, comments = (column(header, name) for name in ("grade", "maximum grade", "feedback comments"))
    for entry in entries:
        if entry.person is None or not entry.person.line or entry.record is None:
            continue
        row = rows[entry.person.line - 1]
        row += [""] * (len(header) - len(row))
        if entry.points is not None:
            row[grade] = points.number(scaled(entry, row[maximum] if maximum is not None else ""))
        if comments is not None:
            row[comments] = feedback.render_html(entry)
    return header, rows


def scaled(entry, maximum):
    """The entry's points on the worksheet's scale (its "Maximum Grade", as Moodle writes it: "100.00")."""
    try:
        top = float(maximum.replace(",", "."))
    except ValueError:
        return entry.points
    return entry.points * top / entry.max_points if entry.max_points and top > 0 else entry.points


def member_name(upload):
    """The name of the learner's feedback file in the platform's zip, or None if the record's names are unsound."""
    name, number, attachment = (str(upload.get(key, "")) for key in ("name", "id", "attachment"))
    if not NUMBER.fullmatch(number):
        return None
    if upload.get("platform") == "moodle" and MOODLE_NAME.fullmatch(name):
        return f"{name}_{number}_assignfeedback_file_{FEEDBACK_FILE}"
    if (upload.get("platform") == "canvas" and CANVAS_NAME.fullmatch(name) and NUMBER.fullmatch(attachment)
            and not any(part.isdigit() for part in name.split("_"))):
        return f"{name}{'_LATE' if upload.get('late') else ''}_{number}_{attachment}_{FEEDBACK_FILE}"
    return None


def members(platform, entries):
    """[(member name, entry)] of the platform's zip: the learners of its download."""
    named = []
    for entry in entries:
        upload = (entry.record or {}).get("upload") or {}
        if upload.get("platform") == platform and (name := member_name(upload)):
            named.append((name, entry))
    return named


def feedback_zip(path, named):
    """Write a zip of feedback files: each learner's page under the member name of ``members()``."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, entry in named:
            archive.writestr(name, feedback.render_text(entry))
