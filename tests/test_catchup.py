"""Catching up keeps the learner's work and gives a working app after the step."""

import json
import subprocess
import sys

from workshop import APP_NAME, ROOT
from workshop.catchup import catch_up, main
from workshop.release import render_tree, write_tree


def test_catch_up_saves_the_learner_folder_and_passes_the_steps_done(tmp_path, capsys):
    write_tree(render_tree(0), tmp_path / APP_NAME)
    (tmp_path / APP_NAME / "pages.py").write_text("# my own attempt\n")
    assert main(["3", "--app-parent", str(tmp_path)]) == 0
    said = capsys.readouterr().out
    backups = list(tmp_path.glob(f"{APP_NAME}.backup-*"))
    assert len(backups) == 1 and (backups[0] / "pages.py").read_text() == "# my own attempt\n"
    assert "To undo" in said and backups[0].name in said
    done = subprocess.run(
        [sys.executable, "-m", "workshop.checks", str(tmp_path), "--steps", "1", "2", "3", "4"],
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
