"""Tests for the notes app, run with: python -m pytest part1_basic_app/tests"""

# SOLUTION step 5
import re

from flask import session

from part1_basic_app import db


def test_hello_escapes_the_name(client):
    response = client.get("/hello/<em>Ada")
    assert response.status_code == 200
    assert b"Hello, &lt;em&gt;Ada!" in response.data


def test_create_then_list_notes(client):
    response = client.post("/api/notes", json={"title": "Milk", "body": "2 litres"})
    assert response.status_code == 201
    assert response.headers["Location"] == f"/api/notes/{response.json['id']}"
    assert [note["title"] for note in client.get("/api/notes").json] == ["Milk"]


def test_invalid_note_is_refused(client):
    response = client.post("/api/notes", json={"title": ""})
    assert response.status_code == 400
    assert "error" in response.json
    assert client.get("/api/notes").json == []


def test_unknown_note_is_404(client):
    assert client.get("/api/notes/42").status_code == 404


def test_form_redirects_and_flashes(client):
    response = client.post("/notes", data={"title": "Eggs", "body": ""}, follow_redirects=True)
    assert response.request.path == "/notes"
    assert b"Eggs" in response.data
    assert b"Added the note" in response.data
    assert b"Added the note" not in client.get("/notes").data


def test_login_and_logout(client):
    client.post("/login", data={"name": "Ada"})
    assert b"Signed in as <strong>Ada</strong>" in client.get("/").data
    client.post("/logout")
    assert b"Signed in as" not in client.get("/").data


def test_login_keeps_the_name_in_the_session(client):
    with client:  # the request stays open after it is answered: session and g can be read
        client.post("/login", data={"name": "Ada"})
        assert session["name"] == "Ada"


def test_a_name_in_the_session_is_shown(client):
    with client.session_transaction() as stored:  # write the session cookie before a request
        stored["name"] = "Grace"
    assert b"Signed in as <strong>Grace</strong>" in client.get("/").data


def test_the_form_stores_the_note_in_the_database(app, client):
    client.post("/notes", data={"title": "Eggs", "body": "a dozen"})
    with app.app_context():  # db functions need the app, as in a request
        assert [(note["title"], note["body"]) for note in db.list_notes()] == [("Eggs", "a dozen")]


def test_init_db_empties_the_database(app, client):
    client.post("/api/notes", json={"title": "Milk"})
    with app.app_context():  # `flask init-db` runs in one; the test runner does not push it
        result = app.test_cli_runner().invoke(args=["init-db"])
    assert "Initialized the database." in result.output
    assert client.get("/api/notes").json == []


def test_a_form_without_the_csrf_token_is_refused(app, client):
    app.config["WTF_CSRF_ENABLED"] = True  # the fixture turned it off; here it is what is tested
    assert client.post("/notes", data={"title": "Planted"}).status_code == 400
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/notes").text)[1]
    assert client.post("/notes", data={"title": "Mine", "csrf_token": token}).status_code == 303
    assert [note["title"] for note in client.get("/api/notes").json] == ["Mine"]
# STARTER
# TODO step 5 (notebooks/05_testing.ipynb): write test functions that use the
# client fixture, for example:
#   - /hello/<name> escapes HTML in the name;
#   - POST /api/notes answers 201 and the note is then listed by GET /api/notes;
#   - an invalid note is refused with 400;
#   - the notes form redirects and shows a flash message once.
# END SOLUTION
