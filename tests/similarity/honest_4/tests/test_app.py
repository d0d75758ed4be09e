"""Tests for the notes app, run with: python -m pytest part1_basic_app/tests"""


def test_hello_page(client):
    response = client.get("/hello/Bob")
    assert response.status_code == 200
    assert b"Hello, Bob!" in response.data


def test_hello_escapes(client):
    response = client.get("/hello/<u>Bob")
    assert b"<u>Bob" not in response.data


def test_create_and_list(client):
    response = client.post("/api/notes", json={"title": "First", "body": "text"})
    assert response.status_code == 201
    response = client.get("/api/notes")
    notes = response.get_json()
    assert len(notes) == 1
    assert notes[0]["title"] == "First"


def test_empty_title_is_refused(client):
    response = client.post("/api/notes", json={"title": "", "body": "text"})
    assert response.status_code == 400


def test_flash_shown_once(client):
    response = client.post("/notes", data={"title": "Hi", "body": ""}, follow_redirects=True)
    assert b"The note was added." in response.data
    response = client.get("/notes")
    assert b"The note was added." not in response.data


def test_sign_in_and_out(client):
    client.post("/login", data={"name": "Bob"})
    response = client.get("/")
    assert b"Signed in as Bob" in response.data
    client.post("/logout")
    response = client.get("/")
    assert b"Signed in as" not in response.data
