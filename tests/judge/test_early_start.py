"""The app process of a terminal self-check, started before the judge is imported (workshop/early.py)."""

import os
import resource
import subprocess
import sys

import pytest

from workshop import early
from workshop import ROOT
from workshop import STEPS
from workshop.jail import sandbox
from workshop.judge import judge
from workshop.judge import sessions
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


@pytest.mark.parametrize("step", STEPS)
def test_flask_is_imported_ahead_for_the_steps_whose_checks_open_the_session_cookie(step):
    """A terminal self-check imports Flask while its app process starts for those steps only (cli/check.py):
    their checks import it anyway, the others never do."""
    code = ("import sys; from workshop import selfcheck; selfcheck.run(int(sys.argv[1]), sys.argv[2]);"
            " print('flask.sessions' in sys.modules)")
    said = subprocess.run([sys.executable, "-c", code, str(step), str(SOLUTIONS)], cwd=ROOT, capture_output=True,
                          text=True, timeout=60).stdout.split()[-1:]
    assert said == [str(step in sessions.STEPS)]


@pytest.mark.parametrize(("step", "expected"), [(1, ["run"]), (3, ["Flask imported", "run"])])
def test_a_terminal_self_check_imports_flask_before_its_checks_where_they_need_it(monkeypatch, step, expected):
    from workshop import selfcheck
    from workshop.cli import check

    events = []
    monkeypatch.setattr(sessions, "import_flask", lambda: events.append("Flask imported"))
    monkeypatch.setattr(selfcheck, "run", lambda *args, **kwargs: events.append("run") or [])
    monkeypatch.setattr(check, "start", lambda app_parent: "an early app process")
    check.main([str(step), "--app-parent", str(SOLUTIONS)])
    assert events == expected
