"""The checks measured against the catalogue of mistakes and valid variants (tests/helpers/mistakes.py):
each mistake is caught by a check of its step that names its file, and costs at most two checks;
each variant passes every check."""

import collections
import re
from concurrent.futures import ProcessPoolExecutor
from types import SimpleNamespace

import pytest
from helpers.mistakes import apply
from helpers.mistakes import CHANGES
from helpers.mistakes import check_change
from helpers.mistakes import CHECKED_STEPS
from helpers.mistakes import FINISHED
from helpers.mistakes import MISTAKES
from helpers.mistakes import use_memory_for_temporary_files
from helpers.mistakes import VARIANTS

from workshop import APP_NAME
from workshop import ROOT
from workshop.judge import expect
from workshop.judge import judge
from workshop.release import render_tree
from workshop.release import write_tree

WORKERS = 2


def ids(changes):
    return [c.name.replace(" ", "-") for c in changes]


@pytest.fixture(scope="module")
def catalogue_results():
    """Each change's check results, by name; the changes are checked in worker processes."""
    with ProcessPoolExecutor(max_workers=WORKERS, initializer=use_memory_for_temporary_files) as pool:
        return dict(zip((c.name for c in CHANGES), pool.map(check_change, CHANGES), strict=True))


def failed(catalogue_results, change):
    return [r for r in catalogue_results[change.name] if not r["passed"]]


def test_every_change_applies_and_has_a_unique_name():
    tree = render_tree(FINISHED)
    for change in CHANGES:
        assert apply(change, tree) != tree, change.name
    assert len({c.name for c in CHANGES}) == len(CHANGES)


def test_catalogue_is_large_and_covers_every_todo():
    todos = set()
    for path in (ROOT / "part1_basic_app").rglob("*"):
        if path.is_file() and "tests" not in path.parts and path.suffix in (".py", ".html"):
            for step in re.findall(r"TODO step (\d)", path.read_text(encoding="utf-8")):
                todos.add((path.relative_to(ROOT / "part1_basic_app").as_posix(), int(step)))
    covered = {(m.file, m.step) for m in MISTAKES}
    assert {t for t in todos if t[1] in CHECKED_STEPS} <= covered
    assert len(MISTAKES) >= 60 and len(VARIANTS) >= 15


@pytest.mark.parametrize("mistake", MISTAKES, ids=ids(MISTAKES))
def test_mistake_is_caught_by_its_step_naming_its_file(catalogue_results, mistake):
    caught = [r for r in failed(catalogue_results, mistake) if r["step"] == mistake.step]
    assert caught, f"no check of step {mistake.step} fails"
    assert any(mistake.file in r["message"] or mistake.file in r["where"] for r in caught), (
        f"no failing check of step {mistake.step} names {mistake.file}: "
        + " | ".join(f"{r['name']}: {r['message']} [{r['where']}]" for r in caught)
    )


@pytest.mark.parametrize("mistake", MISTAKES, ids=ids(MISTAKES))
def test_mistake_costs_at_most_two_checks(catalogue_results, mistake):
    cost = failed(catalogue_results, mistake)
    assert len(cost) <= 2, "\n".join(f"{r['name']}: {r['message']}" for r in cost)


@pytest.mark.parametrize("variant", VARIANTS, ids=ids(VARIANTS))
def test_variant_passes_every_check(catalogue_results, variant):
    wrong = failed(catalogue_results, variant)
    assert not wrong, "\n".join(f"{r['name']}: {r['message']}" for r in wrong)


def test_distribution_of_failed_checks(catalogue_results, capsys):
    counts = collections.Counter(len(failed(catalogue_results, m)) for m in MISTAKES)
    with capsys.disabled():
        print(f"\n{len(MISTAKES)} mistakes, failed checks per mistake: "
              + ", ".join(f"{n}: {counts[n]}" for n in sorted(counts)))
    assert 0 not in counts


@pytest.mark.parametrize("mistake_name, words", [
    ("cookie not HttpOnly", "SESSION_COOKIE_HTTPONLY"),
    ("cookie without SameSite", "SESSION_COOKIE_SAMESITE"),
    ("notes page left to do", 'The app said: "TODO step 3: show the notes page in part1_basic_app/notes.py."'),
    ("title value unquoted", 'value="{{ form.title }}"'),
    ("wsgi body is a str", "non-bytestring"),
])
def test_message_says_what_to_change(catalogue_results, mistake_name, words):
    mistake = next(m for m in MISTAKES if m.name == mistake_name)
    assert any(words in r["message"] for r in failed(catalogue_results, mistake)), failed(catalogue_results, mistake)


def test_a_failure_names_the_files_that_served_the_request():
    response = SimpleNamespace(sources=["part1_basic_app/notes.py", "part1_basic_app/templates/notes.html"])
    with pytest.raises(AssertionError) as failure:
        expect.fail("Wrong.", response, ["part1_basic_app/errors.py"])
    assert failure.value.where == "part1_basic_app/errors.py, notes.py and templates/notes.html"
    assert str(failure.value) == f"Wrong. (look at {failure.value.where})"


def test_an_exception_without_a_line_in_the_app_names_the_view_file(tmp_path):
    mistake = next(m for m in MISTAKES if m.name == "get without 404")
    write_tree(apply(mistake, render_tree(FINISHED)), tmp_path / APP_NAME)
    failing = next(r for r in judge(tmp_path, [2]).results if r["name"] == "get_one_note_or_404")
    assert "TypeError" in failing["message"] and failing["where"] == f"{APP_NAME}/api.py"
