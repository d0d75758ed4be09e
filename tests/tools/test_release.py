"""The starter and checkpoints are generated from the solution's marked regions."""

import pytest

from workshop import APP_NAME
from workshop import ROOT
from workshop.apptree import read_tree
from workshop.apptree import write_tree
from workshop.cli.release import main
from workshop.release import MarkerError
from workshop.release import render_text
from workshop.release import render_tree

REGION = """keep
# SOLUTION step 3
three
# SOLUTION step 1
one
# STARTER
todo
# END SOLUTION
end
"""


@pytest.mark.parametrize("step, middle", [(0, "todo"), (1, "one"), (2, "one"), (3, "three"), (6, "three")])
def test_a_region_resolves_to_the_latest_variant_done(step, middle):
    assert render_text(REGION, step) == f"keep\n{middle}\nend\n"


def test_template_markers_work_like_python_ones():
    text = "a\n{# SOLUTION step 2 #}\nsolved\n{# STARTER #}\n{# TODO #}\n{# END SOLUTION #}\n"
    assert render_text(text, 0) == "a\n{# TODO #}\n"
    assert render_text(text, 2) == "a\nsolved\n"


def test_a_region_without_a_starter_disappears_before_its_step():
    assert render_text("a\n# SOLUTION step 6\nb\n# END SOLUTION\n", 5) == "a\n"


@pytest.mark.parametrize("text", [
    "# SOLUTION step 2\nx\n",
    "# END SOLUTION\n",
    "# SOLUTION step 1\nx\n# SOLUTION step 2\ny\n# END SOLUTION\n",
])
def test_malformed_markers_are_refused(text):
    with pytest.raises(MarkerError):
        render_text(text, 0)


def test_the_committed_starter_is_what_release_generates():
    expected, committed = render_tree(0), read_tree(ROOT / APP_NAME)
    assert committed == expected, (
        "part1_basic_app/ differs from the solution's starter: run `python3 -m workshop release --force`"
    )


@pytest.mark.parametrize("step", range(7))
def test_no_marker_is_left_in_a_generated_copy(step):
    for path, text in render_tree(step).items():
        assert "SOLUTION step" not in text and "END SOLUTION" not in text, path


def test_every_todo_names_an_existing_notebook():
    for path, text in render_tree(0).items():
        for notebook in set(part.split(")")[0] for part in text.split("(notebooks/")[1:]):
            assert (ROOT / "notebooks" / notebook).exists(), f"{path} names notebooks/{notebook}"


def test_release_refuses_to_replace_a_changed_app(tmp_path, capsys):
    write_tree(render_tree(3), tmp_path / APP_NAME)
    assert main(["--app-parent", str(tmp_path)]) == 1
    assert "--force" in capsys.readouterr().out
    assert read_tree(tmp_path / APP_NAME) == render_tree(3)
    assert not list(tmp_path.glob(f"{APP_NAME}.backup-*"))


def test_release_with_force_keeps_a_backup_of_the_changed_app(tmp_path, capsys):
    write_tree(render_tree(3), tmp_path / APP_NAME)
    assert main(["--force", "--app-parent", str(tmp_path)]) == 0
    [saved] = tmp_path.glob(f"{APP_NAME}.backup-*")
    assert read_tree(saved) == render_tree(3) and saved.name in capsys.readouterr().out
    assert read_tree(tmp_path / APP_NAME) == render_tree(0)


@pytest.mark.parametrize("existing", [None, 0])
def test_release_writes_a_missing_or_unchanged_starter_without_a_backup(tmp_path, existing):
    if existing is not None:
        write_tree(render_tree(existing), tmp_path / APP_NAME)
    assert main(["--app-parent", str(tmp_path)]) == 0
    assert read_tree(tmp_path / APP_NAME) == render_tree(0)
    assert not list(tmp_path.glob(f"{APP_NAME}.backup-*"))
