"""Step 5, testing: the learner's own pytest tests, run against their app and broken versions of it."""

import json
import os
import sys
import tempfile
from pathlib import Path

from .. import APP_NAME, ROOT, sandbox
from .core import check

TESTS = "part1_basic_app/tests/conftest.py and test_app.py, TODO step 5"
MIN_TESTS = 3
PYTEST_SECONDS = 80


def run_learner_tests(app_parent):
    """Run part1_basic_app/tests once, with the mutants plugin; its JSON report, or an error text."""
    tests = Path(app_parent, APP_NAME, "tests")
    if not any("def test" in path.read_text(encoding="utf-8", errors="replace") for path in tests.glob("test*.py")):
        return {"collected": 0, "failed": [], "passed": 0, "caught": {}}  # nothing to start pytest for
    with tempfile.TemporaryDirectory(prefix="workshop-tests-", ignore_cleanup_errors=True) as tmp:
        report = Path(tmp, "mutants.json")
        config = Path(tmp, "pytest.ini")
        config.write_text("[pytest]\n", encoding="utf-8")
        env = {
            **os.environ,
            "WORKSHOP_MUTANTS_REPORT": str(report),
            "PYTHONPATH": os.pathsep.join([str(app_parent), str(ROOT)]),
            "PYTHONDONTWRITEBYTECODE": "1",
            "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1",  # a quarter of a second faster; the plugins needed are named
        }
        command = [
            sys.executable, "-m", "pytest", "-q", "-c", str(config), "--rootdir", str(app_parent),
            "-p", "no:cacheprovider", "-p", "workshop.checks.mutants", "-p", "pytest_timeout", "-o", "timeout=20",
            str(Path(APP_NAME, "tests")),
        ]
        outcome = sandbox.run(command, app_parent, env, sandbox.Limits(seconds=PYTEST_SECONDS))
        if outcome.timed_out:
            return f"Your tests did not finish within {PYTEST_SECONDS} s."
        if not report.exists():
            lines = [line for line in (outcome.stdout + outcome.stderr).splitlines() if line.strip()]
            return "pytest could not run your tests: " + " / ".join(lines[-3:])
        return json.loads(report.read_text(encoding="utf-8"))


def learner_tests(once, app_parent):
    outcome = once("learner tests", lambda: run_learner_tests(app_parent))
    assert not isinstance(outcome, str), outcome
    return outcome


@check(5, TESTS, seconds=PYTEST_SECONDS + 10)
def own_tests_exist(once, app_parent):
    """part1_basic_app/tests holds at least three tests that pytest collects."""
    collected = learner_tests(once, app_parent)["collected"]
    assert collected >= MIN_TESTS, (
        f"pytest found {collected} test(s) in part1_basic_app/tests; write at least {MIN_TESTS} functions named test_..."
        " that use the client fixture."
    )


@check(5, TESTS, seconds=PYTEST_SECONDS + 10)
def own_tests_pass(once, app_parent):
    """Your tests pass against your app."""
    outcome = learner_tests(once, app_parent)
    assert outcome["collected"], "There are no tests to run in part1_basic_app/tests yet."
    failed = sorted({nodeid.split("::")[-1] for nodeid in outcome["failed"]})
    assert not failed, f"These tests fail against your app: {', '.join(failed)}. Run run_tests() in notebook 05 to see why."


@check(5, TESTS, seconds=PYTEST_SECONDS + 10)
def own_tests_catch_a_broken_app(once, app_parent):
    """Your tests notice when the app is broken on purpose (at least one of several ways)."""
    outcome = learner_tests(once, app_parent)
    assert outcome["collected"], "There are no tests to run in part1_basic_app/tests yet."
    caught = [name for name, was_caught in outcome["caught"].items() if was_caught]
    assert caught, (
        "Your tests passed against every deliberately broken version of the app, for example one where "
        f"{next(iter(outcome['caught']), 'POST /api/notes answers 200 instead of 201')}."
        " Assert on status codes and on what the pages and the API return."
    )
