"""Step 5, testing: the learner's own pytest tests, run against their app and broken versions of it.

The judge counts the tests by reading their files, and takes "pass" and "caught" from the exit
codes of pytest runs it starts itself, each on a fresh copy of the app in the learner's jail:
first with the app as it is, then with one deliberately broken version after another (see
workshop/app_process/mutants.py) until one run fails. Nothing the tests print or write is a verdict;
the names of failing tests and what they said, from the runs' report (app_process/outcomes.py),
only sharpen the message.
"""

import ast
import os
import re
import sys
import tempfile
import time
from pathlib import Path
from typing import NamedTuple

from .. import APP_NAME
from .. import jailfiles
from .. import wire
from ..app_process import outcomes
from ..app_process import pytest_start
from ..jail import sandbox
from . import source
from .core import check
from .core import head_start
from .worker import Worker
from .worker import WorkerDied

TESTS = "part1_basic_app/tests/conftest.py and test_*.py, TODO step 5"
MIN_TESTS = 3
REQUESTS = ("get", "post", "put", "patch", "delete", "head", "options", "open")  # the test client's: a Response
RESPONSE_METHODS = ("get_json", "get_data")  # a response's methods: true when not called
TEST_SECONDS = 3  # per test: a test client answers in milliseconds
RUN_SECONDS = 30  # one pytest run
MUTANTS_SECONDS = 20  # all the runs with a broken app
REPORT = "report.json"
REPORT_BYTES = jailfiles.MB  # the tests' report (app_process/outcomes.py): a hint only
STATUS_ASSERT = re.compile(r"assert \d{3} == \d{3}")
REFUSED_FORM = re.compile(r"\b400 == 30[23]\b|\b30[23] == 400\b|was sent from another site|CSRF")  # a form post refused
CSRF_ON = (
    " If a form post answers 400: with CSRF protection on, a post needs the page's token. In your app fixture,"
    ' turn it off for the tests: create_app({"TESTING": True, "WTF_CSRF_ENABLED": False, ...}) in conftest.py.'
)
REAL_DATABASE = (
    " They wrote to the app's real database (instance/notes.sqlite), so each run finds the notes of the"
    ' last one: give the app fixture its own, e.g.'
    ' create_app({"TESTING": True, "DATABASE": str(tmp_path / "notes.sqlite"), ...})'
    " in conftest.py."
)


class Run(NamedTuple):
    """One run of the learner's tests: against the broken app ``mutant`` (none: the app as it is), with the tests
    that ``keywords`` selects (pytest's -k), their failed asserts ``explained`` (pytest's assertion rewriting: an
    eighth of a run, worth it only where a run failed) or not."""

    mutant: str = ""
    keywords: str = ""
    explained: bool = False


def all_but(names):
    """The -k keywords of every test but ``names``."""
    return f"not ({' or '.join(names)})" if names else ""


def test_functions(app_parent):
    """(name, function node, the helper names of its file) of each test the files of part1_basic_app/tests define."""
    for path, tree in source.modules(app_parent, f"{APP_NAME}/tests"):
        if not (path.name.startswith("test_") or path.name.endswith("_test.py")):
            continue
        functions = [n for n in source.nodes(tree) if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))]
        helpers = {f.name for f in functions if not f.name.startswith("test") and can_fail(f, set())}
        bodies = [tree.body, *(n.body for n in tree.body if isinstance(n, ast.ClassDef) and n.name.startswith("Test"))]
        for node in (n for body in bodies for n in body):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name.startswith("test"):
                yield node.name, node, helpers


def can_fail(function, helpers):
    """Whether a function holds something that can fail: an assert that is not always true,
    ``pytest.raises``, or a call to an assert helper (``assert_...``, ``self.assertEqual``, one of ``helpers``)."""
    responses = response_names(function)
    for node in ast.walk(function):
        if isinstance(node, ast.Assert) and not always_true(node.test, responses):
            return True
        if isinstance(node, ast.Call):
            name = getattr(node.func, "attr", getattr(node.func, "id", ""))
            if name in ("raises", "fail") or name.startswith("assert") or name in helpers:
                return True
    return False


def always_true(test, responses=frozenset()):
    """An assert's test that holds whatever happens: a true constant, a tuple such as ``(x == 1, "why")``, an
    f-string, ``x == 201 or 200``, or a response (``client.get("/")``, a name only ever bound to one, its
    ``status_code``, its ``get_json`` not called): a Response is true, a 404 too."""
    if isinstance(test, ast.Constant):
        return bool(test.value)
    if isinstance(test, (ast.Tuple, ast.List, ast.Set, ast.Dict)):
        return bool(getattr(test, "elts", getattr(test, "keys", None)))
    if isinstance(test, (ast.JoinedStr, ast.Lambda)) or is_request(test):
        return True
    if isinstance(test, ast.Name) and test.id in responses:
        return True
    if isinstance(test, ast.Attribute) and test.attr in ("status_code", "status", *RESPONSE_METHODS):
        return True
    return isinstance(test, ast.BoolOp) and isinstance(test.op, ast.Or) and any(
        always_true(v, responses) for v in test.values)


def is_request(node):
    """Whether ``node`` is a test client's request, such as ``client.get("/")``: it returns a Response."""
    if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in REQUESTS):
        return False
    receiver = node.func.value
    return "client" in getattr(receiver, "id", getattr(receiver, "attr", "")).lower()


def response_names(function):
    """The names that ``function`` binds to a test client's response only (``response = client.get("/")``)."""
    bound = {}
    for node in ast.walk(function):
        if isinstance(node, ast.Assign):
            targets = node.targets
        elif isinstance(node, (ast.AnnAssign, ast.AugAssign, ast.NamedExpr)):
            targets = [node.target]
        else:
            continue
        request = isinstance(node, ast.Assign) and is_request(node.value)
        for target in targets:
            if isinstance(target, ast.Name):
                bound[target.id] = bound.get(target.id, True) and request
    return {name for name, response in bound.items() if response}


def survey(app_parent):
    """(the names of the tests that can fail, the names of those that cannot), read from the files."""
    tests = list(test_functions(app_parent))
    real = [name for name, node, helpers in tests if can_fail(node, helpers)]
    return real, [name for name, _, _ in tests if name not in real]


def pytest_runs(app_parent, jail, worker, scratch, runs):
    """Run the learner's tests once per Run of ``runs``, each on a fresh copy of
    the app, in the jail, all at once where the warm worker forks them: [(Outcome, the copy's folder)].

    What the tests and the app print is discarded (an app may print as much as it likes); the report in the copy
    of a run with the app as it is (app_process/outcomes.py) names the tests that failed, as a hint for the
    messages.
    """
    return finish_runs(jail, worker, start_runs(app_parent, jail, worker, scratch, runs))


def start_runs(app_parent, jail, worker, scratch, runs):
    """Prepare the runs of ``runs`` (see pytest_runs) and, where the warm worker forks them, start them: what
    finish_runs waits for."""
    prepared = [prepare_run(app_parent, jail, scratch, run) for run in runs]
    started = None
    if worker is not None:
        try:
            started = worker.start_pytest([run for run, _ in prepared])
        except WorkerDied:
            pass
    return prepared, started, time.monotonic()


def finish_runs(jail, worker, begun):
    """[(Outcome, the copy's folder)] of the runs ``begun`` (see start_runs): waited for where they were started,
    else run one after the other; each run within RUN_SECONDS of its start."""
    prepared, started, since = begun
    if worker is not None:
        try:
            seconds = max(0.0, RUN_SECONDS - (time.monotonic() - since))
            outcomes = worker.wait_pytest(started, seconds) if started else []
        except WorkerDied:
            outcomes = []
        outcomes = outcomes or [sandbox.Outcome(-1, 0, False, "", "")] * len(prepared)
        return [(outcome, run["cwd"]) for outcome, (run, _) in zip(outcomes, prepared, strict=True)]
    done = []
    for run, command in prepared:
        env = {**run["env"],
               "WORKSHOP_MUTANT": run["mutant"]}  # read and removed by the plugin before the learner's code is imported
        done.append((sandbox.run(command, run["cwd"], env, sandbox.Limits(seconds=RUN_SECONDS), jail=jail,
                                 discard_output=True), run["cwd"]))
    return done


def pytest_run(app_parent, jail, worker, scratch, run):
    """One Run of the learner's tests (see pytest_runs): (Outcome, the copy's folder)."""
    return pytest_runs(app_parent, jail, worker, scratch, [run])[0]


def prepare_run(app_parent, jail, scratch, run):
    """A fresh copy of the app for one run of pytest: (the run for the warm worker, the command without it)."""
    copy = Path(tempfile.mkdtemp(prefix="tests-", dir=scratch))
    jailfiles.copy_tree(Path(app_parent, APP_NAME), copy / APP_NAME, ignore={"__pycache__", "instance"})
    (copy / "pytest.ini").write_text("[pytest]\n", encoding="utf-8")
    path = [str(copy), str(jail.code)]
    env = sandbox.scrubbed_env(
        copy, PYTHONPATH=os.pathsep.join(path),
        PYTEST_DISABLE_PLUGIN_AUTOLOAD="1",  # a quarter of a second faster; the plugins needed are named
    )
    args = [
        "-q", "-s", "-c", str(copy / "pytest.ini"), "--rootdir", str(copy),
        *pytest_start.PLUGINS, "-o", f"timeout={TEST_SECONDS}",  # the plugins the warm worker registered
        "--tb=no",  # nobody reads the output: the report's messages are the same without tracebacks
        f"--assert={'rewrite' if run.explained else 'plain'}",
        # one test that fails catches a broken app, whose run only its exit code tells of
        *(["--exitfirst"] if run.mutant else [f"{outcomes.OPTION}={copy / REPORT}"]),
        str(Path(APP_NAME, "tests")), *(["-k", run.keywords] if run.keywords else []),
    ]
    command = [sys.executable, "-m", "pytest", "-p", "workshop.app_process.mutants", "-p", outcomes.__name__, *args]
    return {"args": args, "cwd": copy, "env": env, "path": path, "mutant": run.mutant}, command


def reported(copy):
    """(names of the tests that failed, the first error's message, what the failed tests said, the names of those
    whose assert said nothing more than AssertionError) from the tests' report (app_process/outcomes.py), written by
    the learner's process: hints only."""
    try:
        report = wire.loads(jailfiles.read(copy / REPORT, REPORT_BYTES, "the tests' report"))
    except (wire.Closed, jailfiles.Refused, OSError):
        return [], "", [], []
    failed, errors, asserts, unexplained = (texts(report.get(key))
                                            for key in ("failed", "errors", "asserts", "unexplained"))
    error = next((e[:300] for e in errors if e), "")
    return function_names(failed), error, asserts, function_names(unexplained)


def function_names(names):
    """The test functions that the test ``names`` name (``test_x`` for ``test_x[1]``), sorted, once each."""
    return sorted({name.split("[")[0] for name in names if name.split("[")[0].isidentifier()})


def texts(value):
    """The strings of a list from the report (nothing of anything else)."""
    return [item for item in value if isinstance(item, str)] if isinstance(value, list) else []


def quoted(asserts):
    """The failed assert to quote: a status code compared if any (the plainest to read), else a short first line."""
    statuses = [m.group(0) for m in map(STATUS_ASSERT.search, asserts) if m]
    short = [a.splitlines()[0] for a in asserts if a.strip() and len(a.splitlines()[0]) <= 120]
    return (statuses or short or [""])[0]


def mutants():
    """The broken versions of the app, by what is broken (their module imports Flask: only once step 5 runs)."""
    from ..app_process.mutants import MUTANTS

    return list(MUTANTS)


def first_runs(worker):
    """The first runs of the learner's tests: the app as it is, and beside it, where the warm worker forks them,
    the first broken app. The first explains its failed asserts only where each run is a new process, which the
    assertion rewriting adds little to (else the tests whose assert failed silently run again to explain
    it)."""
    return [Run(explained=worker is None), *(Run(name) for name in (mutants()[:1] if worker is not None else []))]


def run_learner_tests(app_parent, jail, worker, scratch, begun=None):
    """What the learner's tests do: a dict, or the text of why pytest could not run them. ``begun``: the first runs,
    if they were started ahead (see start_learner_tests)."""
    real, hollow = survey(app_parent)
    outcome = {"collected": len(real) + len(hollow), "real": len(real), "hollow": hollow,
               "passed": False, "usable": False, "failed": [], "caught": None, "tried": []}
    if not outcome["collected"]:
        return outcome
    runs = first_runs(worker)
    ahead = [run.mutant for run in runs[1:]]
    (first, copy), *early = finish_runs(jail, worker, begun or start_runs(app_parent, jail, worker, scratch, runs))
    if first.timed_out:
        return f"Your tests did not finish within {RUN_SECONDS} s."
    failed, error, asserts, unexplained = reported(copy)
    if first.returncode not in (0, 1):
        return f"pytest could not run your tests (exit code {first.returncode}){': ' + error if error else '.'}"
    outcome["real_database"] = (copy / "instance" / "notes.sqlite").exists()
    outcome["passed"] = outcome["usable"] = first.returncode == 0
    outcome["failed"] = failed
    if failed:  # the tests that pass, proven by a run of their own; the asserts that failed silently, explained
        explain = [Run(keywords=" or ".join(unexplained), explained=True)] if unexplained else []
        (passing, _), *explaining = pytest_runs(app_parent, jail, worker, scratch,
                                                [Run(keywords=all_but(failed)), *explain])
        outcome["usable"] = passing.returncode == 0
        if explaining:
            asserts = [said for said in asserts if said != outcomes.SILENT] + reported(explaining[0][1])[2]
    outcome["asserts"] = asserts
    early = dict(zip(ahead, (run for run, _ in early),
                     strict=True)) if not failed else {}  # valid only with nothing deselected
    deadline = time.monotonic() + MUTANTS_SECONDS
    for name in mutants() if outcome["usable"] else ():
        if time.monotonic() > deadline:
            break
        run = early.get(name) or pytest_run(app_parent, jail, worker, scratch, Run(name, all_but(failed)))[0]
        outcome["tried"].append(name)
        if run.returncode == 1 and not run.timed_out:
            outcome["caught"] = name
            break
    return outcome


def app_file_text(app_parent, name="tests/conftest.py"):
    data = source.text_of(Path(app_parent).resolve() / APP_NAME / name)
    return "" if data is None else data.decode("utf-8", "replace")


def csrf_set_up(app_parent):
    """Whether the app's code (read as text) turns CSRF protection on."""
    return "csrf.init_app(" in app_file_text(app_parent, "__init__.py")


@head_start(5)
def start_learner_tests(once, app_parent, jail, worker, scratch):
    """Start the first runs of the learner's tests while the checks of the other steps run, where the warm worker
    forks them: the first check of step 5 waits for them."""
    if isinstance(worker, Worker) and any(survey(app_parent)):
        once("learner tests begun", lambda: start_runs(app_parent, jail, worker, scratch, first_runs(worker)))


def learner_tests(once, app_parent, jail, worker, scratch):
    begun = once("learner tests begun", lambda: None)
    outcome = once("learner tests", lambda: run_learner_tests(app_parent, jail, worker, scratch, begun))
    assert not isinstance(outcome, str), outcome
    return outcome


@check(5, TESTS, seconds=RUN_SECONDS * 2 + MUTANTS_SECONDS)  # the first check of step 5 runs pytest for all three
def own_tests_exist(once, app_parent, jail, worker, scratch):
    """part1_basic_app/tests holds at least three tests that can fail."""
    outcome = learner_tests(once, app_parent, jail, worker, scratch)
    hollow = outcome["hollow"]
    cannot = (f" {', '.join(hollow[:5])} cannot fail: a test needs an assert that may be false (not `assert True`,"
              " nor `== 201 or 200` or `(x == 1, \"why\")`, which are always true, nor `assert client.get(...)`:"
              " a response is true, a 404 too) or pytest.raises." if hollow else "")
    assert outcome["real"] >= MIN_TESTS, (
        f"part1_basic_app/tests holds {outcome['real']} test(s) that can fail; write at least {MIN_TESTS} functions"
        f" named test_... that use the client fixture and assert what the app answers.{cannot}"
    )


@check(5, TESTS)
def own_tests_pass(once, app_parent, jail, worker, scratch):
    """Your tests pass against your app."""
    outcome = learner_tests(once, app_parent, jail, worker, scratch)
    assert outcome["collected"], "There are no tests to run in part1_basic_app/tests yet."
    named = f": {', '.join(outcome['failed'])}" if outcome["failed"] else ""
    first = quoted(outcome.get("asserts", []))
    said = f" One of them says: {first.rstrip('.')}." if first else ""
    refused_forms = any(map(REFUSED_FORM.search, outcome.get("asserts", [])))
    if "WTF_CSRF_ENABLED" not in app_file_text(app_parent) and (csrf_set_up(app_parent) or refused_forms):
        why = CSRF_ON
    else:
        why = REAL_DATABASE if outcome.get("real_database") else " Run run_tests() in notebook 05 to see why."
    assert outcome["passed"], f"These tests fail against your app{named}.{said}{why}"


@check(5, TESTS)
def own_tests_catch_a_broken_app(once, app_parent, jail, worker, scratch):
    """Your tests notice when the app is broken on purpose (at least one of several ways)."""
    outcome = learner_tests(once, app_parent, jail, worker, scratch)
    assert outcome["collected"], "There are no tests to run in part1_basic_app/tests yet."
    assert outcome["usable"], (
        "None of your tests passes yet, so none can notice a broken app: fix them first"
        " (see “Your tests pass against your app”)."
    )
    assert outcome["caught"], (
        "Your tests passed against every deliberately broken version of the app, for example one where "
        f"{(outcome['tried'] or mutants())[0]}."
        " Assert on status codes and on what the pages and the API return."
    )
