"""Code in the learner's tests that could forge their outcome, found by reading it (never by running it).

The judge takes "your tests pass" from pytest's exit code. A conftest.py or plugin that defines
pytest's session or report hooks, or that ends the process itself, can change that code without
any test passing: the judge flags it for a person to look at.
"""

import ast
from pathlib import Path

from .. import APP_NAME
from .source import modules
from .source import nodes

OUTCOME_HOOKS = {  # pytest's hooks that decide what a test's or the session's outcome is, or which tests run
    "pytest_sessionfinish", "pytest_unconfigure", "pytest_runtest_makereport", "pytest_report_teststatus",
    "pytest_runtest_logreport", "pytest_runtest_protocol", "pytest_runtest_call", "pytest_pyfunc_call",
    "pytest_collection_modifyitems",
}
ENDING = {  # (module, function) of the calls that end the process; "" for a bare name
    ("os", "_exit"), ("os", "abort"), ("os", "kill"), ("os", "killpg"), ("sys", "exit"), ("", "exit"), ("", "quit"),
    ("", "_exit"),
}


def ends_the_process(node):
    """Whether ``node`` calls os._exit, sys.exit and the like, or raises SystemExit."""
    if isinstance(node, ast.Raise) and node.exc is not None:
        raised = node.exc.func if isinstance(node.exc, ast.Call) else node.exc
        return getattr(raised, "id", getattr(raised, "attr", "")) in ("SystemExit", "KeyboardInterrupt")
    if isinstance(node, ast.Call):
        func = node.func
        owner = getattr(func.value, "id", "") if isinstance(func, ast.Attribute) else ""
        return (owner, getattr(func, "attr", getattr(func, "id", ""))) in ENDING
    return False


def forged_outcomes(app_parent):
    """What a person should look at in the learner's tests and plugins: a flag each (at most a few)."""
    hooks, endings = [], []
    root = Path(app_parent).resolve()
    for path, tree in modules(root):
        where = path.relative_to(root).as_posix()
        in_tests = path.name == "conftest.py" or where.startswith(f"{APP_NAME}/tests/")
        for node in nodes(tree):
            if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) or not node.name.startswith("pytest_"):
                continue
            if node.name in OUTCOME_HOOKS:
                hooks.append(f"{node.name} in {where}")
            endings.extend(f"{where}, line {n.lineno}" for n in ast.walk(node) if ends_the_process(n))
        if in_tests:
            endings.extend(f"{where}, line {n.lineno}" for n in nodes(tree) if ends_the_process(n))
    found = []
    if hooks:
        found.append(f"the tests define pytest hooks that can change their outcome: {first_three(hooks)}")
    if endings:
        found.append(f"the tests end the process themselves (os._exit, sys.exit, ...): {first_three(endings)}")
    return found


def first_three(places):
    return ", ".join(sorted(set(places))[:3])
