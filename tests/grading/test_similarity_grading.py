"""One grading run with an honest app and two working copies (of the solution, and of that copy): the flags in
grades.csv, the pairs in report.html, the points."""

import csv
import json
import subprocess
import sys

import pytest
from helpers.grading_submissions import app
from helpers.grading_submissions import FINISHED
from helpers.grading_submissions import write_app
from helpers.similarity_apps import HONEST
from helpers.similarity_apps import honest_tree
from helpers.similarity_apps import reformatted
from helpers.similarity_apps import renamed
from helpers.similarity_apps import reordered
from markupsafe import escape

from workshop import ROOT
from workshop.grading import integrity
from workshop.grading.outputs import atomic


def edited(tree, edit):
    return {path: edit(text) if path.endswith(".py") else text for path, text in tree.items()}


@pytest.fixture(scope="module")
def class_with_copies(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("similarity")
    folder, out = tmp / "submissions", tmp / "out"
    write_app(folder / "ada", honest_tree(HONEST[1]))
    bob = edited(app(FINISHED), lambda text: reordered(reformatted(renamed(text))))  # still a working app
    write_app(folder / "bob", bob)
    write_app(folder / "cy", edited(bob, renamed))
    done = subprocess.run(
        [sys.executable, "-m", "workshop.grading", folder, "--out", out, "-j", "2", "--isolation", "none"],
        cwd=ROOT, capture_output=True, text=True, timeout=600,
    )
    assert done.returncode == 0, done.stderr
    with open(out / atomic.GRADEBOOK, newline="", encoding="utf-8") as file:
        rows = {row["learner"]: row for row in csv.DictReader(file)}
    return {"rows": rows, "report": (out / atomic.REPORT).read_text(encoding="utf-8"), "out": out}


def test_copies_are_flagged_with_whom_and_how_much_and_the_honest_app_is_not(class_with_copies):
    rows = class_with_copies["rows"]
    assert rows["ada"]["flags"] == ""
    bob, cy = rows["bob"]["flags"].split("; "), rows["cy"]["flags"].split("; ")
    assert any(f.endswith("% of the code it adds to the starter matches the reference solution") for f in bob), bob
    assert any(f.endswith("% of the code it adds to the starter matches the submission of cy") for f in bob), bob
    assert any(f.endswith("% of the code it adds to the starter matches the submission of bob") for f in cy), cy
    assert all(int(f.split("%")[0]) >= 75 for f in [*bob, *cy])


def test_a_flag_never_changes_points(class_with_copies):
    rows = class_with_copies["rows"]
    assert rows["ada"]["points"] == rows["bob"]["points"] == rows["cy"]["points"] == rows["ada"]["max_points"]


def test_the_report_shows_each_pair_side_by_side_escaped(class_with_copies):
    report = class_with_copies["report"]
    section = report.split("<h2>Alike code, side by side</h2>", 1)[1]
    assert section.count("<table class=\"side-by-side\">") == 3  # bob and the solution, bob and cy, cy and the solution
    [record] = [r for r in integrity.flagged(journal(class_with_copies["out"])) if r["learner"] == "bob"]
    regions = [region for copy in record["copies"] for region in copy["regions"]]
    texts = [text for region in regions for text in (region["text"], region["other_text"])]
    assert any("<form" in text for text in texts), "templates are compared too"
    for text in texts:
        assert str(escape(text)) in section
        assert "<" not in text or text not in section


def journal(out):
    return [json.loads(line) for line in (out / atomic.JOURNAL).read_text(encoding="utf-8").splitlines()]


def test_the_source_kept_is_what_the_learner_changed(class_with_copies):
    [ada] = [r for r in journal(class_with_copies["out"]) if r["learner"] == "ada"]
    written = {path.relative_to(HONEST[1]).as_posix() for path in HONEST[1].rglob("*") if path.is_file()}
    assert set(ada["source"]) == written
