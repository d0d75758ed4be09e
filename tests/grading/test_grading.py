"""The grader: safe, parallel and resumable, with a gradebook, feedback and a class report.

Most cases are graded in ONE run of the grader (module fixture ``graded_class``): a correct
submission beside broken and hostile ones, each of which must cost only its own row.
"""

import hashlib
import json
import os
import signal
import subprocess
import sys
import time
import zipfile
from collections import Counter
from pathlib import Path

import nbformat
import pytest
from helpers.grading_submissions import app
from helpers.grading_submissions import at_import
from helpers.grading_submissions import changed
from helpers.grading_submissions import corrupt_lzma_zip
from helpers.grading_submissions import FINISHED
from helpers.grading_submissions import forker
from helpers.grading_submissions import grader
from helpers.grading_submissions import in_view
from helpers.grading_submissions import instructor_env
from helpers.grading_submissions import prepended
from helpers.grading_submissions import process_is_gone
from helpers.grading_submissions import processes_mentioning
from helpers.grading_submissions import read_csv
from helpers.grading_submissions import write_app
from helpers.grading_submissions import writer
from helpers.grading_submissions import zip_bomb
from helpers.grading_submissions import zip_folder
from helpers.grading_submissions import zip_tree
from helpers.grading_submissions import zip_with_venv
from markupsafe import escape
from nbformat.v4 import new_code_cell
from nbformat.v4 import new_notebook

from workshop import APP_NAME
from workshop import ROOT
from workshop import STEPS
from workshop.cli import grade as grade_command
from workshop.grading import integrity
from workshop.grading import records
from workshop.grading import safezip
from workshop.grading import store
from workshop.grading import submissions
from workshop.grading.outputs import atomic
from workshop.grading.outputs import gradebook
from workshop.grading.outputs import markup
from workshop.grading.outputs import roster
from workshop.judge import CHECKS
from workshop.release import write_tree

LINUX = sys.platform.startswith("linux")
TIMEOUT = 20
ALL_POINTS = len(CHECKS)
PER_STEP = Counter(c.step for c in CHECKS)
XSS_NAME = "<img src=x onerror=alert(1)>"
NON_UTF8_NAME = os.fsdecode(b"l\xe9a notes") if LINUX else "léa notes"
LONG_NAME = "Maria " + "x" * 247  # 253 characters: with ".md" more than a file name may hold
RAW_BOB, TYPED_BOB = os.fsdecode(b"bob\xff"), "bob\\xff"  # both show as bob\xff
RAW_BOB_ID = TYPED_BOB + " ~" + hashlib.sha256(os.fsencode(RAW_BOB)).hexdigest()[:8]
EDITED = "steps-1-3"  # its journal record is edited by hand between the two runs

# learner: (status, words in the message, points or None to skip)
EXPECTED = {
    "correct": ("ok", "", ALL_POINTS),
    "steps-1-3": ("ok", "", sum(PER_STEP[s] for s in (1, 2, 3))),
    "empty": ("invalid", "empty", 0),
    "no-app": ("invalid", f"no {APP_NAME}/ folder", 0),
    "syntax-error": ("error", "SyntaxError", 0),
    "syntax-error-in-a-view-module": ("error", "part1_basic_app/pages.py, line", 0),
    "loop-at-import": ("timeout", "did not finish within 10 s", 0),
    "loop-in-view": ("timeout", "did not finish within 5 s", None),
    "memory-bomb": ("memory", "out of memory", 0),
    "os-exit": ("error", "os._exit()", 0),
    "sys-exit": ("error", "SystemExit: 3", 0),
    "output-flood": ("ok", "", ALL_POINTS),
    "forker": ("ok", "", ALL_POINTS),
    "prints-at-exit": ("ok", "", ALL_POINTS),
    "writer": ("ok", "", None),
    "clone-with-forged-checks": ("ok", "", 0),
    "zip-slip": ("invalid", "climbs out", 0),
    "zip-bomb": ("invalid", "zip bomb", 0),
    "not-a-zip": ("invalid", "could not be read", 0),
    "Ada Lovelace": ("ok", "", ALL_POINTS),
    NON_UTF8_NAME.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace"): ("ok", "", ALL_POINTS),
    XSS_NAME: ("invalid", "empty", 0),
    "surrogate-in-message": ("error", "ValueError: bad \\udc80 char", 0),
    "named-pipe": ("ok", "", ALL_POINTS),
    LONG_NAME: ("ok", "", sum(PER_STEP[s] for s in (1, 2))),
    TYPED_BOB: ("ok", "", PER_STEP[1]),
    RAW_BOB_ID: ("ok", "", sum(PER_STEP[s] for s in (1, 2))),
    "whole-folder-with-venv": ("ok", "", sum(PER_STEP[s] for s in (1, 2, 3, 4, 5))),
    "corrupt-lzma": ("invalid", "could not be read (LZMAError", 0),
    "endless-own-tests": ("timeout", f"within {TIMEOUT} s", None),
    "clone-without-its-app": ("invalid", f"no {APP_NAME}/ folder of yours", 0),
    "zip-made-inside-a-clone": ("invalid", f"no {APP_NAME}/ folder of yours", 0),
    "caught-up": ("ok", "", ALL_POINTS),
    "twin-a": ("ok", "", sum(PER_STEP[s] for s in (1, 2, 3, 4))),
    "twin-b": ("ok", "", sum(PER_STEP[s] for s in (1, 2, 3, 4))),
}
# learner: the flags the grader prints for them; the others in EXPECTED have none
CHECKPOINT_6 = ["Ada Lovelace", "caught-up", "correct", "named-pipe"]
FLAGS = {
    **{learner: ["identical to the catch-up checkpoint of step 6",
                 f"identical to the submission of {', '.join(other for other in CHECKPOINT_6 if other != learner)}"]
       for learner in CHECKPOINT_6},
    "caught-up": ["identical to the catch-up checkpoint of step 6",
                  "identical to the submission of Ada Lovelace, correct, named-pipe",
                  f"catch-up was used ({APP_NAME}.backup-20261126-101500 beside the app)"],
    "clone-with-forged-checks": ["identical to the catch-up checkpoint of step 0"],
    "steps-1-3": ["identical to the catch-up checkpoint of step 3"],
    TYPED_BOB: ["identical to the catch-up checkpoint of step 1"],
    RAW_BOB_ID: ["identical to the catch-up checkpoint of step 2", f"identical to the submission of {LONG_NAME}"],
    LONG_NAME: ["identical to the catch-up checkpoint of step 2", f"identical to the submission of {RAW_BOB_ID}"],
    "whole-folder-with-venv": ["identical to the catch-up checkpoint of step 5"],
    "twin-a": ["identical to the submission of twin-b"],
    "twin-b": ["identical to the submission of twin-a"],
}


def checks_fingerprint():
    files = sorted(p for room in ("judge", "jail", "app_process") for p in (ROOT / "workshop" / room).glob("*"))
    return hashlib.sha256(b"".join(p.read_bytes() for p in files if p.is_file())).hexdigest()


def make_submissions(folder, spy):
    """One of each case of EXPECTED in ``folder``."""
    finished = app(FINISHED)
    write_app(folder / "correct", finished)
    write_app(folder / "steps-1-3", app(3))
    (folder / "empty").mkdir()
    (folder / XSS_NAME).mkdir()
    (folder / "no-app" / "src").mkdir(parents=True)
    (folder / "no-app" / "README.txt").write_text("my homework")
    write_app(folder / "syntax-error", at_import("def broken(:\n    pass"))
    write_app(folder / "syntax-error-in-a-view-module", changed(finished, "pages.py", "def index():", "def index(:"))
    write_app(folder / "loop-at-import", at_import("while True:\n    pass"))
    write_app(folder / "loop-in-view", in_view("while True:\n    pass"))
    write_app(folder / "memory-bomb", at_import("hog = []\nwhile True:\n    hog.append(b' ' * 10 ** 7)"))
    write_app(folder / "os-exit", at_import("import os\nos._exit(0)"))
    write_app(folder / "sys-exit", at_import("import sys\nsys.exit(3)"))
    write_app(folder / "output-flood",
              at_import("import os\nfor _ in range(100):\n    os.write(1, b'x' * 1024 * 1024)"))
    write_app(folder / "forker", forker(spy))
    write_app(folder / "prints-at-exit", at_import("import atexit\natexit.register(print, 'goodbye')"))
    write_app(folder / "writer", writer(spy))
    write_app(folder / NON_UTF8_NAME, {**finished, "static/my notes (1).txt": "spaces in a name"})
    clone = write_app(spy / "clone", finished, root="workshop-main")
    write_app(clone, app(0), root="workshop-main/solutions")
    zip_folder(clone, folder / "Ada Lovelace.zip")
    forged = write_app(spy / "forged", app(0))
    names = [c.name for c in CHECKS]
    forged_main = f"import json\nprint(json.dumps([{{'name': c, 'passed': True}} for c in {names!r}]))\n"
    (forged / "workshop" / "checks").mkdir(parents=True)
    (forged / "workshop" / "__init__.py").write_text("ROOT = None\n")
    (forged / "workshop" / "checks" / "__init__.py").write_text("")
    (forged / "workshop" / "checks" / "__main__.py").write_text(forged_main)
    zip_folder(forged, folder / "clone-with-forged-checks.zip")
    zip_folder(write_app(spy / "slip", finished), folder / "zip-slip.zip",
               extra=[("../" * 12 + str(spy / "escaped.txt").lstrip("/"), b"out!")])
    zip_bomb(folder / "zip-bomb.zip", megabytes=150)
    (folder / "not-a-zip.zip").write_bytes(b"PK\x03\x04 this is not really a zip")
    write_app(folder / "surrogate-in-message", at_import('raise ValueError("bad \\udc80 char")'))
    os.mkfifo(write_app(folder / "named-pipe", finished) / APP_NAME / "pipe")
    write_app(folder / LONG_NAME, app(2))
    write_app(folder / TYPED_BOB, app(1))
    write_app(folder / RAW_BOB, app(2))
    zip_with_venv(folder / "whole-folder-with-venv.zip", app(5), megabytes=60)
    corrupt_lzma_zip(folder / "corrupt-lzma.zip", finished)
    write_app(folder / "endless-own-tests", prepended(finished, "tests/conftest.py", "import time\ntime.sleep(3600)"))
    write_app(folder / "clone-without-its-app", finished, root="solutions")
    zip_tree(folder / "zip-made-inside-a-clone.zip",
             {"README.md": "# workshop", **{f"solutions/{APP_NAME}/{k}": v for k, v in finished.items()}})
    crlf = {path: text.replace("\n", "  \r\n") if isinstance(text, str) else text for path, text in finished.items()}
    write_app(folder / "caught-up", crlf)
    write_tree(app(2), folder / "caught-up" / f"{APP_NAME}.backup-20261126-101500")
    own = changed(app(4), "__init__.py", "\n", "\n# my own work\n")
    write_app(folder / "twin-a", own)
    write_app(folder / "twin-b", own)


def edit_record(journal, learner, **changes):
    """Change ``learner``'s record in the journal as an instructor with an editor would; its line number."""
    lines = journal.read_text(encoding="utf-8").splitlines(keepends=True)
    number = next(n for n, line in enumerate(lines) if json.loads(line)["learner"] == learner)
    lines[number] = json.dumps({**json.loads(lines[number]), **changes}, ensure_ascii=False) + "\n"
    journal.write_text("".join(lines), encoding="utf-8")
    return number + 1


@pytest.fixture(scope="module")
def graded_class(tmp_path_factory):
    """Grade every case of EXPECTED in one run of the grader (-j 2), its outputs written among the
    submissions; then, with one record of the journal edited by hand, once more with --resume."""
    if not LINUX:
        pytest.skip("the hostile cases need Linux: fork, /proc, resource limits")
    tmp = tmp_path_factory.mktemp("grading")
    folder, spy = tmp / "submissions", tmp / "spy"
    folder.mkdir()
    spy.mkdir()
    make_submissions(folder, spy)
    env = instructor_env(tmp)
    before = checks_fingerprint()
    first = grader(folder, "--out", folder, "-j", 2, "--timeout", TIMEOUT, "--isolation", "none", env=env)
    stdout, stderr = first.communicate(timeout=600)
    first_rows = read_csv(folder / "grades.csv")
    edited_line = edit_record(folder / "results.jsonl", EDITED, status="reviewed")
    second = grader(folder, "--out", folder, "-j", 2, "--timeout", TIMEOUT, "--isolation", "none", "--resume", env=env)
    resumed_stdout, resumed_stderr = second.communicate(timeout=600)
    return {
        "returncode": first.returncode, "stdout": stdout, "stderr": stderr, "first_rows": first_rows,
        "resumed": {"returncode": second.returncode, "stdout": resumed_stdout, "stderr": resumed_stderr},
        "edited_line": edited_line, "out": folder, "spy": spy, "tmp": tmp,
        "checks_before": before, "checks_after": checks_fingerprint(),
        "rows": {row["learner"]: row for row in read_csv(folder / "grades.csv")},
        "records": [json.loads(line) for line in (folder / "results.jsonl").read_text(encoding="utf-8").splitlines()],
    }


def test_every_submission_gets_a_row_and_the_grader_succeeds(graded_class):
    assert graded_class["returncode"] == 0, graded_class["stderr"][-2000:]
    assert graded_class["resumed"]["returncode"] == 0, graded_class["resumed"]["stderr"][-2000:]
    assert sorted(row["learner"] for row in graded_class["first_rows"]) == sorted(EXPECTED)
    assert sorted(graded_class["rows"]) == sorted(EXPECTED), "the grader's own outputs are never taken for submissions"
    rows = graded_class["rows"]
    assert list(rows) == sorted(rows, key=roster.sort_key), "grades.csv is sorted by learner"
    assert list(next(iter(graded_class["rows"].values()))) == gradebook.columns()


@pytest.mark.parametrize("learner", sorted(EXPECTED))
def test_status_message_and_points(graded_class, learner):
    status, words, points = EXPECTED[learner]
    row = graded_class["rows"][learner]
    assert (row["status"], row["max_points"]) == (status, str(ALL_POINTS)), row
    assert words.lower() in row["message"].lower(), row
    if points is not None:
        assert row["points"] == ("" if status != "ok" and not points else str(points)), row


def test_points_per_step(graded_class):
    steps_1_3 = graded_class["rows"]["steps-1-3"]
    assert [int(steps_1_3[f"step{n}"]) for n in STEPS] == [PER_STEP[n] if n <= 3 else 0 for n in STEPS]
    assert [int(graded_class["rows"]["correct"][f"step{n}"]) for n in STEPS] == [PER_STEP[n] for n in STEPS]


def test_a_syntax_error_in_a_module_that_create_app_imports_is_an_error_with_its_line(graded_class):
    feedback = graded_class["out"] / "feedback"
    assert "SyntaxError" in (feedback / "syntax-error-in-a-view-module.md").read_text(encoding="utf-8")


def test_a_loop_in_a_view_keeps_the_points_of_the_checks_that_finished(graded_class):
    row = graded_class["rows"]["loop-in-view"]
    assert int(row["step2"]) == PER_STEP[2], row
    feedback_text = (graded_class["out"] / "feedback" / "loop-in-view.md").read_text(encoding="utf-8")
    assert "part1\\_basic\\_app/pages.py, line" in feedback_text


def test_lingering_children_are_killed(graded_class):
    pids = [int(line) for line in (graded_class["spy"] / "pids").read_text().split()]
    assert len(pids) == 2, "both sleepers started"
    assert all(process_is_gone(pid) for pid in pids), pids


def test_writes_land_in_the_sandbox_not_in_the_instructors_home_or_checks(graded_class):
    seen = json.loads((graded_class["spy"] / "writer.json").read_text())
    home = Path(seen["home"])
    assert not list((graded_class["tmp"] / "home").iterdir()), "nothing lands in the instructor's HOME"
    assert home != graded_class["tmp"] / "home" and not home.exists(), "the sandbox HOME is gone afterwards"
    assert not Path(seen["checks"]).is_relative_to(ROOT), "the submission saw a private copy of the checks"
    assert graded_class["checks_after"] == graded_class["checks_before"], "the repository's checks are unchanged"
    row = graded_class["rows"]["writer"]
    assert [int(row[f"step{n}"]) for n in (1, 2, 3, 4, 6)] == [PER_STEP[n] for n in (1, 2, 3, 4, 6)], (
        "the checks already loaded are not changed by the files written (step 5 starts a fresh Python"
        " that sees the submission's own tampering: that costs only its own points)"
    )
    assert "INSTRUCTOR_SECRET" not in seen["environ"] and Path(seen["environ"]["TMPDIR"]).is_relative_to(home)


def test_nothing_escapes_the_zip_or_stays_in_tmp(graded_class):
    assert not (graded_class["spy"] / "escaped.txt").exists()
    assert not list((graded_class["tmp"] / "tmp").glob("workshop-grade-*")), "sandbox folders are removed"


def assert_nothing_left(tmp):
    """No process that the grader started with the instructor's environment of ``tmp`` lives on, and
    nothing is left in its TMPDIR."""
    assert processes_mentioning(str(tmp)) == [], "every process started for a submission has ended, nested ones too"
    assert not list((tmp / "tmp").iterdir()), "every temporary folder is removed"


def test_no_process_or_temporary_folder_of_the_grader_is_left(graded_class):
    assert_nothing_left(graded_class["tmp"])


def test_a_record_edited_by_hand_is_refused_and_regraded(graded_class):
    stderr = graded_class["resumed"]["stderr"]
    assert f"results.jsonl line {graded_class['edited_line']}: record refused" in stderr and "'reviewed'" in stderr
    assert f"Reusing {len(EXPECTED) - 1} finished result(s); grading 1." in stderr
    assert [r["status"] for r in graded_class["records"] if r["learner"] == EDITED][-1] == "ok"


def test_only_regular_files_are_taken_the_rest_is_listed(graded_class):
    record = next(r for r in graded_class["records"] if r["learner"] == "named-pipe")
    assert record["skipped"] == [f"{APP_NAME}/pipe"]


def test_feedback_file_names_are_safe_short_and_unique(graded_class):
    pages = {page.name: page.read_text(encoding="utf-8") for page in (graded_class["out"] / "feedback").glob("*.md")}
    assert len(pages) == len(EXPECTED), sorted(pages)
    assert all(len(os.fsencode(name)) <= 120 for name in pages)
    feedback = graded_class["out"] / "feedback"
    assert sorted(page.stem for page in feedback.glob("*.txt")) == sorted(name[:-3] for name in pages)
    long_page = next(text for name, text in pages.items() if name.startswith("Maria xxx"))
    assert markup.text(LONG_NAME) in long_page, "the page names the learner in full"
    assert graded_class["rows"][LONG_NAME]["learner"] == LONG_NAME, "so does the gradebook"


def test_learner_ids_are_distinct_and_stable(graded_class):
    ids = [s.learner for s in submissions.discover(graded_class["out"], exclude=atomic.paths(graded_class["out"]))]
    out = graded_class["out"]
    assert ids == [s.learner for s in submissions.discover(out, exclude=atomic.paths(out))]
    assert {TYPED_BOB, RAW_BOB_ID} <= set(ids) and len(ids) == len(set(ids)) == len(EXPECTED)
    first = {row["learner"]: row["points"] for row in graded_class["first_rows"]}
    assert [first[learner] for learner in (TYPED_BOB, RAW_BOB_ID)] == [graded_class["rows"][learner]["points"]
                                                                       for learner in (TYPED_BOB, RAW_BOB_ID)]


def test_flags_say_what_deserves_a_look(graded_class):
    for stdout in (graded_class["stdout"], graded_class["resumed"]["stdout"]):
        listed = stdout.split("Flagged for a look", 1)[1].splitlines()[1:]
        flags = dict(line.strip().split(": ", 1) for line in listed if line.startswith("  "))
        spies = {learner: flags.pop(learner, "")
                 for learner in ("forker", "writer")}  # they write to the test's spy folder
        # the flags of alike code start with a number (test_similarity_grading.py checks them)
        exact = {learner: [f for f in text.split("; ") if not f.split()[0].rstrip("%").isdigit()]
                 for learner, text in flags.items()}
        assert {learner: kept for learner, kept in exact.items() if kept} == FLAGS
        assert all(text.startswith("the app tried to write outside its own folder: ") for text in spies.values()), spies


def test_an_app_that_prints_100_MB_is_graded_on_what_it_does(graded_class):
    assert graded_class["rows"]["output-flood"]["points"] == str(ALL_POINTS)
    assert (graded_class["out"] / "results.jsonl").stat().st_size < 2 * 1024 * 1024


def test_feedback_says_what_is_wrong_where_and_what_next(graded_class):
    text = (graded_class["out"] / "feedback" / "steps-1-3.md").read_text(encoding="utf-8")
    assert f"**{sum(PER_STEP[s] for s in (1, 2, 3))} of {ALL_POINTS} checks pass.**" in text
    assert "What is wrong: POST /login" in text and "part1\\_basic\\_app/auth.py" in text, "the message says where"
    assert "Where to look: `part1_basic_app/auth.py" not in text, "and the path is not repeated"
    assert "python3 -m workshop check 4" in text and "04_sessions.ipynb" in text
    feedback = graded_class["out"] / "feedback"
    assert "did not finish within" in (feedback / "loop-at-import.md").read_text(encoding="utf-8")
    assert "Every check passes" in (graded_class["out"] / "feedback" / "correct.md").read_text(encoding="utf-8")


def test_feedback_never_shows_the_checks_source(graded_class):
    sources = [line.strip() for p in (ROOT / "workshop" / "judge").glob("step*.py")
               for line in p.read_text().splitlines()]
    code = {line for line in sources if line.startswith(("assert ", "response = ", "expect.", "def "))}
    for page in (graded_class["out"] / "feedback").glob("*.md"):
        text = page.read_text(encoding="utf-8")
        assert not [line for line in code if line in text], page.name


def test_report_is_self_contained_with_charts_and_escaped_names(graded_class):
    html = (graded_class["out"] / "report.html").read_text(encoding="utf-8")
    assert "<script" not in html and "http://" not in html and "https://" not in html
    assert XSS_NAME not in html and "&lt;img src=x onerror=alert(1)&gt;" in html
    assert html.count('class="column"') == ALL_POINTS + 1, "a histogram bar for every score"
    for check in CHECKS:
        assert str(escape(check.title)) in html
    assert "did not finish within" in html, "errored submissions are listed with the reason"


def test_progress_shows_done_total_failed_and_time_left(graded_class):
    lines = graded_class["stderr"].splitlines()
    assert f"graded {len(EXPECTED)}/{len(EXPECTED)}" in graded_class["stderr"]
    assert any("not ok" in line and "s left" in line for line in lines)


@pytest.mark.skipif(os.name != "posix", reason="SIGKILL is POSIX")
def test_killed_grader_resumes_without_losing_or_redoing(tmp_path):
    folder, out = tmp_path / "submissions", tmp_path / "out"
    for number, step in enumerate((1, 2, 3, 4, 6)):
        write_app(folder / f"learner{number}", app(step))
    env = instructor_env(tmp_path)
    first = grader(folder, "--out", out, "-j", 1, env=env)
    journal = out / "results.jsonl"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and (not journal.exists() or journal.read_text().count("\n") < 2):
        time.sleep(0.05)
    first.send_signal(signal.SIGKILL)
    first.communicate()
    assert list((tmp_path / "tmp").glob("workshop-grade-*")), "killed while grading a submission"
    kept = [line for line in journal.read_text(encoding="utf-8").splitlines(keepends=True) if line.endswith("\n")]
    finished = [json.loads(line)["learner"] for line in kept]
    assert 2 <= len(finished) < 5, "killed mid-run"
    changed_learner = finished[0]
    write_app(folder / changed_learner, app(0))

    second = grader(folder, "--out", out, "--resume", "-j", 2, env=env)
    stdout, stderr = second.communicate(timeout=300)
    assert second.returncode == 0, stderr
    lines = journal.read_text(encoding="utf-8").splitlines(keepends=True)
    assert lines[:len(kept)] == kept, "nothing finished is lost"
    regraded = [json.loads(line)["learner"]
                for line in lines[len(kept):] if line.startswith("{") and line.endswith("}\n")]
    assert sorted(regraded) == sorted({f"learner{n}"
                                       for n in range(5)} - set(finished[1:])), "nothing finished is redone"
    rows = {row["learner"]: row for row in read_csv(out / "grades.csv")}
    assert len(rows) == 5 and rows[changed_learner]["points"] == "0", "the changed submission was regraded"
    assert f"Reusing {len(finished) - 1} finished result(s)" in stderr
    assert_nothing_left(tmp_path)  # what the killed grader left is cleared by the next run


def test_notebooks_are_executed_in_the_sandbox(tmp_path):
    folder, out = tmp_path / "submissions", tmp_path / "out"
    notebooks = write_app(folder / "nina", app(FINISHED)) / "notebooks"
    notebooks.mkdir()
    setup = (
        "import sys, pathlib\nsys.path.append(str(pathlib.Path.cwd().parent))\nfrom workshop.notebook import fresh_app"
    )
    clean = new_notebook(cells=[new_code_cell(setup),
                                new_code_cell("print(fresh_app().test_client().get('/hello/Ada').status_code)")])
    nbformat.write(clean, notebooks / "01_clean.ipynb")
    nbformat.write(new_notebook(cells=[new_code_cell("1 / 0")]), notebooks / "02_broken.ipynb")
    write_app(folder / "no-notebooks", app(1))
    process = grader(folder, "--out", out, "--notebooks", "--timeout", 60, env=instructor_env(tmp_path))
    _, stderr = process.communicate(timeout=300)
    assert process.returncode == 0, stderr
    rows = {row["learner"]: row for row in read_csv(out / "grades.csv")}
    assert (rows["nina"]["notebooks_clean"], rows["nina"]["notebooks"]) == ("1", "2")
    assert rows["no-notebooks"]["notebooks"] == "0"
    text = (out / "feedback" / "nina.md").read_text(encoding="utf-8")
    assert "01\\_clean.ipynb ran clean" in text and "ZeroDivisionError" in text
    report = (out / "report.html").read_text(encoding="utf-8")
    assert "100% (1/1)" in report and "0% (0/1)" in report
    assert_nothing_left(tmp_path)


@pytest.mark.parametrize("name, why", [
    ("/etc/passwd", "absolute"),
    ("a/../../b", "climbs out"),
    ("..\\..\\b", "climbs out"),
    ("C:/Windows/x", "drive"),
])
def test_unsafe_zip_member_names_are_refused(name, why):
    with pytest.raises(safezip.UnsafeArchive, match=why):
        safezip.member_parts(zipfile.ZipInfo(name))


def test_zip_links_are_skipped_not_written(tmp_path):
    path = zip_tree(tmp_path / "links.zip", {f"{APP_NAME}/__init__.py": ""})
    with zipfile.ZipFile(path, "a") as archive:
        link = zipfile.ZipInfo(f"{APP_NAME}/secret")
        link.external_attr = 0o120777 << 16
        archive.writestr(link, "/etc/passwd")
    prepared = submissions.prepare(submissions.Submission("links", path), tmp_path / "out")
    assert prepared.skipped == [f"{APP_NAME}/secret"]
    assert sorted(p.name for p in (tmp_path / "out" / APP_NAME).iterdir()) == ["__init__.py"]


def test_unpacked_bytes_are_counted_even_when_the_header_lies(tmp_path):
    """A member that declares 10 bytes but yields 2 MB is stopped at the cap."""
    import io

    class LyingArchive:
        def open(self, info):
            return io.BytesIO(bytes(2 * 1024 * 1024))

    info = zipfile.ZipInfo("part1_basic_app/big.bin")
    info.file_size = 10
    with pytest.raises(safezip.UnsafeArchive, match="more than 1 MB"):
        safezip.extract(LyingArchive(), [(info, ["big.bin"])], tmp_path, max_bytes=1024 * 1024, max_files=10)
    assert (tmp_path / "big.bin").stat().st_size <= 1024 * 1024


def test_too_many_zip_members_are_refused(tmp_path):
    path = tmp_path / "many.zip"
    with zipfile.ZipFile(path, "w") as archive:
        for number in range(11):
            archive.writestr(f"part1_basic_app/{number}.txt", "")
    with zipfile.ZipFile(path) as archive, pytest.raises(safezip.UnsafeArchive, match="11 entries"):
        safezip.checked_members(archive, max_members=10)


@pytest.mark.parametrize("candidates, chosen", [
    ({"", "x"}, ""),
    ({"workshop-main"}, "workshop-main"),
    ({"solutions", "mine"}, "mine"),
])
def test_the_app_folder_is_found_at_the_top_or_one_down(candidates, chosen):
    assert submissions.choose_root(candidates, "The folder") == chosen


@pytest.mark.parametrize("candidates, why",
                         [({"a", "b"}, "several"), ({"solutions"}, "no part1_basic_app/ folder of yours")])
def test_two_app_folders_one_down_or_only_the_solution_are_refused(candidates, why):
    with pytest.raises(submissions.Invalid, match=why):
        submissions.choose_root(candidates, "The folder")


def test_discovery_names_learners_and_skips_hidden_entries_and_the_output(tmp_path):
    for name in ("bob", ".git", "out", "feedback"):
        (tmp_path / name).mkdir()
    (tmp_path / "amy.zip").write_bytes(b"")
    (tmp_path / "bob.zip").write_bytes(b"")
    (tmp_path / "grades.csv").write_bytes(b"")
    found = submissions.discover(tmp_path, exclude=[tmp_path / "out", *atomic.paths(tmp_path)])
    assert [(s.learner, s.path.name) for s in found] == [("amy", "amy.zip"), ("bob", "bob"), ("bob.zip", "bob.zip")]


@pytest.mark.skipif(not LINUX, reason="file names that are not UTF-8")
def test_names_that_show_the_same_get_distinct_stable_ids(tmp_path):
    (tmp_path / RAW_BOB).mkdir()
    (tmp_path / TYPED_BOB).mkdir()
    for _ in range(2):
        assert {s.learner: s.path.name
                for s in submissions.discover(tmp_path)} == {TYPED_BOB: TYPED_BOB, RAW_BOB_ID: RAW_BOB}


@pytest.mark.parametrize("learner, expected", [
    ("ada", "ada"),
    ("x" * 253, "x" * 100 + f"-{hashlib.sha256(b'x' * 253).hexdigest()[:8]}"),
    ("a/b:c", f"a_b_c-{hashlib.sha256(b'a/b:c').hexdigest()[:8]}"),
])
def test_feedback_file_names(learner, expected):
    assert atomic.feedback_stem(learner, set()) == expected


def test_feedback_file_names_never_clash():
    taken = set()
    names = [atomic.feedback_stem(learner, taken) for learner in ("Bob", "bob", "a:b", "a?b")]
    assert len({name.casefold() for name in names}) == 4


KILLED_WRITER = """
import json, os, signal, sys
from pathlib import Path
from workshop.grading.outputs import bundle, feedback, gradebook, points
out, message, module, function = Path(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
if module:
    module = {"feedback": feedback, "gradebook": gradebook}[module]
    real = getattr(module, function)
    def die_at_b(entry, *args):
        if entry.learner == "b":
            os.kill(os.getpid(), signal.SIGKILL)
        return real(entry, *args)
    setattr(module, function, die_at_b)
records = [{"learner": learner, "status": "invalid", "message": message, "results": [], "notebooks": None,
            "seconds": 0, "flags": []} for learner in "abc"]
bundle.write(out, records, bundle.Settings(weights=points.default()))
"""


@pytest.mark.skipif(os.name != "posix", reason="SIGKILL is POSIX")
@pytest.mark.parametrize("module, function", [("gradebook", "row"), ("feedback", "render")])
def test_a_kill_while_writing_leaves_complete_outputs(tmp_path, module, function):
    def write(message, *kill_in):
        command = [sys.executable, "-c", KILLED_WRITER, str(tmp_path), message, *(kill_in or ("", ""))]
        return subprocess.run(command, cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)},
                              capture_output=True).returncode

    def complete_outputs():
        rows = read_csv(tmp_path / "grades.csv")
        pages = {page.name: page.read_text(encoding="utf-8") for page in (tmp_path / "feedback").glob("*.md")}
        assert [row["learner"] for row in rows] == list("abc")
        assert sorted(pages) == ["a.md", "b.md", "c.md"] and all(text.endswith("\n") for text in pages.values())
        assert (tmp_path / "report.html").read_text(encoding="utf-8").rstrip().endswith("</html>")
        return [row["message"] for row in rows], pages

    assert write("first") == 0
    assert write("second", module, function) == -signal.SIGKILL
    complete_outputs()
    assert write("third") == 0
    messages, pages = complete_outputs()
    assert messages == ["third"] * 3 and all("third" in text for text in pages.values())
    assert not list(tmp_path.rglob(".*.tmp")), "no temporary file is left"


def test_learner_text_cannot_become_markdown_or_a_spreadsheet_formula():
    escaped = r"\[click\](http://x) &lt;b&gt;\*hi\*&lt;/b&gt; \# title"
    assert markup.text("[click](http://x) <b>*hi*</b>\n# title") == escaped
    assert gradebook.spreadsheet_safe("=HYPERLINK(\"http://x\")") == "'=HYPERLINK(\"http://x\")"


def test_out_inside_a_learners_entry_is_refused(tmp_path, capsys):
    (tmp_path / "ada").mkdir()
    for out in (tmp_path, tmp_path / "grades", tmp_path.parent / "grades"):
        assert grade_command.parse([str(tmp_path), "--out", str(out)]).out == out
    with pytest.raises(SystemExit):
        grade_command.parse([str(tmp_path), "--out", str(tmp_path / "ada" / "grades")])
    assert "inside a learner's submission" in capsys.readouterr().err


SOUND = {"learner": "ada", "status": "ok", "message": "", "results": [], "notebooks": None, "seconds": 1.5, "key": "k",
         "config": "c"}


@pytest.mark.parametrize("changes, why", [
    ({"status": "reviewed"}, "'reviewed'"),
    ({"results": [{"step": 1, "name": "x"}]}, "a result"),
    ({"seconds": "fast"}, '"seconds"'),
    ({"learner": ["ada"]}, '"learner"'),
    ({"flags": "look"}, '"flags"'),
])
def test_journal_records_are_checked_when_read(tmp_path, changes, why):
    journal = tmp_path / "results.jsonl"
    lines = [SOUND, {**SOUND, "learner": "bob"}, {**SOUND, **changes}]
    journal.write_text("".join(json.dumps(line) + "\n" for line in lines) + '{"learner": "cut', encoding="utf-8")
    records, refused = store.read(journal)
    assert sorted(records) == (["bob"] if changes.get("learner", "ada") == "ada" else ["ada", "bob"])
    assert refused[0].startswith("results.jsonl line 3: record refused") and why in refused[0]
    assert refused[1].startswith("results.jsonl line 4: record refused (it is not JSON")


def test_lone_surrogates_become_printable_everywhere_in_a_record(tmp_path):
    record = {**SOUND, "message": "bad \udc80 char", "results": [{"message": "\ud800"}]}
    assert records.printable(record)["message"] == "bad \\udc80 char"
    assert records.printable(record)["results"][0]["message"] == "\\ud800"
    journal = store.Journal(tmp_path / "results.jsonl", resume=False)
    journal.add({**SOUND, "message": "bad \udc80 char"})
    journal.close()
    assert store.read(tmp_path / "results.jsonl")[0]["ada"]["message"] == "bad \\udc80 char"


@pytest.mark.skipif(os.name != "posix", reason="named pipes are POSIX")
@pytest.mark.timeout(60)
def test_pipes_and_links_are_skipped_never_opened(tmp_path):
    entry = write_app(tmp_path / "pipes", app(1))
    os.mkfifo(entry / APP_NAME / "pipe")
    (entry / APP_NAME / "link.py").symlink_to("/etc/passwd")
    submission = submissions.Submission("pipes", entry)
    assert submissions.fingerprint(submission) == submissions.fingerprint(submission)
    prepared = submissions.prepare(submission, tmp_path / "copy")
    assert prepared.skipped == [f"{APP_NAME}/link.py", f"{APP_NAME}/pipe"]
    assert not (tmp_path / "copy" / APP_NAME / "pipe").exists()
    assert not (tmp_path / "copy" / APP_NAME / "link.py").exists()


def test_a_large_group_of_identical_submissions_is_named_in_short():
    records = [{"learner": f"learner{n}", "digest": "same", "flags": ["from the checks"]} for n in range(8)]
    flags = integrity.flagged(records)[0]["flags"]
    assert flags == ["from the checks",
                     "identical to the submission of learner1, learner2, learner3, learner4, learner5 and 2 more"]
