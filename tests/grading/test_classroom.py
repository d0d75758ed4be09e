"""GitHub Classroom: the exported workflow, and what GitHub Classroom's own reporter makes of our results.

The reporter is classroom-resources/autograding-grading-reporter at its tag v1, the code that the
workflow's ``uses:`` runs, vendored in tests/vendor/ (with its license) and run here with Node.js
on what ``check all --format github-classroom`` prints for each app.
"""

import base64
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from helpers.platform_submissions import grader_points
from helpers.platform_submissions import KINDS
from helpers.platform_submissions import MISTAKE
from helpers.platform_submissions import start_grader
from helpers.platform_submissions import write_points

from workshop import APP_NAME
from workshop import ROOT
from workshop.grading.outputs import points
from workshop.judge import CHECKS

REPORTER = Path(__file__).parents[1] / "vendor" / "autograding-grading-reporter" / "dist" / "main.js"
APPS = ("finished", "starter", "planted-mistake",
        "syntax-error")  # a loop would hold each step's self-check for its time
RESULT_LINE = re.compile(r"result=[A-Za-z0-9+/]*={0,2}")
REPORT = re.compile(r"^::notice title=Autograding report::(.*)$", re.M)
TEST_FIELDS = {"name", "status", "score", "message", "test_code", "filename", "line_no", "duration"}


def node():
    found = shutil.which("node")
    if not found:
        if os.environ.get("CI"):
            pytest.fail("Node.js is needed to run GitHub Classroom's reporter")
        pytest.skip("Node.js is not installed")
    return found


def check_all(python, folder, *options, env=None):
    """What ``python3 -m workshop check all FOLDER --format github-classroom`` prints (a CompletedProcess)."""
    command = [python, "-m", "workshop", "check", "all", str(folder), "--format", "github-classroom", *options]
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, env=env, timeout=300)


def report(result_line):
    """Run the reporter as the workflow does: the runner's id in ``runners``, our result in WORKSHOP_RESULTS."""
    env = {"PATH": os.environ["PATH"], "INPUT_RUNNERS": "workshop",
           "WORKSHOP_RESULTS": result_line.removeprefix("result=")}
    return subprocess.run([node(), str(REPORTER)], capture_output=True, text=True, env=env, timeout=60)


@pytest.fixture(scope="module")
def points_file(tmp_path_factory):
    return write_points(tmp_path_factory.mktemp("points"))


@pytest.fixture(scope="module")
def exported(tmp_path_factory, points_file):
    """The template repository's folder after ``export github-classroom --points``."""
    folder = tmp_path_factory.mktemp("template")
    done = subprocess.run([sys.executable, "-m", "workshop", "export", "github-classroom", "--out", str(folder),
                           "--points", str(points_file)],
                          cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return folder


@pytest.fixture(scope="module")
def reported(tmp_path_factory, points_file):
    """{app: (our command's CompletedProcess, the reporter's)}, and the grader's points for the same apps."""
    grader, out = start_grader(tmp_path_factory.mktemp("same-apps"), APPS, points_file, 20)
    found = {}
    for kind in APPS:
        folder = tmp_path_factory.mktemp(kind)
        KINDS[kind](folder)
        app_parent = next(folder.glob(f"**/{APP_NAME}")).parent
        ours = check_all(sys.executable, app_parent, "--points", str(points_file))
        found[kind] = (ours, report(ours.stdout.strip()))
    return found, grader_points(grader, out)


def test_the_workflow_passes_actionlint(exported):
    actionlint = Path(sys.executable).with_name("actionlint")
    done = subprocess.run([str(actionlint), "-no-color", ".github/workflows/classroom.yml"], cwd=exported,
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_workflow_hands_our_result_to_the_reporter(exported, points_file):
    workflow = yaml.safe_load((exported / ".github" / "workflows" / "classroom.yml").read_text(encoding="utf-8"))
    assert set(workflow[True]) == {"push", "repository_dispatch"}  # YAML 1.1 reads the key `on` as true
    # what Classroom reads
    assert workflow["name"] == "Autograding Tests" and list(workflow["jobs"]) == ["run-autograding-tests"]
    steps = workflow["jobs"]["run-autograding-tests"]["steps"]
    checks, reporter = steps[-2], steps[-1]
    assert re.fullmatch(r"[a-zA-Z0-9]+", checks["id"])  # the only runner names the reporter accepts
    assert checks["run"] == ('python3 -m workshop check all --format github-classroom'
                             ' --points .github/classroom/points.toml >> "$GITHUB_OUTPUT"')
    assert (exported / ".github" / "classroom" / "points.toml").read_text() == points_file.read_text()
    assert reporter["uses"] == "classroom-resources/autograding-grading-reporter@v1"
    assert reporter["if"] == "${{ !cancelled() }}"
    assert reporter["with"] == {"runners": checks["id"]}
    assert reporter["env"] == {f"{checks['id'].upper()}_RESULTS": f"${{{{ steps.{checks['id']}.outputs.result }}}}"}


@pytest.mark.parametrize("kind", APPS)
def test_the_reporter_gives_the_graders_points(reported, points_file, kind):
    found, expected = reported
    ours, reporter = found[kind]
    assert ours.returncode == 0, ours.stderr
    assert RESULT_LINE.fullmatch(ours.stdout.rstrip("\n")), ours.stdout[:300]  # one line, as $GITHUB_OUTPUT needs
    [summary] = REPORT.findall(reporter.stdout)
    maximum = sum(points.load(points_file).values())
    assert json.loads(summary) == {"totalPoints": pytest.approx(expected[kind]), "maxPoints": maximum}
    print(f"\n{kind}: the reporter says {summary}")


@pytest.mark.parametrize("kind", APPS)
def test_the_result_has_the_command_graders_format(reported, points_file, kind):
    result = json.loads(base64.b64decode(reported[0][kind][0].stdout.strip().removeprefix("result=")))
    weights = points.load(points_file)
    assert set(result) == {"version", "status", "max_score", "tests"} and result["version"] == 1
    assert [t["name"] for t in result["tests"]] == [f"Step {c.step}: {c.title}" for c in CHECKS]
    for test, check in zip(result["tests"], CHECKS, strict=True):
        assert set(test) == TEST_FIELDS
        assert test["score"] == (weights[check.name] if test["status"] == "pass" else 0)
    assert result["status"] == ("pass" if kind == "finished" else "fail")


def test_a_learner_sees_which_check_failed_and_what_is_wrong(reported):
    ours, reporter = reported[0]["planted-mistake"]
    assert "❌ Step 1: raw_wsgi.application is a WSGI app" in reporter.stdout
    assert "python3 -m workshop check 1" in reporter.stdout  # the reporter shows it as the test's code
    assert "what is wrong:" in ours.stderr and f"part1_basic_app/{MISTAKE.file}" in ours.stderr  # the checks step's log


def test_a_broken_app_says_where_in_the_log(reported):
    ours, reporter = reported[0]["syntax-error"]
    assert "part1_basic_app/pages.py, line 1" in ours.stderr
    assert "Points 0/" in reporter.stdout


def test_the_first_run_keeps_stdout_for_the_result(tmp_path):
    """On a fresh runner the venv is made first: its progress must not reach $GITHUB_OUTPUT."""
    KINDS["finished"](tmp_path / "app")
    uv_only = tmp_path / "bin"
    uv_only.mkdir()
    uv = Path(sys.executable).with_name("uv")
    if uv.exists():
        (uv_only / "uv").symlink_to(uv)
    env = {**os.environ, "WORKSHOP_VENV": str(tmp_path / "venv"),
           "PATH": os.pathsep.join([str(uv_only), os.environ["PATH"]])}
    done = check_all(sys._base_executable, tmp_path / "app", env=env)
    assert done.returncode == 0, done.stderr
    assert "Creating the virtual environment" in done.stderr
    assert RESULT_LINE.fullmatch(done.stdout.rstrip("\n")), done.stdout[:300]


def test_check_all_in_a_terminal_shows_every_step(tmp_path):
    KINDS["finished"](tmp_path)
    done = subprocess.run([sys.executable, "-m", "workshop", "check", "all", str(tmp_path)], cwd=ROOT,
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    assert [line.split(":")[0] for line in done.stdout.splitlines()
            if "self-check" in line] == [f"Step {n} self-check" for n in range(1, 7)]
