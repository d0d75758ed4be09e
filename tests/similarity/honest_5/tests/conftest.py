"""Fixtures for the app's tests, in the style of the Flask tutorial."""

import pytest

from part1_basic_app import create_app

SETTINGS = {"TESTING": True, "SECRET_KEY": "s3cret", "WTF_CSRF_ENABLED": False}


@pytest.fixture(name="app")
def app_fixture(tmp_path):
    return create_app({**SETTINGS, "DATABASE": tmp_path / "t.db"})


@pytest.fixture(name="client")
def client_fixture(app):
    return app.test_client()


class Auth:
    def __init__(self, client):
        self.client = client

    def login(self, name="Lin"):
        return self.client.post("/login", data={"name": name})

    def logout(self):
        return self.client.post("/logout")


@pytest.fixture
def auth(client):
    return Auth(client)
