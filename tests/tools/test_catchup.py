"""Catching up keeps the learner's work and gives a working app after the step."""

import io
import json
import subprocess
import sys

import pytest

from workshop import APP_NAME
from workshop import catchup
from workshop import ROOT
from workshop.catchup import catch_up
from workshop.cli.catchup import main
from workshop.release import render_tree
from workshop.release import write_tree


def test_catch_up_saves_the_learner_folder_and_passes_the_steps_done(tmp_path, capsys):
    write_tree(render_tree(0), tmp_path / APP_NAME)
    (tmp_path / APP_NAME / "pages.py").write_text("# my own attempt\n")
    assert main(["3", "--app-parent", str(tmp_path)]) == 0
    said = capsys.readouterr().out
    backups = list(tmp_path.glob(f"{APP_NAME}.backup-*"))
    assert len(backups) == 1 and (backups[0] / "pages.py").read_text() == "# my own attempt\n"
    assert "To undo" in said and backups[0].name in said
    done = subprocess.run(
        [sys.executable, "-m", "workshop.judge", str(tmp_path), "--steps", "1", "2", "3", "4"],
        cwd=ROOT, capture_output=True, text=True, timeout=120, check=True,
    )
    results = json.loads(done.stdout)
    assert all(r["passed"] for r in results if r["step"] <= 3)
    assert not any(r["passed"] for r in results if r["step"] == 4)


def test_two_catch_ups_in_one_second_keep_both_backups(tmp_path):
    write_tree(render_tree(0), tmp_path / APP_NAME)
    first = catch_up(1, tmp_path)
    second = catch_up(2, tmp_path)
    assert first != second and first.exists() and second.exists()


def test_catch_up_without_a_folder_creates_it(tmp_path):
    assert catch_up(6, tmp_path) is None
    assert (tmp_path / APP_NAME / "errors.py").exists()


class Terminal(io.StringIO):
    """Standard input as a terminal where the learner types ``answer``."""

    def isatty(self):
        return True


def test_an_app_that_passes_later_steps_is_kept_without_a_terminal(tmp_path, capsys, monkeypatch):
    write_tree(render_tree(6), tmp_path / APP_NAME)
    monkeypatch.setattr("sys.stdin", io.StringIO(""))  # not a terminal: no one to ask
    assert main(["3", "--app-parent", str(tmp_path)]) != 0
    said = capsys.readouterr().out
    assert "already passes the self-check of steps 4, 5, 6" in said and "--yes" in said
    assert not list(tmp_path.glob(f"{APP_NAME}.backup-*"))
    assert (tmp_path / APP_NAME / "errors.py").read_text() == render_tree(6)["errors.py"]


@pytest.mark.parametrize("answer, caught_up", [("y\n", True), ("\n", False), ("no\n", False)])
def test_the_learner_is_asked_before_later_work_is_replaced(tmp_path, capsys, monkeypatch, answer, caught_up):
    write_tree(render_tree(6), tmp_path / APP_NAME)
    monkeypatch.setattr(catchup, "later_steps_passed", lambda step, app_parent: [4, 5, 6])
    monkeypatch.setattr("sys.stdin", Terminal(answer))
    assert (main(["3", "--app-parent", str(tmp_path)]) == 0) is caught_up
    assert "Go on? [y/N]" in capsys.readouterr().out
    assert bool(list(tmp_path.glob(f"{APP_NAME}.backup-*"))) is caught_up


def test_yes_catches_up_without_asking(tmp_path, capsys, monkeypatch):
    write_tree(render_tree(6), tmp_path / APP_NAME)
    monkeypatch.setattr(catchup, "later_steps_passed", lambda step, app_parent: pytest.fail("checked the later steps"))
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    assert main(["3", "--yes", "--app-parent", str(tmp_path)]) == 0
    assert "after step 3" in capsys.readouterr().out
