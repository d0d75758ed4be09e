"""The notebooks run top to bottom in a fresh kernel against the solution and against the
starter, run again in the same kernel, and are committed clean.

The notebooks are executed with nbclient, a few at a time, by one session fixture that runs
only those the selected tests need; each test then looks at one notebook's result.
"""

import ast
import asyncio
import copy
import json
import os
import re
from dataclasses import dataclass
from dataclasses import field

import nbformat
import pytest
import zmq
from nbclient import NotebookClient
from traitlets.config import Config

from workshop import ROOT
from workshop import SOLUTION_DIR

NOTEBOOK_DIR = ROOT / "notebooks"
NOTEBOOKS = sorted(path.name for path in NOTEBOOK_DIR.glob("*.ipynb"))
EXPECTED = [
    "00_setup_check.ipynb",
    "01_hello_flask.ipynb",
    "02_routing_and_rest.ipynb",
    "03_templates.ipynb",
    "04_sessions.ipynb",
    "05_testing.ipynb",
    "06_debug_and_deploy.ipynb",
]
SETUP_CELL = """\
import sys, pathlib
sys.path.append(str(pathlib.Path.cwd().parent))  # the workshop folder, if the kernel does not know it yet
from workshop.notebook import fresh_app, serve, stop
from workshop.selfcheck import selfcheck"""

pytestmark = pytest.mark.slow  # minutes, not seconds: .ci/run runs it with one Python only
CELL_TIMEOUT = 60  # seconds; nbclient waits forever by default
CONCURRENCY = 3  # kernels at once; one more than 2 cores pays, as cells often wait (servers, subprocesses)
STEP_VERDICT = re.compile(r"Step (\d+) self-check: (\d+) of (\d+) checks pass")
SETUP_VERDICT = re.compile(r"Set-up check: (\d+) of (\d+) checks pass")
PYTHON_WARNING = re.compile(r"^\S.*:\d+: \w*Warning: .*$", re.MULTILINE)
ANSI_COLOUR = re.compile(r"\x1b\[[0-9;]*m")  # in the kernel's tracebacks
HTTP_METHODS = {"get", "post", "put", "patch", "delete", "head", "options", "request"}


@dataclass
class Run:
    """One notebook executed in one kernel: the notebook after each pass, or what stopped it."""

    name: str
    passes: list = field(default_factory=list)
    cell: str = ""  # the cell running last
    error: Exception = None

    def after_pass(self, number):
        """The notebook as it was after pass ``number``; fails the test with what stopped it before."""
        if len(self.passes) < number:
            said = ANSI_COLOUR.sub("", f"{type(self.error).__name__}: {self.error}")
            pytest.fail(f"{self.name}, pass {len(self.passes) + 1}, {self.cell}: {said}", pytrace=False)
        return self.passes[number - 1]


def kernel_config():
    """Encrypt the kernel's channels where possible (ipykernel 7.4 warns on stderr when they are not)."""
    return Config({"KernelManager": {"transport_encryption": "auto"}}) if zmq.has("curve") else Config()


def kernel_env(app_parent):
    """The kernel's environment: the app folder under test first on the path, the workshop after it."""
    return {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(app_parent), str(ROOT)]),
        "WORKSHOP_APP_PARENT": str(app_parent),
    }


async def execute(name, app_parent, passes):
    """Run every cell of notebook ``name`` ``passes`` times in one fresh kernel."""
    nb = nbformat.read(NOTEBOOK_DIR / name, as_version=4)
    client = NotebookClient(
        nb, timeout=CELL_TIMEOUT, kernel_name="python3", config=kernel_config(),
        resources={"metadata": {"path": str(NOTEBOOK_DIR)}},
    )
    run = Run(name)
    try:
        async with client.async_setup_kernel(env=kernel_env(app_parent)):
            for _ in range(passes):
                for index, cell in enumerate(nb.cells):
                    run.cell = f"cell {index + 1} of {len(nb.cells)} (id {cell.id})"
                    await client.async_execute_cell(cell, index)
                run.passes.append(copy.deepcopy(nb))
    except Exception as exc:  # a failing cell, a timeout or a dead kernel: the test reports it
        run.error = exc
    return run


async def execute_all(jobs):
    gate = asyncio.Semaphore(CONCURRENCY)

    async def one(job):
        async with gate:
            return await execute(*job)

    return await asyncio.gather(*(one(job) for job in jobs))


PASSES = {"solution_run": 2, "starter_run": 1}  # the solution runs a second time in the same kernel


@pytest.fixture(scope="session")
def executed(request, starter_parent):
    """{(scenario, notebook): Run} for each notebook and scenario that the selected tests use."""
    wanted = sorted({
        (scenario, item.callspec.params["name"])
        for item in request.session.items
        for scenario in PASSES
        if scenario in item.fixturenames
    })
    folders = {"solution_run": SOLUTION_DIR, "starter_run": starter_parent}
    jobs = [(name, folders[scenario], PASSES[scenario]) for scenario, name in wanted]
    return dict(zip(wanted, asyncio.run(execute_all(jobs)), strict=True))


@pytest.fixture
def solution_run(executed, name):
    return executed["solution_run", name]


@pytest.fixture
def starter_run(executed, name):
    return executed["starter_run", name]


def texts(nb):
    """The text of every output of every cell."""
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            if output.output_type == "stream":
                yield output.text
            elif "data" in output:
                yield output.data.get("text/plain", "")


def verdicts(nb):
    """{step: [(passed, total), ...]} of the self-check lines shown; step 0 is the set-up check."""
    found = {}
    for text in texts(nb):
        for step, passed, total in STEP_VERDICT.findall(text):
            found.setdefault(int(step), []).append((int(passed), int(total)))
        for passed, total in SETUP_VERDICT.findall(text):
            found.setdefault(0, []).append((int(passed), int(total)))
    return found


def own_step(name):
    return int(name[:2])


def code_cells(name):
    return [c for c in nbformat.read(NOTEBOOK_DIR / name, as_version=4).cells if c.cell_type == "code"]


def test_every_step_has_its_notebook():
    assert [name for name in EXPECTED if name not in NOTEBOOKS] == []


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_runs_against_the_solution_and_every_check_passes(solution_run, name):
    found = verdicts(solution_run.after_pass(1))
    assert own_step(name) in found, f"{name} shows no verdict of its own step's check."
    failing = {step: counts for step, counts in found.items() if any(p != t or t == 0 for p, t in counts)}
    assert failing == {}, f"{name}: against the solution, these checks do not all pass: {failing}"


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_runs_a_second_time_in_the_same_kernel(solution_run, name):
    solution_run.after_pass(2)


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_shows_no_python_warning(solution_run, name):
    warnings = [w for text in texts(solution_run.after_pass(1)) for w in PYTHON_WARNING.findall(text)]
    assert warnings == [], "A cell shows a Python warning: use the current API."


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_runs_against_the_starter_and_its_check_reports_failures(starter_run, name):
    found = verdicts(starter_run.after_pass(1))
    step = own_step(name)
    assert step in found, f"{name} shows no verdict of its own step's check."
    if step == 0:  # the set-up does not depend on the exercises
        assert all(p == t for p, t in found[0]), f"The set-up check fails against the starter: {found[0]}"
    else:
        assert all(p < t for p, t in found[step]), f"Step {step}'s checks pass on the starter: {found[step]}"


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_is_committed_clean(name):
    raw = json.loads((NOTEBOOK_DIR / name).read_text(encoding="utf-8"))
    nbformat.validate(nbformat.from_dict(raw))
    assert (raw["nbformat"], raw["nbformat_minor"]) >= (4, 5)
    assert raw["metadata"]["kernelspec"]["name"] == "python3"
    ids = [cell.get("id") for cell in raw["cells"]]
    assert None not in ids and len(set(ids)) == len(ids)
    dirty = [cell["id"] for cell in raw["cells"] if cell.get("outputs") or cell.get("execution_count") is not None]
    assert dirty == [], "Commit notebooks without outputs and execution counts."


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_starts_with_the_setup_cell(name):
    assert code_cells(name)[0].source == SETUP_CELL, (
        "The first code cell must be the set-up cell shared by every notebook."
    )


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_code_is_plain_python_and_http_requests_have_a_timeout(name):
    for cell in code_cells(name):
        tree = ast.parse(cell.source, filename=f"{name}, cell {cell.id}")  # a shell ! or % magic fails here
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                and isinstance(node.func.value, ast.Name) and node.func.value.id == "requests"
                and node.func.attr in HTTP_METHODS
            ):
                assert any(k.arg == "timeout" for k in node.keywords), (
                    f"{name}, cell {cell.id}, line {node.lineno}: requests.{node.func.attr}(...) needs a timeout."
                )



async def run_twice(name, cell_id, app_parent):
    """Run notebook ``name`` up to the cell ``cell_id``, then that cell again; its two outputs' texts."""
    nb = nbformat.read(NOTEBOOK_DIR / name, as_version=4)
    last = next(index for index, cell in enumerate(nb.cells) if cell.id == cell_id)
    client = NotebookClient(
        nb, timeout=CELL_TIMEOUT, kernel_name="python3", config=kernel_config(),
        resources={"metadata": {"path": str(NOTEBOOK_DIR)}},
    )
    shown = []
    async with client.async_setup_kernel(env=kernel_env(app_parent)):
        for index in range(last + 1):
            await client.async_execute_cell(nb.cells[index], index)
        for _ in range(2):
            await client.async_execute_cell(nb.cells[last], last)
            shown.append("".join(o.get("text", "") for o in nb.cells[last].outputs))
    return shown


def test_the_cookie_defaults_cell_shows_flasks_defaults_when_run_again():
    for shown in asyncio.run(run_twice("04_sessions.ipynb", "nb04-17", SOLUTION_DIR)):
        [defaults] = [line for line in shown.splitlines() if line.startswith("defaults:")]
        assert "SameSite" not in defaults and "Secure" not in defaults, defaults
