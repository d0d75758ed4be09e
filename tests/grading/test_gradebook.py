"""The instructor's gradebook: roster, points, overrides, --only, --resume and the exported files.

The grader's command line runs in this process with ``grade`` replaced by a stand-in that
reads each submission's intended outcome from its folder, so every exported cell is known.
"""

import csv
import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from helpers.gradebook_class import NOT_RUN
from helpers.gradebook_class import record

from workshop import APP_NAME
from workshop.cli import grade as grade_command
from workshop.grading import lanes
from workshop.grading.outputs import feedback
from workshop.grading.outputs import gradebook
from workshop.grading.outputs import lms
from workshop.grading.outputs import overrides
from workshop.grading.outputs import points
from workshop.grading.outputs import report
from workshop.grading.outputs import roster
from workshop.judge import CHECKS

WEIGHTS = {c.name: (3 if c.name == "serves_under_waitress" else 2 if c.step == 6 else 1) for c in CHECKS}
MAX = sum(WEIGHTS.values())
POINTS_TOML = '[steps]\n6 = 2\n[checks]\nserves_under_waitress = 3\n'
ROSTER = (
    "Name,ID,Email,Section,Submission\n"
    "Chloé,s1,chloe@example.org,A,\n"
    "Ada Lovelace,s2,ada@example.org,A,ada\n"
    "Ånne-Marie,s3,anne@example.org,B,\n"
    "Émile Dubois,s4,emile.dubois@example.org,B,\n"
    "Zoë,s5,zoe@example.org,B,\n"
    "Grace Hopper,s6,grace@example.org,A,\n"
)
OVERRIDES = (
    "learner,check,points,comment\n"
    "ada@example.org,login_stores_the_name,1,Shown working in class\n"
    "Ånne-Marie,total,10,Graded by hand from the zip sent by email\n"
)
# submission folder: (steps passed, status, message, flags)
CLASS = {
    "Chloe\u0301": ((1, 2, 3, 4, 5, 6), "ok", "", []),
    "ada": ((1, 2, 3), "ok", "", []),
    "A\u030anne-Marie": ((), "invalid", "The folder is empty.", []),
    "Emile.Dubois@Example.org": ((1,), "ok", "", ["identical to stranger's submission"]),
    "zoë": ((1, 2), "timeout", "It did not finish within 60 s.", []),
    "stranger": ((1,), "ok", "", ["identical to Emile.Dubois@Example.org's submission"]),
}


def fake_grade(submission, options, stop=None):
    """What grading the submission would give: its part1_basic_app/outcome.json says."""
    outcome = submission.path / APP_NAME / "outcome.json"
    steps, status, message, flags = json.loads(outcome.read_text(encoding="utf-8"))
    made = record(submission.learner, steps, status, message, flags=flags, results=status != "invalid",
                  failure=NOT_RUN if status == "timeout" else None)
    GRADED.append(submission.learner)
    return made


GRADED = []


def put(folder, learner, outcome):
    (folder / learner / APP_NAME).mkdir(parents=True, exist_ok=True)
    (folder / learner / APP_NAME / "outcome.json").write_text(json.dumps(outcome), encoding="utf-8")


@pytest.fixture
def course(tmp_path, monkeypatch):
    """The class's submissions, roster, points and overrides; ``run(*options)`` grades it."""
    monkeypatch.setattr(lanes.Lane, "grade", lambda lane, submission: fake_grade(submission, lane.options))
    folder, out = tmp_path / "submissions", tmp_path / "out"
    for learner, outcome in CLASS.items():
        put(folder, learner, outcome)
    (tmp_path / "roster.csv").write_text(ROSTER, encoding="utf-8")
    (tmp_path / "points.toml").write_text(POINTS_TOML, encoding="utf-8")
    out.mkdir()
    (out / "overrides.csv").write_text(OVERRIDES, encoding="utf-8")

    def run(*options):
        GRADED.clear()
        argv = [str(folder), "--out", str(out), "-j", "1", "--roster", str(tmp_path / "roster.csv"),
                "--points", str(tmp_path / "points.toml"), "--export", "moodle", "canvas", *options]
        assert grade_command.main(argv) == 0
        return sorted(GRADED)

    return {"folder": folder, "out": out, "roster": tmp_path / "roster.csv", "run": run}


def read(path, encoding="utf-8"):
    with open(path, newline="", encoding=encoding) as file:
        return list(csv.reader(file))


def step_points(steps, step):
    return sum(WEIGHTS[c.name] for c in CHECKS if c.step == step and c.step in steps)


def expected_grades(outcomes):
    """grades.csv as it must be, computed from the outcomes, the weights and the overrides by hand."""
    rows = []
    people = {  # learner column: (id, email, name)
        "ada": ("s2", "ada@example.org", "Ada Lovelace"),
        "Ånne-Marie": ("s3", "anne@example.org", "Ånne-Marie"),
        "Chloé": ("s1", "chloe@example.org", "Chloé"),
        "Emile.Dubois@Example.org": ("s4", "emile.dubois@example.org", "Émile Dubois"),
        "Grace Hopper": ("s6", "grace@example.org", "Grace Hopper"),
        "stranger": ("", "", ""),
        "zoë": ("s5", "zoe@example.org", "Zoë"),
    }
    for learner, identity in people.items():
        steps, status, message, flags = outcomes.get(learner,
                                                     ((), "missing", "On the roster, but no submission was found.", []))
        graded = status in ("ok", "timeout") and (status == "ok" or steps)
        earned = {c.name: (WEIGHTS[c.name] if c.step in steps else 0) for c in CHECKS} if graded else None
        comment, total = "", None
        if learner == "ada":
            earned["login_stores_the_name"] = 1
            comment = "Shown working in class"
        if learner == "Ånne-Marie":
            total, comment = 10, "Graded by hand from the zip sent by email"
        points_ = total if total is not None else sum(earned.values()) if earned else None
        blank = lambda value: "" if value is None else points.number(value)  # noqa: E731
        rows.append([
            learner, *identity, blank(points_), str(MAX),
            blank(None if points_ is None else round(100 * points_ / MAX, 1)),
            *(blank(None if earned is None else sum(v for n, v in earned.items() if gradebook.STEP_OF[n] == s))
              for s in range(1, 7)),
            status, message, "; ".join(flags), comment,
            *(blank(None if earned is None else earned[c.name]) for c in CHECKS),
        ])
    return rows


def outcomes_by_learner(overrides=None):
    found = {roster.nfc(name): outcome for name, outcome in CLASS.items()}
    return {**found, **(overrides or {})}


def exported(grades, missing_as_zero):
    """The grades.csv rows that go into the platforms' files, with the total they get there."""
    return [(row, row[4] or "0") for row in grades if row[1] and (row[4] or missing_as_zero)]


def expected_moodle(grades, missing_as_zero=False):
    rows = [["Email address", "ID number", "Full name", lms.ASSIGNMENT, "Feedback"]]
    for row, total in exported(grades, missing_as_zero):
        sid, email, name, status, message, comment = row[1], row[2], row[3], row[13], row[14], row[16]
        said = f"{total} of {MAX} points." if row[4] else f"Not graded ({status}): {message}"
        rows.append([email, sid, name, total, " ".join(filter(None, [said, comment]))])
    return rows


def expected_canvas(grades, missing_as_zero=False):
    sections = {"s1": "A", "s2": "A", "s3": "B", "s4": "B", "s5": "B", "s6": "A"}
    rows = [["Student", "ID", "SIS User ID", "SIS Login ID", "Section", lms.ASSIGNMENT],
            ["Points Possible", "", "", "", "", str(MAX)]]
    return rows + [[row[3], "", row[1], row[2], sections[row[1]], total]
                   for row, total in exported(grades, missing_as_zero)]


def assert_exports(out, outcomes, missing_as_zero=False):
    grades = expected_grades(outcomes)
    assert read(out / "grades.csv") == [gradebook.columns(with_roster=True), *grades]
    assert read(out / "grades-moodle.csv") == expected_moodle(grades, missing_as_zero)
    assert read(out / "grades-canvas.csv") == expected_canvas(grades, missing_as_zero)
    assert (out / "overrides.csv").read_text(encoding="utf-8") == OVERRIDES, "the grader never rewrites the overrides"


def test_a_class_with_a_roster_points_and_overrides_exports_every_cell(course, capsys):
    assert course["run"]() == sorted(CLASS)
    assert_exports(course["out"], outcomes_by_learner())
    notes = capsys.readouterr().err
    assert "On the roster but no submission (status missing): Grace Hopper" in notes
    assert "A submission without a roster entry: stranger" in notes


def left_out_in_report(out):
    """[(learner, files, reason)] of the report's table of learners left out of the platforms' files."""
    html = (out / "report.html").read_text(encoding="utf-8")
    return re.findall(r'<tr class="left-out">\s*<td>(.*?)</td><td>(.*?)</td><td>(.*?)</td>', html)


def test_a_learner_without_points_is_left_out_of_the_platform_files_and_listed(course, capsys):
    """A blank grade would erase a grade already in the platform: Canvas posts it, Moodle stores null."""
    course["run"]()
    moodle, canvas = read(course["out"] / "grades-moodle.csv"), read(course["out"] / "grades-canvas.csv")
    assert all(row[3] for row in moodle) and all(row[5] for row in canvas), "no blank grade is sent"
    assert "Grace Hopper" not in {row[2] for row in moodle} | {row[0] for row in canvas}
    notes = capsys.readouterr().err
    assert "note: Left out of grades-moodle.csv and grades-canvas.csv: Grace Hopper (no points, status missing" in notes
    assert "--missing-as-zero" in notes
    [(learner, files, reason)] = left_out_in_report(course["out"])
    assert (learner, files) == ("Grace Hopper", "grades-moodle.csv, grades-canvas.csv")
    assert reason.startswith("no points, status missing")


def test_missing_as_zero_sends_zero_for_learners_without_points(course, capsys):
    course["run"]("--missing-as-zero")
    assert_exports(course["out"], outcomes_by_learner(), missing_as_zero=True)
    assert "Left out of" not in capsys.readouterr().err
    assert left_out_in_report(course["out"]) == []


def test_a_roster_row_without_the_identifier_a_platform_matches_on_is_left_out_and_named(course, capsys):
    course["roster"].write_text(ROSTER + "Hedy Lamarr,s7,,A,\nAlan Turing,,,B,\n", encoding="utf-8")
    put(course["folder"], "Hedy Lamarr", ((1,), "ok", "", []))
    put(course["folder"], "alan turing", ((1,), "ok", "", []))
    course["run"]()
    moodle = read(course["out"] / "grades-moodle.csv")
    canvas = read(course["out"] / "grades-canvas.csv")
    assert [row[2] for row in moodle[1:]] == ["Ada Lovelace", "Ånne-Marie", "Chloé", "Émile Dubois", "Zoë"]
    assert [row[0]
            for row in canvas[2:]] == ["Ada Lovelace", "Ånne-Marie", "Chloé", "Émile Dubois", "Hedy Lamarr", "Zoë"]
    assert all(row[0] for row in moodle) and all(row[2] or row[3] for row in canvas[2:])
    notes = capsys.readouterr().err
    assert "note: Left out of grades-moodle.csv: alan turing (no email address in the roster" in notes
    assert "note: Left out of grades-canvas.csv: alan turing (no id or email in the roster" in notes
    assert "note: Left out of grades-moodle.csv: Hedy Lamarr (no email address in the roster" in notes
    left_out = [(learner, files) for learner, files, _ in left_out_in_report(course["out"])]
    assert left_out == [("alan turing", "grades-moodle.csv"), ("alan turing", "grades-canvas.csv"),
                        ("Grace Hopper", "grades-moodle.csv, grades-canvas.csv"), ("Hedy Lamarr", "grades-moodle.csv")]


MOODLE_READER = Path(__file__).with_name("moodle_csv_import.php")


def read_as_moodle(path):
    """The rows of ``path`` as Moodle's grade import reads them (PHP's fgetcsv, escape character \\)."""
    php = shutil.which("php")
    if php is None:
        reason = "no php to read the file as Moodle does (Debian: apt-get install php-cli)"
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI=true but {reason}", pytrace=False)
        pytest.skip(reason)
    done = subprocess.run([php, str(MOODLE_READER), str(path)], capture_output=True, text=True, encoding="utf-8")
    assert done.returncode == 0, f"Moodle refuses the file: {done.stderr}"
    return json.loads(done.stdout)


ODD_NAMES = ['Dee \\"DJ\\" Doe', 'Lee \\", Ann', "Ends With\\", 'Two \\\\"Backslashes\\\\"']
ODD_MESSAGE = 'KeyError: \'say \\"hi\\"\' in C:\\work\\'


def test_every_moodle_cell_reads_the_same_with_phps_fgetcsv(course):
    """Names from the roster and a learner's error text may hold \\" (which fgetcsv reads as an escaped
    quote) or end with a backslash; Moodle refuses a whole file that it splits into the wrong fields."""
    quoted = [name.replace('"', '""') for name in ODD_NAMES]
    course["roster"].write_text(ROSTER + "".join(f'"{name}",s{n},odd{n}@example.org,C,\n'
                                                 for n, name in enumerate(quoted, 7)),
                                encoding="utf-8")
    for n in range(7, 7 + len(ODD_NAMES)):
        put(course["folder"], f"odd{n}@example.org", ((), "error", ODD_MESSAGE, []))
    for excel in ((), ("--excel",)):
        course["run"]("--missing-as-zero", *excel)
        path = course["out"] / "grades-moodle.csv"
        rows = read(path, encoding="utf-8-sig")
        assert read_as_moodle(path) == rows
        odd = [row for row in rows if row[0].startswith("odd")]
        assert sorted(row[2].replace("\u200b", "") for row in odd) == sorted(ODD_NAMES), "the names read as written"
        assert all(ODD_MESSAGE in row[4].replace("\u200b", "") for row in odd), "the error text reads as written"


def test_only_regrades_the_named_learners_and_keeps_every_other_row(course):
    course["run"]()
    put(course["folder"], "ada", ((1, 2, 3, 4), "ok", "", []))
    put(course["folder"], "zoë", ((1, 2, 3), "ok", "", []))  # changed, but not named: its row stays
    assert course["run"]("--only", "ADA@example.org") == ["ada"]
    assert_exports(course["out"], outcomes_by_learner({"ada": ((1, 2, 3, 4), "ok", "", [])}))

    assert course["run"]("--resume") == ["zoë"], "--resume regrades what changed since it was graded"
    assert_exports(course["out"],
                   outcomes_by_learner({"ada": ((1, 2, 3, 4), "ok", "", []), "zoë": ((1, 2, 3), "ok", "", [])}))


def test_only_refuses_a_name_that_is_nobodys(course, capsys):
    course["run"]()
    argv = [str(course["folder"]), "--out", str(course["out"]), "--only", "nobody"]
    assert grade_command.main(argv) == 2
    assert "--only nobody" in capsys.readouterr().err


def test_excel_gets_a_byte_order_mark(course):
    course["run"]("--excel")
    for name in ("grades.csv", "grades-moodle.csv", "grades-canvas.csv"):
        assert (course["out"] / name).read_bytes().startswith(b"\xef\xbb\xbfl"
                                                              if name == "grades.csv" else b"\xef\xbb\xbf")
    assert not (course["out"] / "grades.csv").read_bytes().startswith(b"\xef\xbb\xbf\xef\xbb\xbf")


@pytest.mark.parametrize("text, error", [
    ("[checks]\nno_such_check = 2\n", "do not exist"),
    ("[steps]\n9 = 2\n", "do not exist"),
    ("[steps]\n1 = -1\n", "at least 0"),
    ("[bonus]\nx = 1\n", "unknown tables"),
    ("[steps\n", "cannot read"),
])
def test_a_wrong_points_file_is_refused_with_the_reason(tmp_path, text, error):
    (tmp_path / "points.toml").write_text(text)
    with pytest.raises(ValueError, match=error):
        points.load(tmp_path / "points.toml")


def test_the_roster_needs_its_columns(tmp_path):
    (tmp_path / "roster.csv").write_text("student,mail\nada,a@x\n")
    with pytest.raises(ValueError, match="no name, id, email column"):
        roster.load(tmp_path / "roster.csv")


def test_names_match_after_nfc_and_case_folding_and_sort_without_accents():
    people = [roster.Person("Chloé", "1", ""), roster.Person("Zoë", "2", "")]
    matched, missing, extra = roster.match(["CHLOE\u0301", "zoe"], people)
    assert matched == {"CHLOE\u0301": people[0]} and missing == [people[1]] and extra == ["zoe"]
    names = ["Zoë", "zara", "Émile", "ada", "Ånne-Marie", "Chloé"]
    assert sorted(names, key=roster.sort_key) == ["ada", "Ånne-Marie", "Chloé", "Émile", "zara", "Zoë"]


def entry(made, weights=None):
    return gradebook.build([made], weights or points.default())[0][0]


API = "part1_basic_app/api.py"
CASCADE = {name: f"POST /api/notes answered 200, not 201 ({API}, line 12)." for name in
           ("create_answers_201_with_location", "get_one_note_or_404", "put_replaces_a_note", "delete_answers_204")}


def test_one_cause_is_shown_once_with_the_checks_it_took_along():
    made = entry(record("ada", (1, 3, 4, 5, 6), failures=CASCADE))
    for page in (feedback.render(made), feedback.render_text(made)):
        assert page.count("answered 200, not 201") == 1, page
        assert page.count("Same cause as “POST /api/notes answers 201") == 3
        assert "The same cause also makes these checks fail:" in page
        assert "line 12).\n  - Where to look" not in page, "the message names the file already: no doubled path"


def test_where_to_look_is_each_results_own_where():
    made = record("ada", (1, 3, 4, 5, 6), failures={"list_starts_empty": "GET /api/notes answered 500."})
    made["results"][5]["where"] = "part1_basic_app/db.py"
    text = feedback.render_text(entry(made))
    assert "Where to look: part1_basic_app/db.py" in text


def test_plain_text_reads_cleanly_and_markdown_stays_escaped():
    made = record("<b>ada</b>", (1,), failures={"list_starts_empty": "Expected [] for <empty> *list*."})
    text = feedback.render_text(entry(made))
    assert "Expected [] for <empty> *list*." in text and "Feedback for <b>ada</b>" in text
    assert "\\[" not in text and "&lt;" not in text and "`" not in text and "**" not in text
    md = feedback.render(entry(made))
    assert "Expected \\[\\] for &lt;empty&gt; \\*list\\*." in md and "&lt;b&gt;ada&lt;/b&gt;" in md


def test_control_characters_from_the_app_never_reach_the_feedback():
    said = "Got \x1b[2J\x1b[31mred\x00 and\u200b a\r\nsecond line\x07."  # a terminal's escapes, NUL, bell, breaks
    made = record("ada\x1b[0m", (1,), failures={"list_starts_empty": said})
    text, md = feedback.render_text(entry(made)), feedback.render(entry(made))
    for page in (text, md):
        assert not any(c in page for c in "\x1b\x00\x07\r\u200b"), repr(page)
    assert "Got [2J[31mred and a second line." in text and "Feedback for ada[0m" in text
    assert "Got \\[2J\\[31mred and a second line." in md


@pytest.mark.parametrize("stuck, step, advice", [
    ({"own_tests_pass": "This check did not finish within 15 s: is there an endless loop? (part1_basic_app/pages.py,"
                        " line 9)."},
     5, "Your app was stuck at part1_basic_app/pages.py, line 9."),
    ({}, 6, "The checks stopped in step 6."),
])
def test_timeout_advice_names_the_step_whose_checks_did_not_finish(stuck, step, advice):
    made = record("zoë", (1, 2, 3, 4) if stuck else (1, 2, 3, 4, 5), status="timeout", message="It did not finish.",
                  failure=NOT_RUN, failures=stuck)
    text = feedback.render_text(entry(made))
    assert advice in text and f"Run python3 -m workshop check {step} on your machine" in text
    assert "check 1" not in text


@pytest.mark.parametrize("status", ["timeout", "memory", "error"])
def test_without_any_result_the_advice_is_to_run_the_self_checks_in_order(status):
    text = feedback.render_text(entry(record("zoë", status=status, message="It stopped.", results=False)))
    assert "Run python3 -m workshop check 1 on your machine, then the self-check of each following step" in text
    assert feedback.PROBLEM[status] in text


def test_a_crash_during_a_later_step_points_at_that_step():
    made = record("zoë", (1, 2, 3, 4), status="error", message="The checks stopped early with exit code 3.",
                  failure=NOT_RUN)
    text = feedback.render_text(entry(made))
    assert "The checks stopped in step 5. Run python3 -m workshop check 5 on your machine." in text


def test_flags_stay_out_of_the_feedback_and_skipped_files_are_listed():
    made = record("bob", (1,), flags=["identical to ada's submission"], skipped=["part1_basic_app/pipe"])
    for page in (feedback.render(entry(made)), feedback.render_text(entry(made))):
        assert "identical" not in page and "ada" not in page
        assert "part1_basic_app/pipe" in page


def test_report_counts_pass_rates_among_those_who_reached_the_step_and_keeps_ungraded_apart():
    records = [record("a", (1, 2, 3, 4)), record("b", (1, 2), failures={"create_answers_201_with_location": "201!"}),
               record("c", (1,)), record("d", status="invalid", message="The folder is empty.", results=False)]
    records[1]["results"][6]["passed"] = False
    entries = gradebook.build(records, points.default())[0]
    steps = report.pass_rates([e for e in entries if e.graded])
    create = steps[1]["rates"][1]
    assert (create.passed, create.attempted, create.overall_passed, create.graded) == (1, 2, 1, 3)
    html = report.render(entries)
    assert re.search(r"50% \(1/2\)\s*</span>\s*</td>\s*<td class=\"number overall\">33% \(1/3\)", html)
    per_step = {step: sum(c.step == step for c in CHECKS) for step in (1, 2, 3, 4)}
    mean = (sum(per_step.values()) + per_step[1] + per_step[2] - 1 + per_step[1]) / 3
    assert f"<b>{mean:.1f} / {len(CHECKS)}</b>mean of the graded" in html, (
        "the ungraded submission is not a 0 in the mean"
    )
    assert html.count('class="count"') == 3, "three graded submissions in the histogram, not four"


def test_checks_that_did_not_run_are_not_a_cause_and_point_at_what_to_do():
    made = record("zoë", (1,), status="timeout", message="It did not finish.", failure=NOT_RUN)
    text = feedback.render_text(entry(made))
    assert "This check did not run" not in text and "The same cause" not in text and "Where to look" not in text
    assert text.count("It did not run: the checks stopped before they reached it.") == sum(c.step > 1 for c in CHECKS)


def test_a_message_that_names_the_file_is_not_followed_by_a_guessed_place():
    message = (
        "part1_basic_app could not be imported: SyntaxError: invalid syntax (part1_basic_app/auth.py, line 3)."
        " Fix that first."
    )
    text = feedback.render_text(entry(record("eve", status="error", message=message, failure=message)))
    assert text.count("SyntaxError") == 2, "in the reason and once among the checks"
    assert "Where to look" not in text and "pages.py" not in text


def test_overrides_file_is_created_with_its_header_and_bad_rows_are_reported(tmp_path):
    assert overrides.load(tmp_path) == ([], [])
    assert (tmp_path / "overrides.csv").read_text(encoding="utf-8").splitlines() == [",".join(overrides.HEADER)]
    (tmp_path / "overrides.csv").write_text(
        "learner,check,points,comment\nada,no_such_check,1,\nada,total,lots,\nada,total,3,ok\n"
    )
    found, warnings = overrides.load(tmp_path)
    assert found == [overrides.Override("ada", "total", 3.0, "ok")]
    assert [w.split(":")[0] for w in warnings] == ["overrides.csv, line 2", "overrides.csv, line 3"]


def test_export_needs_a_roster(tmp_path, capsys):
    with pytest.raises(SystemExit):
        grade_command.parse([str(tmp_path), "--out", str(tmp_path / "out"), "--export", "canvas"])
    assert "--export needs --roster" in capsys.readouterr().err


def test_missing_as_zero_needs_an_export(tmp_path, capsys):
    (tmp_path / "roster.csv").write_text(ROSTER, encoding="utf-8")
    with pytest.raises(SystemExit):
        grade_command.parse([str(tmp_path), "--out", str(tmp_path / "out"), "--roster", str(tmp_path / "roster.csv"),
                             "--missing-as-zero"])
    assert "--missing-as-zero needs --export" in capsys.readouterr().err


def test_two_submissions_whose_names_differ_only_in_unicode_form_keep_two_rows():
    entries = gradebook.build([record("Chlo\u00e9", (1,)), record("Chloe\u0301", (1, 2))], points.default())[0]
    assert sorted(e.learner for e in entries) == sorted(["Chlo\u00e9", "Chloe\u0301"])


def test_common_causes_count_learners_in_steps_they_reached_and_skip_checks_that_did_not_run():
    cause = "POST /api/notes answered 200, not 201."
    records = [record("a", (1, 3), failure=cause), record("b", (1, 3), failure=cause),
               record("c", (1,), failure=cause), record("d", (1, 3), status="timeout", failure=NOT_RUN)]
    graded = [e for e in gradebook.build(records, points.default())[0] if e.graded]
    causes = report.common_causes(graded)
    assert [message for message, _, _ in causes] == [cause], "d's checks that did not run are no cause"
    _, titles, hit = causes[0]
    assert [e.learner for e in hit] == ["a", "b"], "c never reached step 2"
    assert len(titles) == 6, "the six checks of step 2"


def test_the_advice_for_a_timeout_names_the_step_that_was_stopped():
    loop = "(part1_basic_app/pages.py, line 11)."
    made = record("ada", (2, 3, 4, 5), status="timeout", message="The checks were stopped.", failures={
        "home_page_says_hello": f"This check did not finish within 5 s: is there an endless loop? {loop}",
        "serves_under_waitress": "This check was stopped: an endless loop kept running even after the check's time"
                                 f" was up {loop}",
    })
    text = feedback.render_text(entry(made))
    assert "The checks stopped in step 6. Your app was stuck at part1_basic_app/pages.py, line 11." in text
    assert "python3 -m workshop check 6" in text
