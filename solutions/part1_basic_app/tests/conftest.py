"""Fixtures for the app's tests, in the style of the Flask tutorial."""

import pytest

from part1_basic_app import create_app


# SOLUTION step 5
@pytest.fixture
def app(tmp_path):
    """A fresh app for each test, with its own empty database; forms are posted without CSRF tokens."""
    return create_app({
        "TESTING": True,
        "DATABASE": str(tmp_path / "notes.sqlite"),
        "SECRET_KEY": "test",
        "WTF_CSRF_ENABLED": False,
    })


@pytest.fixture
def client(app):
    """A test client: sends requests to the app without a server."""
    return app.test_client()
# STARTER
# TODO step 5 (notebooks/05_testing.ipynb): write two fixtures.
#   app:    create_app({...}) with TESTING=True, a DATABASE file in tmp_path
#           a SECRET_KEY and WTF_CSRF_ENABLED=False (the tests post forms
#           without the CSRF token), so that every test starts from an empty database;
#   client: app.test_client().
# END SOLUTION
