"""The checks in Pyodide (CPython in WebAssembly, as in the browser edition) under Node, offline: the same
verdicts as under CPython, on the reference app, the starter and every mistake of the catalogue
(tests/helpers/mistakes.py) on the step that must catch it, but for a view that never returns: in the kernel
nothing can stop it. Its valid variants pass every check in Pyodide, as tests/judge/test_mistakes.py asserts under
CPython.

In Pyodide there is no second process: workshop/judge/inprocess.py runs the checks in the kernel's own
process. Pyodide (npm) and the wheels (pip) are fetched once into .cache/pyodide/ (see workshop/pyodide_dist.py).
"""

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from helpers.mistakes import CHECKED_STEPS
from helpers.mistakes import MISTAKES
from helpers.mistakes import VARIANTS
from helpers.mistakes import write_change

from workshop import pyodide_dist
from workshop import ROOT
from workshop import STEPS
from workshop.judge import inprocess
from workshop.judge import judge
from workshop.selfcheck import warm_worker

pytestmark = pytest.mark.slow  # minutes, not seconds: .ci/run runs it with one Python only

NODE = shutil.which("node")
RUNNER = Path(__file__).with_name("pyodide_judge.mjs")
ALL_STEPS = list(STEPS)
TIMES = re.compile(r"session=\S+|\d{4}-\d\d-\d\dT[\d:.]+Z?")
METHODS = re.compile(r"'?[A-Z]{3,7}'?(?:, '?[A-Z]{3,7}'?)+")  # a set's order differs between any two processes
IN_THE_KERNEL = [m for m in MISTAKES if "while True" not in m.new]


def comparable(results):
    """(name, passed, message, where) per check; the times in messages (a signed cookie holds one) left out, and
    lists of HTTP methods sorted."""
    return [(r["name"], r["passed"], METHODS.sub(in_order, TIMES.sub("…", r["message"])), r["where"]) for r in results]


def in_order(methods):
    return ", ".join(sorted(re.findall("[A-Z]+", methods[0])))


def under_cpython(parent, steps):
    """The results of the judge with its app process, but for the checks that need a server."""
    results = judge(parent, steps, worker=warm_worker()).results
    return [r for r in results if r["name"] not in inprocess.NEEDS_A_SERVER]


def apps(folder):
    """(label, folder holding part1_basic_app, steps): the reference, the starter, the mistakes, the variants."""
    found = [("reference", ROOT / "solutions", ALL_STEPS), ("starter", ROOT, ALL_STEPS)]
    for number, change in enumerate([*IN_THE_KERNEL, *VARIANTS]):
        write_change(change, folder / str(number))
        found.append((change.name, folder / str(number), [change.step] if change.step else CHECKED_STEPS))
    return found


@pytest.fixture(scope="module")
def pyodide_runs(tmp_path_factory):
    """{label: (the results in Pyodide, the results under CPython or None for a variant)}, from one run of Node,
    while CPython judges."""
    if NODE is None:
        if os.environ.get("CI"):
            pytest.fail("node is needed (Debian: apt-get install nodejs npm)")
        pytest.skip("node is not installed")
    folder = tmp_path_factory.mktemp("pyodide-apps")
    runs = apps(folder)
    job = {
        "wheels": str(pyodide_dist.wheels().pop().parent), "repo": str(ROOT), "mounts": [str(ROOT), str(folder)],
        "runs": [{"parent": str(parent), "steps": steps} for _, parent, steps in runs],
    }
    job["mounts"].append(job["wheels"])
    (folder / "job.json").write_text(json.dumps(job))
    with subprocess.Popen([NODE, str(RUNNER), str(pyodide_dist.pyodide()), str(folder / "job.json")],
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) as node:
        expected = [under_cpython(parent, steps) for _, parent, steps in runs[: len(runs) - len(VARIANTS)]]
        stdout, stderr = node.communicate(timeout=600)
    assert node.returncode == 0, stderr[-3000:]
    found = json.loads(stdout)
    assert (found["platform"], found["python"][:4]) == ("emscripten", "3.14")
    pairs = zip(runs, found["runs"], [*expected, *[None] * len(VARIANTS)], strict=True)
    return {label: (run["results"], cpython) for (label, _, _), run, cpython in pairs}


@pytest.mark.parametrize("label", ["reference", "starter", *(m.name for m in IN_THE_KERNEL)])
def test_verdicts_in_pyodide_equal_cpythons(pyodide_runs, label):
    results, cpython = pyodide_runs[label]
    assert comparable(results) == comparable(cpython)


@pytest.mark.parametrize("label", [v.name for v in VARIANTS])
def test_variant_passes_every_check_in_pyodide(pyodide_runs, label):
    results = pyodide_runs[label][0]
    assert {r["step"] for r in results} == set(CHECKED_STEPS)
    assert [r["message"] for r in results if not r["passed"]] == []


def test_every_mistake_but_an_endless_loop_is_judged_in_pyodide():
    assert len(IN_THE_KERNEL) == len(MISTAKES) - 1
    assert len({m.name for m in [*IN_THE_KERNEL, *VARIANTS]}) == len(IN_THE_KERNEL) + len(VARIANTS)  # one test each


def test_lists_of_methods_compare_in_any_order():
    allowed = [{"name": "a", "passed": False, "message": "got \"['POST', 'GET']\" or 'HEAD, GET'", "where": ""}]
    assert comparable(allowed)[0][2] == 'got "[GET, POST]" or GET, HEAD'


def test_reference_passes_every_check_in_pyodide(pyodide_runs):
    results = pyodide_runs["reference"][0]
    assert [r["name"] for r in results if not r["passed"]] == []
    assert {r["step"] for r in results} == set(ALL_STEPS)  # step 5 ran the reference's own tests, in the kernel


def test_in_process_judge_equals_the_app_process_under_cpython():
    """The seam itself, without Node: the same verdicts with the app in this process as in its own."""
    for parent in (ROOT / "solutions", ROOT):
        assert comparable(inprocess.judge(parent, ALL_STEPS).results) == comparable(under_cpython(parent, ALL_STEPS))


def test_pytest_timeout_is_left_out_in_process():
    args = ["-q", "-p", "no:cacheprovider", "-p", "pytest_timeout", "-o", "timeout=3", "tests"]
    assert inprocess.without_timeout(args) == ["-q", "-p", "no:cacheprovider", "tests"]


def test_self_check_runs_in_process_in_pyodide(monkeypatch):
    from workshop import selfcheck

    monkeypatch.setattr(selfcheck, "IN_BROWSER", True)
    monkeypatch.setattr(selfcheck, "judge", None)  # no app process where there is none
    results = selfcheck.run(6, ROOT / "solutions")
    counted = [c.name for c in inprocess.CHECKS if c.step == 6 and c.name not in inprocess.NEEDS_A_SERVER]
    assert [r["name"] for r in results] == counted
    assert all(r["passed"] for r in results)


def test_checks_that_need_a_server_are_not_counted_and_say_how_to_run_them():
    assert inprocess.not_counted(1) == []
    assert [line[:2] for line in inprocess.not_counted(6)] == ["⚪ "]
    assert "python3 -m workshop check 6" in inprocess.not_counted(6)[0]


class KernelStream:
    """A stream like the Pyodide kernel's sys.stderr: write, but no writelines."""

    def write(self, text):
        return len(text)

    def flush(self):
        pass


def test_checks_pass_with_the_kernels_own_stderr(monkeypatch):
    monkeypatch.setattr("sys.stderr", KernelStream())
    results = inprocess.judge(ROOT / "solutions", [1]).results
    assert [r["message"] for r in results if not r["passed"]] == []
