"""Fixtures for the app's tests, in the style of the Flask tutorial."""

import os

import pytest

from part1_basic_app import create_app


@pytest.fixture
def app(tmp_path):
    """A new app with an empty database for every test."""
    database_file = os.path.join(tmp_path, "testing.sqlite")
    test_config = {}
    test_config["TESTING"] = True
    test_config["DATABASE"] = database_file
    test_config["SECRET_KEY"] = "testing-key"
    test_config["WTF_CSRF_ENABLED"] = False
    app = create_app(test_config)
    return app


@pytest.fixture
def client(app):
    """A test client for the app."""
    client = app.test_client()
    return client
