"""Tests of the JSON notes API (step 2)."""

# SOLUTION step 5
import pytest


def test_create_then_list_notes(client):
    response = client.post("/api/notes", json={"title": "Milk", "body": "2 litres"})
    assert response.status_code == 201
    assert response.headers["Location"] == f"/api/notes/{response.json['id']}"
    assert [note["title"] for note in client.get("/api/notes").json] == ["Milk"]


@pytest.mark.parametrize(
    ("data", "message"),
    (
        ({"title": ""}, "A title is required"),
        ({"title": "x" * 201}, "The title is too long"),
        ({"title": "Milk", "body": 2}, "The body must be a string"),
        ({"title": "Milk", "colour": "white"}, "Unknown field(s): colour"),
    ),
)
def test_create_validate_input(client, data, message):
    response = client.post("/api/notes", json=data)
    assert response.status_code == 400
    assert message in response.json["error"]
    assert client.get("/api/notes").json == []


def test_update(client):
    client.post("/api/notes", json={"title": "Milk"})
    response = client.put("/api/notes/1", json={"title": "Oat milk", "body": "1 litre"})
    assert response.status_code == 200
    assert (response.json["title"], response.json["body"]) == ("Oat milk", "1 litre")
    assert client.get("/api/notes/1").json["title"] == "Oat milk"


def test_delete(client):
    client.post("/api/notes", json={"title": "Milk"})
    response = client.delete("/api/notes/1")
    assert response.status_code == 204
    assert client.get("/api/notes").json == []


@pytest.mark.parametrize("method", ("GET", "PUT", "DELETE"))
def test_unknown_note_is_404(client, method):
    response = client.open("/api/notes/42", method=method, json={"title": "Milk"})
    assert response.status_code == 404
# STARTER
# TODO step 5 (notebooks/05_testing.ipynb): test the JSON API, for example that
#   - POST /api/notes answers 201 and the note is then listed by GET /api/notes;
#   - an invalid note is refused with 400;
#   - an unknown note is 404.
# END SOLUTION
