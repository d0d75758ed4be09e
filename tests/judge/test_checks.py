"""The step checks prove something: all pass on the solution, each fails on the starter,
and the checkpoint after step k passes exactly the checks of steps 1 to k."""

import json
import re
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

import pytest

from workshop import APP_NAME
from workshop import ROOT
from workshop import SOLUTION_DIR
from workshop import STEPS
from workshop.judge import CHECKS
from workshop.release import render_tree
from workshop.release import write_tree
from workshop.selfcheck import Report
from workshop.selfcheck import run

CHECK_IDS = [f"step{c.step}-{c.name}" for c in CHECKS]


def check_results(app_parent):
    """Every check's result for the app in ``app_parent``, by name."""
    done = subprocess.run(
        [sys.executable, "-m", "workshop.judge", str(app_parent)],
        cwd=ROOT, capture_output=True, text=True, timeout=300, check=True,
    )
    return {r["name"]: r for r in json.loads(done.stdout)}


@pytest.fixture(scope="module")
def verdicts_by_app(tmp_path_factory):
    """Results for the solution, the committed starter and each generated checkpoint."""
    targets = {"solution": SOLUTION_DIR, "starter": ROOT}
    for step in STEPS:
        folder = tmp_path_factory.mktemp(f"checkpoint{step}")
        write_tree(render_tree(step), folder / APP_NAME)
        targets[step] = folder
    with ThreadPoolExecutor(max_workers=2) as pool:
        return dict(zip(targets, pool.map(check_results, targets.values()), strict=True))


@pytest.mark.parametrize("chk", CHECKS, ids=CHECK_IDS)
def test_passes_on_the_solution(verdicts_by_app, chk):
    result = verdicts_by_app["solution"][chk.name]
    assert result["passed"], result["message"]


@pytest.mark.parametrize("chk", CHECKS, ids=CHECK_IDS)
def test_fails_on_the_starter_with_a_message(verdicts_by_app, chk):
    result = verdicts_by_app["starter"][chk.name]
    assert not result["passed"]
    assert len(result["message"]) > 20


@pytest.mark.parametrize("step", STEPS)
def test_checkpoint_passes_exactly_the_steps_done(verdicts_by_app, step):
    found = verdicts_by_app[step]
    wrong = [
        f"step {c.step} {c.name}: {'failed: ' + found[c.name]['message'] if c.step <= step else 'passed'}"
        for c in CHECKS
        if found[c.name]["passed"] != (c.step <= step)
    ]
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("chk", CHECKS, ids=CHECK_IDS)
def test_where_names_files_of_the_starter(chk):
    paths = re.findall(r"part1_basic_app/[\w/.]+\w", chk.where)
    assert paths and f"TODO step {chk.step}" in chk.where
    for path in paths:
        assert (ROOT / path).exists(), f"{chk.name}: where={chk.where!r} names {path}, which the starter does not have"


def test_every_step_has_checks_with_titles():
    assert {c.step for c in CHECKS} == set(STEPS)
    assert len({c.name for c in CHECKS}) == len(CHECKS)
    assert all(c.title.endswith(".") for c in CHECKS)


def test_a_syntax_error_is_reported_with_file_and_line(tmp_path):
    write_tree(render_tree(1), tmp_path / APP_NAME)
    pages = tmp_path / APP_NAME / "pages.py"
    pages.write_text(pages.read_text() + "\ndef broken(:\n")
    report = Report(1, run(1, tmp_path))
    assert not report.ok
    assert "SyntaxError" in report.results[0]["message"]
    assert "part1_basic_app/pages.py, line" in report.results[0]["message"]


@pytest.mark.parametrize("broken_view, said", [
    ("return 1 / 0", "ZeroDivisionError"),
    ("while True:\n        pass", "did not finish within"),
], ids=["crash", "endless loop"])
def test_a_broken_view_is_reported_with_its_line(tmp_path, broken_view, said):
    write_tree(render_tree(1), tmp_path / APP_NAME)
    pages = tmp_path / APP_NAME / "pages.py"
    pages.write_text(pages.read_text().replace('return f"<p>Hello, {escape(name)}!</p>"', broken_view))
    found = {r["name"]: r for r in run(1, tmp_path)}
    assert found["home_page_says_hello"]["passed"]
    message = found["hello_greets_by_name"]["message"]
    assert said in message and "part1_basic_app/pages.py, line" in message


def test_self_check_report_reads_well():
    report = Report(2, [
        {"step": 2, "name": "a", "title": "A works.", "where": "x.py", "passed": True, "message": ""},
        {"step": 2, "name": "b", "title": "B works.", "where": "y.py, TODO step 2", "passed": False,
         "message": "B broke."},
    ])
    text = str(report)
    assert text.startswith("Step 2 self-check: 1 of 2 checks pass — ❌")
    assert "what is wrong: B broke." in text and "where to look: y.py, TODO step 2" in text
    assert "<b>What is wrong:</b> B broke." in report._repr_html_()



def test_self_check_table_is_left_aligned_and_shows_a_shared_cause_once():
    failing = {"step": 2, "where": "x.py", "passed": False, "message": "The app could not be created."}
    report = Report(2, [{**failing, "name": "a", "title": "A works."}, {**failing, "name": "b", "title": "B works."}])
    page = report._repr_html_()
    assert page.count("text-align: left") == 4, "each row: the mark in a cell of its own, then the title"
    assert page.count("The app could not be created.") == 1 and str(report).count("The app could not be created.") == 1
