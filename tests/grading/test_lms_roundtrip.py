"""The round trip with Moodle and Canvas, with no hand work: a class as each platform hands it over,
graded against each kind of roster, and sent back as the platform reads it.

Each download is built as the platform's own code names its members: Moodle's mod/assign
``download_submissions`` (``clean_filename(str_replace('_', ' ', fullname) . '_' . participant)``,
then ``_assignsubmission_file_`` and the file name, or a folder per learner), Canvas's
lib/content_zipper.rb (sortable name lower-cased without non-word characters, ``LATE``, user ID,
attachment ID, file name). What goes back is read as they read it: Moodle's worksheet and feedback
zip by tests/moodle_assign_import.php, Canvas's re-upload by its own rule (the first two all-digit
parts of the name). Each class is graded once, in a module fixture.
"""

import csv
import html
import io
import json
import re
import shutil
import subprocess
import sys
import zipfile
from datetime import datetime
from pathlib import Path

import pytest
from helpers.grading_submissions import app
from helpers.grading_submissions import at_import
from helpers.grading_submissions import FINISHED
from helpers.grading_submissions import prepended

from workshop import APP_NAME
from workshop import ROOT
from workshop.grading.batch import WORST_CASE
from workshop.grading.outputs import roster
from workshop.grading.outputs.points import default
from workshop.grading.outputs.points import number
from workshop.grading.platforms.downloads import unpack_download
from workshop.grading.records import problem
from workshop.grading.submissions import defines_create_app
from workshop.grading.submissions import discover
from workshop.grading.submissions import fingerprint
from workshop.grading.submissions import Invalid
from workshop.grading.submissions import prepare
from workshop.grading.submissions import Submission
from workshop.release import write_tree

MAX = sum(default().values())
# (full name, Canvas's sortable name, email, ID number)
CLASS = [
    ("Ada Lovelace", "Lovelace, Ada", "ada@example.org", "s01"),
    ("Grace Hopper", "Hopper, Grace", "grace@example.org", "s02"),
    ("Zoë O'Brien", "O'Brien, Zoë", "zoe@example.org", "s03"),
    ("Alan Turing", "Turing, Alan", "alan@example.org", "s04"),
    ("Émile Borel", "Borel, Émile", "emile@example.org", "s05"),
    ("Hedy Lamarr", "Lamarr, Hedy", "hedy@example.org", "s06"),
    ("Katherine Johnson", "Johnson, Katherine", "katherine@example.org", "s07"),
    ("Margaret Hamilton", "Hamilton, Margaret", "margaret@example.org", "s08"),
]
PARTICIPANT = {name: str(1001 + i) for i, (name, *_) in enumerate(CLASS)}  # Moodle's participant numbers
CANVAS_ID = {name: str(52001 + i) for i, (name, *_) in enumerate(CLASS)}  # Canvas's user IDs
OLDER, NEWER = (2026, 11, 30, 10, 0, 0), (2026, 12, 1, 9, 30, 0)
SEVERAL, LATE, BROKEN = "Grace Hopper", "Alan Turing", "Hedy Lamarr"
# Canvas's class: learners who zipped the app's files without their folder, or renamed it
SLIPS = {"Katherine Johnson": "", "Margaret Hamilton": "flask_app", BROKEN: ""}
SLIP_FLAGS = {"": "the app's files were zipped without their folder",
              "flask_app": "the app folder is named `flask_app`"}
PHP_READER = Path(__file__).with_name("moodle_assign_import.php")
CREATE_APP = "import os\n\ndef create_app(test_config=None):\n    pass\n"


def own_app(name, broken=False):
    """The finished app, made the learner's own by a comment (no two learners are twins)."""
    tree = at_import("undefined_name_at_import") if broken else app(FINISHED)
    return prepended(tree, "__init__.py", f"# {name}'s app")


def app_zip(tree, folder=APP_NAME):
    """The bytes of a zip of ``part1_basic_app/`` as a learner makes it (or of the app under another name)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for relative, content in tree.items():
            archive.writestr(f"{folder}/{relative}" if folder else relative, content)
    return buffer.getvalue()


def moodle_prefix(name, number):
    """Moodle's prefix: clean_filename(str_replace('_', ' ', fullname) . '_' . participant number)."""
    return re.sub(r"""[\x00-\x1f\x7f&<>"`|':\\/]""", "", name.replace("_", " ") + "_" + number)


def canvas_prefix(sortable, user_id, late=False):
    """Canvas's get_filename: the sortable name down-cased, [LATE], the user ID, only word characters kept."""
    user_name = re.sub(r"_(\d+)_", r"\1", sortable).lower()
    return re.sub(r"[^\w]", "", "_".join([user_name, *(["LATE"] if late else []), user_id]))


def add(archive, member, data, when=NEWER):
    archive.writestr(zipfile.ZipInfo(member, date_time=when), data)


def moodle_download(path, folders):
    """Moodle's "Download all submissions" zip; ``folders``: with "Download submissions in folders"."""
    with zipfile.ZipFile(path, "w") as archive:
        for i, (name, *_) in enumerate(CLASS):
            prefix = moodle_prefix(name, PARTICIPANT[name])
            if folders:  # Moodle >= 4.1 names the folder without a trailing "_", 3.x with one
                folder = f"{prefix}_assignsubmission_file{'_' if i == 1 else ''}/"
                if i == 2:  # files uploaded with their folders, not zipped
                    for relative, content in own_app(name).items():
                        add(archive, f"{folder}{APP_NAME}/{relative}", content)
                    continue
                member = folder + "{}"
            else:
                member = f"{prefix}_assignsubmission_file_" + "{}"
            if name == SEVERAL:
                add(archive, member.format("first-try.zip"), app_zip(own_app(name, broken=True)), OLDER)
            add(archive, member.format("app.zip"), app_zip(own_app(name, broken=name == BROKEN)))
            text = f"{prefix}_assignsubmission_onlinetext{'/' if folders else '_'}onlinetext.html"
            add(archive, text, "<p>Done!</p>")
    return path


def canvas_download(path):
    """Canvas's "Download Submissions" zip: one learner late, one with two files."""
    with zipfile.ZipFile(path, "w") as archive:
        for i, (name, sortable, *_) in enumerate(CLASS):
            prefix = canvas_prefix(sortable, CANVAS_ID[name], late=name == LATE)
            attachment = 880001 + 10 * i
            if name == SEVERAL:
                add(archive, f"{prefix}_{attachment}_first-try.zip", app_zip(own_app(name, broken=True)))
                attachment += 1  # sent later, in the same attempt
            tree = own_app(name, broken=name == BROKEN)
            add(archive, f"{prefix}_{attachment}_app.zip", app_zip(tree, SLIPS.get(name, APP_NAME)))
    return path


def write_csv(path, rows, delimiter=","):
    with open(path, "w", newline="", encoding="utf-8") as file:
        csv.writer(file, delimiter=delimiter).writerows(rows)
    return path


def moodle_worksheet(path):
    header = ["Identifier", "Full name", "Email address", "Status", "Grade", "Maximum Grade", "Grade can be changed",
              "Last modified (submission)", "Last modified (grade)", "Feedback comments"]
    return write_csv(path, [header, *([f"Participant {PARTICIPANT[name]}", name, email, "Submitted for grading", "",
                                       "100.00", "Yes", "Monday, 1 December 2026, 9:30 AM", "-", ""]
                                      for name, _, email, _ in CLASS)])


def moodle_participants(path):
    header = ["First name", "Last name", "Email address", "Roles", "Groups", "Last access to course"]
    return write_csv(path, [header, *([*name.split(" ", 1), email, "Student", "No groups", "1 day"]
                                      for name, _, email, _ in CLASS)])


def moodle_participants_one_name_column(path):
    return write_csv(path, [["User full name", "Email address", "Roles"],
                            *([name, email, "Student"] for name, _, email, _ in CLASS)])


def moodle_gradebook(path, delimiter):
    header = ["First name", "Last name", "ID number", "Institution", "Department", "Email address",
              "Assignment: Flask workshop (Real)", "Last downloaded from this course"]
    return write_csv(path, [header, *([*name.split(" ", 1), number_, "", "", email, "-", "1764581400"]
                                      for name, _, email, number_ in CLASS)], delimiter)


def canvas_gradebook(path):
    header = ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", "Flask workshop (4512)"]
    return write_csv(path, [header, ["    Points Possible", "", "", "", "", "32.00"],
                            *([sortable, CANVAS_ID[name], number_, email, "Section A", ""]
                              for name, sortable, email, number_ in CLASS)])


def grade(submissions, out, *options):
    done = subprocess.run([sys.executable, "-m", "workshop.grading", str(submissions), "--out", str(out), "-j", "2",
                           *map(str, options)], cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    return done


def read_csv(path):
    with open(path, newline="", encoding="utf-8") as file:
        return list(csv.DictReader(file))


@pytest.fixture(scope="module")
def moodle(tmp_path_factory):
    """A Moodle class downloaded as files (the zip itself) and in folders (unpacked), graded."""
    tmp = tmp_path_factory.mktemp("moodle")
    files = moodle_download(tmp / "files.zip", folders=False)
    in_folders = tmp / "in-folders"
    with zipfile.ZipFile(moodle_download(tmp / "folders.zip", folders=True)) as archive:
        archive.extractall(in_folders)
    runs = {
        "files": grade(files, tmp / "out-files", "--roster", moodle_worksheet(tmp / "worksheet.csv"),
                       "--export", "moodle"),
        "folders": grade(in_folders, tmp / "out-folders", "--roster", moodle_participants(tmp / "participants.csv"),
                         "--export", "moodle"),
    }
    shutil.copytree(tmp / "out-folders", tmp / "out-gradebook")  # the same grades, with the gradebook as roster
    runs["gradebook"] = grade(in_folders, tmp / "out-gradebook", "--resume", "--export", "moodle",
                              "--roster", moodle_gradebook(tmp / "gradebook.txt", "\t"))
    return {**runs, **{f"out-{layout}": tmp / f"out-{layout}" for layout in runs}}


@pytest.fixture(scope="module")
def canvas(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("canvas")
    done = grade(canvas_download(tmp / "submissions.zip"), tmp / "out",
                 "--roster", canvas_gradebook(tmp / "gradebook.csv"), "--export", "canvas")
    return {"run": done, "out": tmp / "out"}


def expected_points(name):
    return "" if name == BROKEN else number(MAX)


@pytest.mark.parametrize("layout", ["files", "folders"])
def test_every_moodle_learner_is_matched_named_and_graded(moodle, layout):
    rows = {row["learner"]: row for row in read_csv(moodle[f"out-{layout}"] / "grades.csv")}
    assert sorted(rows) == sorted(name for name, *_ in CLASS)
    for name, _, email, _ in CLASS:
        assert (rows[name]["email"], rows[name]["points"]) == (email, expected_points(name)), rows[name]
    assert rows[BROKEN]["status"] == "error" and "__init__.py" in rows[BROKEN]["message"]
    assert "A submission without a roster entry" not in moodle[layout].stderr
    assert "On the roster but no submission" not in moodle[layout].stderr


def test_moodles_gradebook_export_as_roster_gives_the_ids_to_the_grades_file(moodle):
    assert "Reusing 8 finished result(s); grading 0." in moodle["gradebook"].stderr
    rows = read_csv(moodle["out-gradebook"] / "grades-moodle.csv")
    assert [(row["Full name"], row["Email address"], row["ID number"]) for row in rows] == sorted(
        [(name, email, number_) for name, _, email, number_ in CLASS if name != BROKEN],
        key=lambda row: roster.sort_key(row[0]))
    assert all(row["Flask workshop, part 1"] == number(MAX) for row in rows)


def test_the_summary_says_which_roster_and_columns_were_used(moodle, canvas):
    assert ("Roster: Moodle's grading worksheet (columns used: Identifier, Full name, Email address)"
            in moodle["files"].stderr)
    assert ("Roster: Moodle's participants list (columns used: First name, Last name, Email address)"
            in moodle["folders"].stderr)
    assert ("Roster: Canvas's gradebook export (columns used: Student, ID, SIS User ID, SIS Login ID, Section)"
            in canvas["run"].stderr)


def test_of_several_files_the_latest_is_graded_and_flagged(moodle, canvas):
    sortable = next(sortable for name, sortable, *_ in CLASS if name == SEVERAL)
    for out, learner in ((moodle["out-files"], SEVERAL), (moodle["out-folders"], SEVERAL), (canvas["out"], sortable)):
        row = next(r for r in read_csv(out / "grades.csv") if r["learner"] == learner)
        assert row["points"] == number(MAX)
        assert "2 zip files handed in (app.zip, first-try.zip): the latest, app.zip, was graded" in row["flags"]


def test_feedback_pages_are_headed_by_the_learners_name(moodle, canvas):
    page = (moodle["out-folders"] / "feedback" / "Zoë O'Brien.txt").read_text(encoding="utf-8")
    assert page.startswith("Feedback for Zoë O'Brien")
    page = (canvas["out"] / "feedback" / "O'Brien, Zoë.txt").read_text(encoding="utf-8")
    assert page.startswith("Feedback for O'Brien, Zoë")


def read_as_moodle(worksheet, members):
    php = shutil.which("php")
    if php is None:
        pytest.skip("no php to read the files as Moodle does (Debian: apt-get install php-cli)")
    done = subprocess.run([php, str(PHP_READER), str(worksheet), *members], capture_output=True, text=True)
    assert done.returncode == 0, f"Moodle refuses the file: {done.stderr}"
    return json.loads(done.stdout)


def test_moodle_reads_back_the_worksheet_and_the_feedback_zip(moodle):
    out = moodle["out-files"]
    with zipfile.ZipFile(out / "feedback-moodle.zip") as archive:
        members = {name: archive.read(name).decode() for name in archive.namelist()}
    read = read_as_moodle(out / "grading-worksheet-moodle.csv", list(members))
    for name, *_ in CLASS:
        got = read["worksheet"][PARTICIPANT[name]]
        assert got["feedback"].startswith(f"<h3>Feedback for {html.escape(name)}</h3>")
        if name == BROKEN:  # no grade sent, the grade Moodle has is kept; the feedback says why
            assert got["grade"] == "" and "could not be graded fully (error)" in got["feedback"]
            continue
        assert got["grade"] == "100"  # 32 of 32 on the worksheet's scale
        assert "Every check passes: well done!" in got["feedback"]
    files = {number_: (plugin, file_name) for number_, plugin, file_name in read["files"].values()}
    assert sorted(files) == sorted(int(PARTICIPANT[name]) for name, *_ in CLASS)
    assert set(files.values()) == {("assignfeedback_file", "feedback.txt")}
    assert all(text.startswith("Feedback for ") for text in members.values())


def canvas_reupload(name):
    """(user ID, attachment ID) as Canvas's re-upload reads a file name: the first two all-digit parts."""
    return tuple([part for part in Path(name).name.split("_") if part.isdigit()][:2])


def test_canvas_reads_back_the_feedback_zip_and_the_grades(canvas):
    with zipfile.ZipFile(canvas["out"] / "feedback-canvas.zip") as archive:
        names = archive.namelist()
        pages = [archive.read(name).decode() for name in names]
    graded = {canvas_reupload(name) for name in names}
    assert graded == {(CANVAS_ID[name], str(880001 + 10 * i + (name == SEVERAL))) for i, (name, *_) in enumerate(CLASS)}
    assert any("_LATE_" in name for name in names)
    assert sorted(page.splitlines()[0] for page in pages) == sorted(f"Feedback for {s}" for _, s, *_ in CLASS)
    rows = read_csv(canvas["out"] / "grades-canvas.csv")
    assert {row["ID"]: row["Flask workshop, part 1"] for row in rows[1:]} == {
        CANVAS_ID[name]: number(MAX) for name, *_ in CLASS if name != BROKEN}


def test_a_late_canvas_submission_is_flagged(canvas):
    rows = {row["learner"]: row for row in read_csv(canvas["out"] / "grades.csv")}
    late = next(sortable for name, sortable, *_ in CLASS if name == LATE)
    assert "handed in late" in rows[late]["flags"]
    assert all("handed in late" not in row["flags"] for learner, row in rows.items() if learner != late)


@pytest.mark.parametrize(("make", "kind"), [
    (lambda path: moodle_gradebook(path, ","), roster.MOODLE_GRADEBOOK),
    (lambda path: moodle_gradebook(path, "\t"), roster.MOODLE_GRADEBOOK),
    (moodle_participants, roster.MOODLE_PARTICIPANTS),
    (moodle_participants_one_name_column, roster.MOODLE_PARTICIPANTS),
    (moodle_worksheet, roster.MOODLE_WORKSHEET),
    (canvas_gradebook, roster.CANVAS_GRADEBOOK),
])
def test_each_platform_export_is_read_as_a_roster(tmp_path, make, kind):
    read = roster.read(make(tmp_path / "export.csv"))
    assert read.kind is kind
    assert [p.email for p in read.people] == [email for _, _, email, _ in CLASS]
    names = [p.name for p in read.people]
    assert names == [sortable if kind is roster.CANVAS_GRADEBOOK else name for name, sortable, *_ in CLASS]
    if kind is roster.MOODLE_WORKSHEET:
        assert [p.platform_id for p in read.people] == [PARTICIPANT[name] for name, *_ in CLASS]
    if kind is roster.CANVAS_GRADEBOOK:
        assert [(p.platform_id, p.id) for p in read.people] == [(CANVAS_ID[n], i) for n, _, _, i in CLASS]


def test_small_slips_are_graded_and_flagged_a_broken_app_is_still_an_error(canvas):
    rows = {row["learner"]: row for row in read_csv(canvas["out"] / "grades.csv")}
    for name, sortable, *_ in CLASS:
        row = rows[sortable]
        if name in SLIPS:
            assert SLIP_FLAGS[SLIPS[name]] in row["flags"]
        else:
            assert "zipped without" not in row["flags"] and "app folder is named" not in row["flags"]
        assert row["points"] == expected_points(name)
    broken = rows[next(sortable for name, sortable, *_ in CLASS if name == BROKEN)]
    assert broken["status"] == "error"
    assert "NameError" in broken["message"] and "__init__.py, line 2" in broken["message"]


def test_readme_figures_agree_with_the_grader():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert f"| `--timeout S` | {WORST_CASE:g} (`--help` shows it) |" in readme
    assert re.search(rf"`--timeout` of `grade --help`, {WORST_CASE:g} s by\s+default", readme)
    assert re.findall(r"`Points (\d+)/(\d+)`", readme) == [("30", str(MAX))]


def test_learners_who_share_a_name_get_their_number_after_it(tmp_path):
    for number_ in ("1001", "1002"):  # blind marking: Moodle names everyone "Participant"
        (tmp_path / f"Participant_{number_}_assignsubmission_file_app.zip").write_bytes(app_zip(app(0)))
    (tmp_path / "ada.zip").write_bytes(app_zip(app(0)))
    found = discover(tmp_path)
    assert [(s.learner, s.path.name) for s in found] == [
        ("Participant (1001)", "Participant_1001_assignsubmission_file_app.zip"),
        ("Participant (1002)", "Participant_1002_assignsubmission_file_app.zip"),
        ("ada", "ada.zip"),
    ]


def test_a_journal_record_with_an_unsound_upload_is_refused():
    sound = {"learner": "a", "message": "", "key": "k", "config": "c", "results": [], "status": "ok", "seconds": 1}
    upload = {"platform": "canvas", "id": "1", "name": "a", "attachment": "2", "late": False}
    assert problem({**sound, "upload": upload}) is None
    assert "upload" in problem({**sound, "upload": {**upload, "id": 1}})
    assert "upload" in problem({**sound, "upload": "canvas"})


@pytest.mark.parametrize(("members", "flag", "invalid"), [
    (["work/a/b/part1_basic_app/__init__.py"], "the app folder was found at `work/a/b/part1_basic_app`", None),
    (["__init__.py", "pages.py"], "the app's files were zipped without their folder", None),
    (["one/__init__.py", "two/__init__.py"], None, "several packages define create_app (one, two)"),
    (["venv/lib/site-packages/other/__init__.py"], None, "no part1_basic_app/ folder of yours"),
    (["solutions/__init__.py"], None, "no part1_basic_app/ folder of yours"),
])
def test_the_one_package_that_defines_create_app_is_graded_wherever_it_stands(tmp_path, members, flag, invalid):
    with zipfile.ZipFile(tmp_path / "work.zip", "w") as archive:
        for member in members:
            archive.writestr(member, "import os\n\ndef create_app(test_config=None):\n    pass\n"
                             if member.endswith("__init__.py") else "x = 1\n")
    try:
        prepared = prepare(Submission("a", tmp_path / "work.zip"), tmp_path / "copy")
    except Invalid as exc:
        assert invalid and invalid in str(exc)
        return
    assert not invalid and prepared.flags == [flag]
    assert (tmp_path / "copy" / APP_NAME / "__init__.py").is_file()


def test_a_create_app_that_ast_cannot_read_is_still_found_and_never_run():
    assert defines_create_app(b"def create_app(test_config=None):\n    return 1\n")
    assert defines_create_app(b"import os\ndef create_app(:\n")  # a syntax error: the app will be an error
    assert not defines_create_app(b"from .factory import make_app as create_app\n")
    assert not defines_create_app(b"def other():\n    def create_app():\n        pass\n")


def test_a_download_keeps_its_files_times_and_survives_a_date_no_calendar_has(tmp_path):
    with zipfile.ZipFile(tmp_path / "download.zip", "w") as archive:
        add(archive, "Ada Lovelace_1001_assignsubmission_file_old.zip", b"", OLDER)
        add(archive, "Ada Lovelace_1001_assignsubmission_file_odd.zip", b"", (1980, 0, 0, 0, 0, 0))
    folder = unpack_download(tmp_path / "download.zip", tmp_path / "unpacked")
    old = folder / "Ada Lovelace_1001_assignsubmission_file_old.zip"
    assert old.stat().st_mtime == datetime(*OLDER).timestamp()
    assert (folder / "Ada Lovelace_1001_assignsubmission_file_odd.zip").is_file()


def test_without_the_platforms_numbers_learners_are_matched_by_name_as_the_platform_wrote_it(tmp_path):
    people = [roster.Person("Zoë O'Brien", "s03", "zoe@example.org"), roster.Person("Mary Ann Evans", "s09", "")]
    for name in ("OBrien Zoë_1003_assignsubmission_file_app.zip", "evansmaryann_LATE_52009_880091_app.zip"):
        (tmp_path / name).write_bytes(app_zip(app(0)))
    assert sorted(s.learner for s in discover(tmp_path, people=people)) == ["Mary Ann Evans", "Zoë O'Brien"]


def test_slips_handed_in_as_folders_are_graded_and_flagged_a_broken_app_is_still_an_error(tmp_path):
    write_tree(own_app("renamed"), tmp_path / "in" / "renamed" / "flask_app")
    write_tree(own_app("loose"), tmp_path / "in" / "loose")
    write_tree(own_app(BROKEN, broken=True), tmp_path / "in" / "broken" / "my_app")
    grade(tmp_path / "in", tmp_path / "out")
    rows = {row["learner"]: row for row in read_csv(tmp_path / "out" / "grades.csv")}
    assert SLIP_FLAGS["flask_app"] in rows["renamed"]["flags"]
    assert "the app's files were handed in without their folder" in rows["loose"]["flags"]
    assert rows["renamed"]["points"] == rows["loose"]["points"] == number(MAX)
    assert "the app folder is named `my_app`" in rows["broken"]["flags"]
    assert rows["broken"]["status"] == "error"
    assert "NameError" in rows["broken"]["message"] and "__init__.py, line 2" in rows["broken"]["message"]


@pytest.mark.parametrize(("members", "flag", "invalid"), [
    (["work/a/b/part1_basic_app/__init__.py"], "the app folder was found at `work/a/b/part1_basic_app`", None),
    (["flask_app/__init__.py", "flask_app/pages.py"], "the app folder is named `flask_app`", None),
    (["__init__.py", "pages.py"], "the app's files were handed in without their folder", None),
    (["one/__init__.py", "two/__init__.py"], None,
     "The folder has no part1_basic_app/ folder, and several packages define create_app (one, two)"),
    (["venv/lib/site-packages/other/__init__.py"], None, "no part1_basic_app/ folder of yours"),
    (["solutions/__init__.py"], None, "no part1_basic_app/ folder of yours"),
    (["flask_app -> elsewhere"], None, "no part1_basic_app/ folder of yours"),
    (["flask_app/__init__.py -> elsewhere/__init__.py", "flask_app/pages.py"], None,
     "no part1_basic_app/ folder of yours"),
])
def test_a_folder_is_searched_for_the_app_as_a_zip_is_never_through_a_link(tmp_path, members, flag, invalid):
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere" / "__init__.py").write_text(CREATE_APP)
    for member in members:
        member, _, target = member.partition(" -> ")
        path = tmp_path / "work" / member
        path.parent.mkdir(parents=True, exist_ok=True)
        if target:
            path.symlink_to(tmp_path / target)
        else:
            path.write_text(CREATE_APP if member.endswith("__init__.py") else "x = 1\n")
    try:
        prepared = prepare(Submission("a", tmp_path / "work"), tmp_path / "copy")
    except Invalid as exc:
        assert invalid and invalid in str(exc)
        return
    assert not invalid and prepared.flags == [flag]
    copied = sorted(p.relative_to(tmp_path / "copy").as_posix() for p in (tmp_path / "copy").rglob("*.py"))
    assert copied == sorted(f"{APP_NAME}/{Path(m).name}" for m in members)


def test_a_loose_app_is_copied_without_the_venv_and_git_folders_beside_it(tmp_path):
    """A learner hands in their project folder: the app's files at its top, beside venv/ and .git/."""
    for member in ("__init__.py", "pages.py", "venv/lib/python3.11/site-packages/flask/app.py", ".git/HEAD",
                   "node_modules/x/index.js"):
        path = tmp_path / "work" / member
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(CREATE_APP if member == "__init__.py" else "x = 1\n")
    prepared = prepare(Submission("a", tmp_path / "work"), tmp_path / "copy")
    assert prepared.flags == ["the app's files were handed in without their folder"]
    copied = sorted(p.relative_to(tmp_path / "copy").as_posix() for p in (tmp_path / "copy").rglob("*") if p.is_file())
    assert copied == [f"{APP_NAME}/__init__.py", f"{APP_NAME}/pages.py"]


def test_a_renamed_app_folders_fingerprint_follows_its_files(tmp_path):
    write_tree(own_app("renamed"), tmp_path / "renamed" / "flask_app")
    before = fingerprint(Submission("renamed", tmp_path / "renamed"))
    (tmp_path / "renamed" / "flask_app" / "pages.py").write_text("# rewritten\n")
    assert fingerprint(Submission("renamed", tmp_path / "renamed")) != before


def test_a_folder_too_large_to_search_for_the_app_is_invalid(tmp_path, monkeypatch):
    monkeypatch.setattr("workshop.grading.submissions.MAX_ZIP_ENTRIES", 3)
    for name in ("a.txt", "b.txt", "c.txt", "d.txt"):
        (tmp_path / "work" / name).parent.mkdir(exist_ok=True)
        (tmp_path / "work" / name).write_text("x\n")
    with pytest.raises(Invalid, match="too many files to look for the app in"):
        prepare(Submission("a", tmp_path / "work"), tmp_path / "copy")
