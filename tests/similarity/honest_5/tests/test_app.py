"""Tests for the notes app, run with: python -m pytest part1_basic_app/tests"""

import pytest
from flask import session


def test_login_keeps_name(client, auth):
    with client:
        auth.login()
        assert session["name"] == "Lin"
        auth.logout()
        assert "name" not in session


@pytest.mark.parametrize(("name", "status"), [("", 400), ("x" * 51, 400), ("Lin", 303)])
def test_login_validates_name(auth, name, status):
    assert auth.login(name).status_code == status


def test_put_changes_note(client):
    location = client.post("/api/notes", json={"title": "old"}).location
    assert client.put(location, json={"title": "new", "body": "b"}).get_json()["body"] == "b"


def test_unknown_api_path_is_json(client):
    assert client.get("/api/nothing").is_json
