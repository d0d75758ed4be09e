"""Tests for the notes app, run with: python -m pytest part1_basic_app/tests"""


def test_hello_escapes_html(client):
    response = client.get("/hello/<b>Ada")
    assert response.status_code == 200
    assert b"<b>Ada" not in response.data
    assert b"&lt;b&gt;Ada" in response.data


def test_created_note_is_listed(client):
    response = client.post("/api/notes", json={"title": "Milk", "body": "2 litres"})
    assert response.status_code == 201
    assert response.headers["Location"].endswith(f"/api/notes/{response.json['id']}")
    listed = client.get("/api/notes").json
    assert [note["title"] for note in listed] == ["Milk"]


def test_invalid_note_is_refused(client):
    response = client.post("/api/notes", json={"title": ""})
    assert response.status_code == 400
    assert client.get("/api/notes").json == []


def test_form_redirects_and_flashes_once(client):
    response = client.post("/notes", data={"title": "Tea", "body": ""})
    assert response.status_code == 302
    page = client.get("/notes")
    assert b"Saved the note" in page.data
    assert b"Saved the note" not in client.get("/notes").data


def test_unknown_note_is_404(client):
    assert client.get("/api/notes/999").status_code == 404
