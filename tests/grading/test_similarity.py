"""Copies that survive renaming (workshop/grading/similarity.py), calibrated on honest work.

tests/similarity/honest_1 … honest_5 are five solutions written from the notebooks and the
starter's TODOs alone, each in its own style (only the files a learner writes; the test lays them
over the starter). Copies of them and of the reference solution are made here with small token
and syntax-tree edits: renamed names, reformatted code, reordered functions, other comments and
strings. Every copy must be flagged; no honest app may be flagged against another or the solution.
"""

import itertools
import os
import time

import pytest
from helpers.similarity_apps import app_source
from helpers.similarity_apps import copied
from helpers.similarity_apps import EDITS
from helpers.similarity_apps import HONEST
from helpers.similarity_apps import honest_source
from helpers.similarity_apps import honest_tree
from helpers.similarity_apps import record
from helpers.similarity_apps import reference_source
from helpers.similarity_apps import renamed
from helpers.similarity_apps import reordered

from workshop import APP_NAME
from workshop import STEPS
from workshop.grading import integrity
from workshop.grading import records
from workshop.grading import similarity
from workshop.grading.outputs import gradebook
from workshop.grading.outputs import points
from workshop.grading.outputs import report
from workshop.judge import judge
from workshop.release import render_tree
from workshop.release import write_tree


def score(mine, theirs):
    return similarity.share(similarity.app_fingerprints(mine), similarity.app_fingerprints(theirs))


def best_solution_score(source):
    mine = similarity.app_fingerprints(source)
    return max(similarity.share(mine, theirs) for _, _, theirs in similarity.solution_apps())


@pytest.fixture(scope="module")
def apps():
    return {"reference": reference_source(), **{folder.name: honest_source(folder) for folder in HONEST}}


def test_there_are_five_honest_solutions():
    assert len(HONEST) >= 5


def test_each_edit_changes_the_code_but_not_its_fingerprints(apps):
    for edit in EDITS.values():
        copy = copied(apps["reference"], edit)
        assert copy != apps["reference"]
        assert score(copy, apps["reference"]) >= similarity.THRESHOLD


def test_no_honest_pair_is_flagged(apps):
    for (a, mine), (b, theirs) in itertools.permutations(apps.items(), 2):
        assert score(mine, theirs) < similarity.THRESHOLD, (a, b)
    honest = [record(name, source) for name, source in apps.items() if name != "reference"]
    assert [r["flags"] for r in integrity.flagged(honest)] == [[]] * len(HONEST)


def test_honest_solutions_are_not_flagged_against_the_solution_or_a_checkpoint(apps):
    for name in (folder.name for folder in HONEST):
        assert best_solution_score(apps[name]) < similarity.THRESHOLD, name


@pytest.mark.parametrize("edit", EDITS)
def test_every_copy_is_flagged(apps, edit):
    honest = [name for name in apps if name != "reference"]
    records = [record(name, apps[name]) for name in honest]
    records += [record(f"copy of {name}", copied(source, EDITS[edit])) for name, source in apps.items()]
    flags = {r["learner"]: r["flags"] for r in similarity.flagged(records)}
    assert [f for f in flags["copy of reference"] if f.endswith("matches the reference solution")]
    for name in honest:
        assert [f for f in flags[f"copy of {name}"] if f.endswith(f"matches the submission of {name}")], name
        assert flags[name] == [f for f in flags[name] if f.endswith(f"matches the submission of copy of {name}")]


def test_a_copy_of_a_checkpoint_is_named_by_its_step():
    source = copied(app_source(render_tree(4)), renamed)
    [flag] = similarity.flagged([record("ada", source)])[0]["flags"]
    assert flag.endswith("matches the catch-up checkpoint of step 4"), flag


def test_the_starter_alone_is_not_flagged():
    assert similarity.flagged([record("ada", {}), record("bob", {})]) == [record("ada", {}), record("bob", {})]


def test_a_flag_names_the_matching_regions_side_by_side(apps):
    copy = copied(apps["honest_4"], reordered)
    [entry] = similarity.flagged([record("ada", apps["honest_4"]), record("bob", copy)])[1]["copies"]
    assert entry["other"] == "the submission of ada" and entry["percent"] >= similarity.THRESHOLD
    region = entry["regions"][0]
    assert region["text"] in copy[region["file"]] and region["other_text"] in apps["honest_4"][region["other_file"]]
    assert len(entry["regions"]) <= similarity.REGIONS_SHOWN


def test_read_source_takes_regular_files_only_and_caps_them(tmp_path):
    app = tmp_path / "part1_basic_app"
    (app / "templates").mkdir(parents=True)
    (app / "api.py").write_text("x = 1\n" * 20_000)
    (app / "notes.py").symlink_to("/etc/passwd")
    os.mkfifo(app / "auth.py")
    (app / "templates" / "hello.html").write_text("{{ name }}")
    (app / "pages.py").write_text(similarity.starter_tree()["pages.py"])
    source = similarity.read_source(app)
    assert sorted(source) == ["api.py", "templates/hello.html"]
    assert len(source["api.py"]) == similarity.FILE_BYTES


def test_broken_python_still_counts_up_to_where_it_breaks():
    assert similarity.python_tokens("def f(a):\n    return (a +\n") == [
        (similarity.SPLIT, 1), ("def", 1), ("N", 1), ("N", 1), (":", 1), ("return", 2), ("N", 2), ("+", 2)]


STEP_FILES = {
    1: ["pages.py", "raw_wsgi.py"], 2: ["api.py"],
    3: ["notes.py", "templates/hello.html", "templates/index.html", "templates/notes.html"],
}


@pytest.mark.parametrize("step", STEP_FILES)
def test_honest_apps_stopped_at_a_step_are_not_flagged_against_a_checkpoint(apps, step):
    files = [path for earlier in range(1, step + 1) for path in STEP_FILES[earlier]]
    for name in (folder.name for folder in HONEST):
        source = {path: text for path, text in apps[name].items() if path in files}
        assert similarity.flagged([record(name, source)])[0]["flags"] == [], name


HOSTILE = ["{{" * 32_000, "{%" * 32_000, "<" * 64_000, "{#" * 32_000, "<!--" * 16_000, "a\n" * 32_000, "(" * 64_000,
           "'''" + "x" * 64_000, "f'{" * 20_000]


@pytest.mark.parametrize("hostile", HOSTILE)
def test_a_hostile_file_is_fingerprinted_in_linear_time(hostile):
    started = time.perf_counter()
    for name in ("templates/x.html", "x.py"):
        similarity.app_fingerprints({name: hostile[:similarity.FILE_BYTES]})
    assert time.perf_counter() - started < 3


@pytest.mark.parametrize("source", [["api.py"], {"api.py": 1}, {1: "x = 1"}])
def test_a_journal_record_with_a_forged_source_is_refused(source):
    record = {"learner": "ada", "message": "", "key": "k", "config": "c", "results": [], "status": "ok", "seconds": 1.0}
    assert records.problem({**record, "source": {"api.py": "x = 1"}}) is None
    assert records.problem({**record, "source": source}) == '"source" is not a map of file names to texts'


def test_the_report_shows_the_most_alike_pairs_and_counts_the_rest(apps):
    copies = [record(f"learner {n}", copied(apps["honest_4"], renamed)) for n in range(10)]
    graded = [{**r, "status": "ok", "message": "", "results": []} for r in integrity.flagged(copies)]
    entries = [gradebook.Entry(r["learner"], r, None, points.default()) for r in graded]
    page, pairs = report.render(entries), report.alike_pairs(entries)
    assert len(pairs) > report.PAIRS_SHOWN and [copy["percent"] for _, copy in pairs] == [100] * len(pairs)
    assert page.count('<table class="side-by-side">') == report.PAIRS_SHOWN
    assert f"{len(pairs) - report.PAIRS_SHOWN} more alike pairs are not shown here" in page


@pytest.mark.parametrize("folder", HONEST, ids=[folder.name for folder in HONEST])
def test_each_honest_solution_is_a_correct_app_with_full_marks(folder, tmp_path):
    """The honest set doubles as five valid variants written independently: every check passes on each."""
    write_tree(honest_tree(folder), tmp_path / APP_NAME)
    failing = [(r["name"], r["message"]) for r in judge(tmp_path, STEPS).results if not r["passed"]]
    assert failing == []


def test_the_flags_of_a_class_do_not_depend_on_the_order_of_its_records():
    """Equally alike apps are named by name: a class graded in shards and merged gets the flags of one run."""
    copy = app_source(honest_tree(HONEST[1]))
    records = [{"learner": f"learner-{n}", "source": copy} for n in range(8)]
    forwards = {r["learner"]: r["flags"] for r in similarity.flagged(records)}
    backwards = {r["learner"]: r["flags"] for r in similarity.flagged(records[::-1])}
    assert forwards == backwards and len(forwards["learner-3"]) == similarity.COPIES_NAMED + 1
