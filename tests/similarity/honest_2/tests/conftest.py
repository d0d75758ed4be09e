"""Fixtures for the app's tests, in the style of the Flask tutorial."""

import pytest

from part1_basic_app import create_app


@pytest.fixture()
def app(tmp_path):
    config = {"TESTING": True, "SECRET_KEY": "not-a-secret", "WTF_CSRF_ENABLED": False}
    config["DATABASE"] = tmp_path / "notes.sqlite"
    yield create_app(config)


@pytest.fixture()
def client(app):
    with app.test_client() as c:
        yield c
