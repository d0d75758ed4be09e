"""The grader always finishes, and one learner's limits are that learner's alone.

Each submission's judge runs in a lane of the grader (workshop/grading/lanes.py) that is killed
at the row's hard deadline; Ctrl+C ends a run at once. Each jail has its own caps on processes
and memory, whoever runs the grader (root or an ordinary user).
"""

import json
import os
import signal
import subprocess
import sys
import time

import pytest

from grading_submissions import FINISHED, app, processes_mentioning, write_app
from test_grading import grader, instructor_env, read_csv
from workshop.grading import lanes
from workshop.grading.grader import Options
from workshop.jail.isolation import bwrap_works
from workshop.jail.sandbox import Limits
from workshop.judge import CHECKS

LINUX = sys.platform.startswith("linux")
FULL = len(CHECKS)
TIMEOUT = 5

# create_app makes the judge's DATABASE path a FIFO: the judge opens it to put a note in, and waits for ever
FIFO_DATABASE = """

_create_app = create_app


def create_app(test_config=None):
    app = _create_app(test_config)
    if test_config and not os.path.exists(app.config["DATABASE"]):
        os.mkfifo(app.config["DATABASE"])
    return app
"""


def hangs_the_judge():
    tree = app(FINISHED)
    return {**tree, "__init__.py": tree["__init__.py"] + FIFO_DATABASE}


def records(out):
    return {r["learner"]: r for r in map(json.loads, (out / "results.jsonl").read_text(encoding="utf-8").splitlines())}


pytestmark = pytest.mark.skipif(not LINUX, reason="the lanes' clean-up and the caps need Linux")


def test_a_judge_that_hangs_costs_its_own_row_and_the_grader_finishes(tmp_path):
    folder, out = tmp_path / "submissions", tmp_path / "out"
    write_app(folder / "hangs-the-judge", hangs_the_judge())
    write_app(folder / "victim", app(FINISHED))
    started = time.monotonic()
    run = grader(folder, "--out", out, "-j", 2, "--timeout", TIMEOUT, env=instructor_env(tmp_path))
    run.communicate(timeout=lanes.deadline(Options(Limits(seconds=TIMEOUT))) + 120)
    assert run.returncode == 0 and (out / "grades.csv").exists() and (out / "report.html").exists()
    assert time.monotonic() - started < lanes.deadline(Options(Limits(seconds=TIMEOUT))) + 60
    hanging, victim = records(out)["hangs-the-judge"], records(out)["victim"]
    assert hanging["status"] == "error" and hanging["message"].startswith("The checks were stopped after "), hanging
    assert victim["status"] == "ok" and all(r["passed"] for r in victim["results"]) and len(victim["results"]) == FULL
    assert {row["learner"]: row["points"] for row in read_csv(out / "grades.csv")} == {"hangs-the-judge": "", "victim": str(FULL)}
    assert processes_mentioning(str(tmp_path)) == [], "the killed lane took everything it started with it"
    assert not list((tmp_path / "tmp").iterdir()), "and its folders are removed"


def test_ctrl_c_stops_the_run_at_once_and_resume_goes_on(tmp_path):
    folder, out = tmp_path / "submissions", tmp_path / "out"
    write_app(folder / "a-first", app(FINISHED))
    write_app(folder / "b-hangs-the-judge", hangs_the_judge())
    write_app(folder / "c-last", app(3))
    env = instructor_env(tmp_path)
    run = grader(folder, "--out", out, "-j", 1, "--timeout", TIMEOUT, env=env)
    journal = out / "results.jsonl"
    waited = time.monotonic() + 120
    while time.monotonic() < waited and (not journal.exists() or journal.read_text().count("\n") < 1):
        time.sleep(0.05)
    time.sleep(5)  # the second row's judge now waits on the FIFO
    asked = time.monotonic()
    run.send_signal(signal.SIGINT)
    _, stderr = run.communicate(timeout=30)
    assert time.monotonic() - asked < 5, "Ctrl+C ends the run within a few seconds"
    assert run.returncode == 130 and "run again with --resume" in stderr
    assert list(records(out)) == ["a-first"], "the finished row is kept"
    assert processes_mentioning(str(tmp_path)) == [] and not list((tmp_path / "tmp").iterdir())

    write_app(folder / "b-hangs-the-judge", app(FINISHED))  # fixed by its learner meanwhile
    resumed = grader(folder, "--out", out, "-j", 1, "--timeout", TIMEOUT, "--resume", env=env)
    _, stderr = resumed.communicate(timeout=300)
    assert resumed.returncode == 0, stderr
    assert "Reusing 1 finished result(s); grading 2." in stderr
    assert {row["learner"]: row["points"] for row in read_csv(out / "grades.csv")} == {
        "a-first": str(FULL), "b-hangs-the-judge": str(FULL), "c-last": str(sum(c.step <= 3 for c in CHECKS))}
