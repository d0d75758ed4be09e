"""Tests of the notes page: its form, the redirect and the flash message (step 3), its CSRF token (step 4)."""

# SOLUTION step 5
import re

import pytest

from part1_basic_app import db


def test_create(app, client):
    response = client.post("/notes", data={"title": "Eggs", "body": "a dozen"})
    assert response.status_code == 303
    assert response.headers["Location"] == "/notes"
    with app.app_context():  # db functions need the app, as in a request
        assert [(note["title"], note["body"]) for note in db.list_notes()] == [("Eggs", "a dozen")]


def test_form_redirects_and_flashes_once(client):
    response = client.post("/notes", data={"title": "Eggs", "body": ""}, follow_redirects=True)
    assert response.request.path == "/notes"
    assert b"Eggs" in response.data
    assert b"Added the note" in response.data
    assert b"Added the note" not in client.get("/notes").data


@pytest.mark.parametrize(
    ("title", "message"),
    (("", b"A title is required"), ("x" * 201, b"The title is too long")),
)
def test_form_validate_input(client, title, message):
    response = client.post("/notes", data={"title": title, "body": "kept"})
    assert response.status_code == 400
    assert message in response.data
    assert b">kept</textarea>" in response.data  # the form keeps what was typed


def test_a_form_without_the_csrf_token_is_refused(app, client):
    app.config["WTF_CSRF_ENABLED"] = True  # the fixture turned it off; here it is what is tested
    assert client.post("/notes", data={"title": "Planted"}).status_code == 400
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/notes").text)[1]
    assert client.post("/notes", data={"title": "Mine", "csrf_token": token}).status_code == 303
    assert [note["title"] for note in client.get("/api/notes").json] == ["Mine"]
# STARTER
# TODO step 5 (notebooks/05_testing.ipynb): test the notes page, for example
# that the form redirects and shows a flash message once.
# END SOLUTION
