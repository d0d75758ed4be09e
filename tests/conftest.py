"""Fixtures shared by the repository's tests."""

import shutil

import pytest

from workshop import APP_NAME
from workshop import ROOT
from workshop.board import client as board_client


@pytest.fixture(scope="session")
def starter_parent(tmp_path_factory):
    """A temporary folder holding a copy of the committed starter ``part1_basic_app/``."""
    parent = tmp_path_factory.mktemp("starter")
    shutil.copytree(ROOT / APP_NAME, parent / APP_NAME, ignore=shutil.ignore_patterns("__pycache__", "instance"))
    return parent


@pytest.fixture
def secret_file(tmp_path, monkeypatch):
    """Where a learner who joins the class board keeps the secret, in a temporary folder.

    Afterwards, the test waits for the reports still on their way to the board.
    """
    path = tmp_path / "learner" / ".class-board.json"
    path.parent.mkdir()
    monkeypatch.setattr(board_client, "SECRET_FILE", path)
    yield path
    for child in board_client.sending:
        child.wait(10)



# The longest modules first, so that with pytest-xdist no worker starts one of them last.
LONGEST_FIRST = ("tests/lite/test_lite_browser.py::test_every_notebook", "tests/lite/", "tests/judge/test_mistakes.py",
                 "tests/grading/test_grading.py", "tests/grading/test_gradescope.py", "tests/jail/test_jail_wall.py",
                 "tests/notebooks/")
ONE_BY_ONE = "tests/lite/test_lite_browser.py"


def pytest_collection_modifyitems(items):
    def rank(item):
        return next((n for n, prefix in enumerate(LONGEST_FIRST) if item.nodeid.startswith(prefix)), len(LONGEST_FIRST))

    items.sort(key=rank)


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config, log):
    """Under pytest-xdist (``-n N``, as ``python3 -m workshop test`` runs it), a module's tests stay on one worker, so
    its module-wide fixtures are made once; the browser edition's tests in Chromium, each minutes long, go one by
    one (each worker builds the site once)."""
    from xdist.scheduler import LoadScopeScheduling

    class ByModule(LoadScopeScheduling):
        def _split_scope(self, nodeid):
            return nodeid if nodeid.startswith(ONE_BY_ONE) else nodeid.split("::", 1)[0]

    return ByModule(config, log)
