"""Fixtures for the app's tests, as the Flask tutorial's tests have them."""

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


@pytest.fixture
def runner(app):
    """A test runner for the app's Click commands, such as init-db."""
    return app.test_cli_runner()


class AuthActions:
    """Signing in and out with the client, as a visitor does with the forms."""

    def __init__(self, client):
        self._client = client

    def login(self, name="Ada"):
        return self._client.post("/login", data={"name": name})

    def logout(self):
        return self._client.post("/logout")


@pytest.fixture
def auth(client):
    """Sign in and out in a test: auth.login(), auth.logout()."""
    return AuthActions(client)
# STARTER
# TODO step 5 (notebooks/05_testing.ipynb): write two fixtures.
#   app:    create_app({...}) with TESTING=True, a DATABASE file in tmp_path
#           a SECRET_KEY and WTF_CSRF_ENABLED=False (the tests post forms
#           without the CSRF token), so that every test starts from an empty database;
#   client: app.test_client().
# The notebook shows two more that the Flask tutorial has, runner and auth.
# END SOLUTION
