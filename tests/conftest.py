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
