"""The browser edition's downloads (workshop/pyodide_dist.py) are put in place whole, even by two builds at once."""

from workshop.pyodide_dist import filled_in_place


def complete(folder):
    return (folder / "done").exists()


def test_a_filled_folder_takes_the_place_of_an_unfinished_one(tmp_path):
    folder = tmp_path / "cache" / "npm"
    folder.mkdir(parents=True)
    (folder / "half-made").write_text("")
    with filled_in_place(folder, complete) as fresh:
        assert not complete(folder)  # nothing is seen until it is filled
        (fresh / "done").write_text("")
    assert sorted(p.name for p in folder.iterdir()) == ["done"]
    assert [p.name for p in folder.parent.iterdir()] == ["npm"]  # no temporary folder left


def test_a_folder_that_another_build_filled_meanwhile_is_kept(tmp_path):
    folder = tmp_path / "npm"
    with filled_in_place(folder, complete) as fresh:
        (fresh / "done").write_text("mine")
        folder.mkdir()
        (folder / "done").write_text("theirs")  # another worker finished first
    assert (folder / "done").read_text() == "theirs"
    assert [p.name for p in tmp_path.iterdir()] == ["npm"]


def test_a_failed_fill_leaves_nothing_behind(tmp_path):
    folder = tmp_path / "npm"
    try:
        with filled_in_place(folder, complete) as fresh:
            (fresh / "partial").write_text("")
            raise RuntimeError("npm failed")
    except RuntimeError:
        pass
    assert list(tmp_path.iterdir()) == []
