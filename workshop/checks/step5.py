"""Step 5, testing: the learner's own pytest tests, run against their app and broken versions of it."""

import json
import os
import shutil
import sys
import tempfile
from pathlib import Path

from .. import APP_NAME, ROOT, sandbox
from .core import check

TESTS = "part1_basic_app/tests/conftest.py and test_app.py, TODO step 5"
MIN_TESTS = 3
TEST_SECONDS = 3  # per test: a test client answers in milliseconds
PYTEST_SECONDS = 60  # the normal run and the mutant runs (at most mutants.MUTANTS_SECONDS)
REAL_DATABASE = (
    " They wrote to the app's real database (instance/notes.sqlite), so each run finds the notes of the"
    ' last one: give the app fixture its own, e.g. create_app({"TESTING": True, "DATABASE": str(tmp_path / "notes.sqlite"), ...})'
    " in conftest.py."
)


def run_learner_tests(app_parent):
    """Run a copy of part1_basic_app/tests once, with the mutants plugin; its JSON report, or an error text.

    The copy gets a throwaway instance folder, so the tests never touch the learner's database.
    """
    tests = Path(app_parent, APP_NAME, "tests")
    if not any("def test" in path.read_text(encoding="utf-8", errors="replace") for path in tests.glob("test*.py")):
        return {"collected": 0, "failed": [], "passed": 0, "caught": {}}  # nothing to start pytest for
    with tempfile.TemporaryDirectory(prefix="workshop-tests-", ignore_cleanup_errors=True) as tmp:
        shutil.copytree(Path(app_parent, APP_NAME), Path(tmp, APP_NAME), ignore=shutil.ignore_patterns("__pycache__"))
        report = Path(tmp, "mutants.json")
        config = Path(tmp, "pytest.ini")
        config.write_text("[pytest]\n", encoding="utf-8")
        env = {
            **os.environ,
            "WORKSHOP_MUTANTS_REPORT": str(report),
            "PYTHONPATH": os.pathsep.join([tmp, str(ROOT)]),
            "PYTHONDONTWRITEBYTECODE": "1",
            "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1",  # a quarter of a second faster; the plugins needed are named
        }
        command = [
            sys.executable, "-m", "pytest", "-q", "-c", str(config), "--rootdir", tmp,
            "-p", "no:cacheprovider", "-p", "workshop.checks.mutants", "-p", "pytest_timeout", "-o", f"timeout={TEST_SECONDS}",
            str(Path(APP_NAME, "tests")),
        ]
        outcome = sandbox.run(command, tmp, env, sandbox.Limits(seconds=PYTEST_SECONDS))
        if outcome.timed_out:
            return f"Your tests did not finish within {PYTEST_SECONDS} s."
        if not report.exists():
            lines = [line for line in (outcome.stdout + outcome.stderr).splitlines() if line.strip()]
            return "pytest could not run your tests: " + " / ".join(lines[-3:])
        return {**json.loads(report.read_text(encoding="utf-8")), "real_database": Path(tmp, "instance", "notes.sqlite").exists()}


def learner_tests(once, app_parent):
    outcome = once("learner tests", lambda: run_learner_tests(app_parent))
    assert not isinstance(outcome, str), outcome
    return outcome


@check(5, TESTS, seconds=PYTEST_SECONDS + 5)  # the first check of step 5 runs pytest for all three
def own_tests_exist(once, app_parent):
    """part1_basic_app/tests holds at least three tests that pytest collects."""
    collected = learner_tests(once, app_parent)["collected"]
    assert collected >= MIN_TESTS, (
        f"pytest found {collected} test(s) in part1_basic_app/tests; write at least {MIN_TESTS} functions named test_..."
        " that use the client fixture."
    )


@check(5, TESTS)
def own_tests_pass(once, app_parent):
    """Your tests pass against your app."""
    outcome = learner_tests(once, app_parent)
    assert outcome["collected"], "There are no tests to run in part1_basic_app/tests yet."
    failed = sorted({nodeid.split("::")[-1] for nodeid in outcome["failed"]})
    assert not failed, (
        f"These tests fail against your app: {', '.join(failed)}."
        + (REAL_DATABASE if outcome.get("real_database") else " Run run_tests() in notebook 05 to see why.")
    )


@check(5, TESTS)
def own_tests_catch_a_broken_app(once, app_parent):
    """Your tests notice when the app is broken on purpose (at least one of several ways)."""
    outcome = learner_tests(once, app_parent)
    assert outcome["collected"], "There are no tests to run in part1_basic_app/tests yet."
    assert outcome["passed"], "None of your tests passes yet, so none can notice a broken app: fix them first (see “Your tests pass against your app”)."
    caught = [name for name, was_caught in outcome["caught"].items() if was_caught]
    assert caught, (
        "Your tests passed against every deliberately broken version of the app, for example one where "
        f"{next(iter(outcome['caught']), 'POST /api/notes answers 200 instead of 201')}."
        " Assert on status codes and on what the pages and the API return."
    )
