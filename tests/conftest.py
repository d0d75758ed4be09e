"""Fixtures shared by the repository's tests."""

import shutil

import pytest

from workshop import APP_NAME, ROOT


@pytest.fixture(scope="session")
def starter_parent(tmp_path_factory):
    """A temporary folder holding a copy of the committed starter ``part1_basic_app/``."""
    parent = tmp_path_factory.mktemp("starter")
    shutil.copytree(ROOT / APP_NAME, parent / APP_NAME, ignore=shutil.ignore_patterns("__pycache__", "instance"))
    return parent
