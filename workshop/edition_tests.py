"""The learner's tools work in this copy of the workshop: ``python3 -m workshop test``.

These tests check the workshop, not your app: every self-check gives a verdict on your app,
whatever it is, and ``catchup`` writes each step your instructor made available and says so
past them. Whether your app is done is what ``python3 -m workshop check all`` tells.
"""

import pytest

from workshop import APP_NAME
from workshop import ROOT
from workshop import selfcheck
from workshop import STEPS
from workshop.apptree import read_tree
from workshop.catchup import available_steps
from workshop.catchup import catch_up
from workshop.catchup import checkpoint
from workshop.cli.catchup import main
from workshop.judge import CHECKS


@pytest.mark.parametrize("step", STEPS)
def test_every_self_check_gives_your_app_a_verdict(step):
    results = selfcheck.run(step, ROOT)
    assert [r["name"] for r in results] == [c.name for c in CHECKS if c.step == step]
    assert all(r["passed"] or r["message"] for r in results)


def test_catchup_writes_each_step_your_instructor_made_available(tmp_path):
    for step in available_steps():
        catch_up(step, tmp_path)
        assert read_tree(tmp_path / APP_NAME) == checkpoint(step)


def test_the_last_available_step_passes_its_self_checks(tmp_path):
    last = max(available_steps())
    catch_up(last, tmp_path)
    assert all(r["passed"] for step in range(1, last + 1) for r in selfcheck.run(step, tmp_path))


def test_catchup_past_the_last_available_step_says_it_is_turned_off(tmp_path, capsys):
    later = [step for step in STEPS if step not in available_steps()]
    if not later:
        pytest.skip("every step is available")
    assert main([str(later[0]), "--app-parent", str(tmp_path)]) == 1
    assert "turned off" in capsys.readouterr().out
    assert not (tmp_path / APP_NAME).exists()
