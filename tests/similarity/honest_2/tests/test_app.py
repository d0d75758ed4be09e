"""Tests for the notes app, run with: python -m pytest part1_basic_app/tests"""

import pytest


def test_home_says_hello(client):
    assert "Hello, Flask!" in client.get("/").get_data(as_text=True)


@pytest.mark.parametrize("name", ["<script>x</script>", "<i>bold"])
def test_name_is_escaped(client, name):
    text = client.get(f"/hello/{name}").get_data(as_text=True)
    assert name not in text


def test_post_then_get(client):
    created = client.post("/api/notes", json={"title": "Buy bread"})
    assert created.status_code == 201
    note_id = created.get_json()["id"]
    assert client.get(f"/api/notes/{note_id}").get_json()["title"] == "Buy bread"


@pytest.mark.parametrize("payload", [{}, {"title": 3}, {"title": "x", "colour": "red"}, []])
def test_bad_notes_answer_400(client, payload):
    assert client.post("/api/notes", json=payload).status_code == 400


def test_delete_twice(client):
    note_id = client.post("/api/notes", json={"title": "gone"}).get_json()["id"]
    assert client.delete(f"/api/notes/{note_id}").status_code == 204
    assert client.delete(f"/api/notes/{note_id}").status_code == 404


def test_login_remembers_name(client):
    client.post("/login", data={"name": "Grace"})
    assert "Signed in as" in client.get("/").get_data(as_text=True)
