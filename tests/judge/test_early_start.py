"""The app process of a terminal self-check, started before the judge is imported (workshop/early.py)."""

import os
import resource

import pytest

from workshop import early
from workshop import ROOT
from workshop.jail import sandbox
from workshop.judge import judge
from workshop.judge.core import worst_case_seconds

SOLUTIONS = ROOT / "solutions"
pytestmark = pytest.mark.skipif(not early.POSSIBLE, reason="no prlimit here: the judge starts the app process itself")


def no_spawn(*args, **kwargs):
    raise AssertionError("the judge started an app process of its own")


def test_the_judge_takes_over_the_early_app_process_with_the_run_s_limits(monkeypatch):
    started = early.start(SOLUTIONS)
    monkeypatch.setattr(sandbox, "spawn", no_spawn)
    backstops = []

    def heard(kind, **data):
        if kind == "start":
            backstops.append(resource.prlimit(started.process.pid, resource.RLIMIT_CPU))

    run = judge(SOLUTIONS, [1], emit=heard, early=started)
    assert run.status == "ok" and all(r["passed"] for r in run.results)
    backstop = sandbox.Limits(seconds=worst_case_seconds([1])).rlimits()["RLIMIT_CPU"]
    assert set(backstops) == {(backstop, backstop)}
    assert started.process.poll() is not None  # ended with the run
    assert not os.path.exists(started.workdir)


def test_an_early_app_process_of_another_app_is_ended_unused(tmp_path):
    started = early.start(tmp_path)
    run = judge(SOLUTIONS, [1], early=started)
    assert run.status == "ok" and all(r["passed"] for r in run.results)
    assert started.process.poll() is not None
    assert not os.path.exists(started.workdir)


def test_the_terminal_self_check_passes_with_its_early_app_process(capsys):
    from workshop.cli import check

    assert check.main(["3", "--app-parent", str(SOLUTIONS)]) == 0
    assert "5 of 5 checks pass" in capsys.readouterr().out
