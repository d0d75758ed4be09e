"""Step 2, routing and REST: the JSON notes API."""

from . import expect
from .core import check

API = "part1_basic_app/api.py, TODO step 2"
NOTE_KEYS = {"id", "title", "body", "created"}

BAD_BODIES = [
    ("malformed JSON", {"data": '{"title": ', "content_type": "application/json"}),
    ("a JSON list", {"json": ["title"]}),
    ("JSON null", {"data": "null", "content_type": "application/json"}),
    ("no title", {"json": {"body": "text"}}),
    ("an empty title", {"json": {"title": "   "}}),
    ("a title of 201 characters", {"json": {"title": "x" * 201}}),
    ("a number as title", {"json": {"title": 5}}),
    ("a list as body", {"json": {"title": "ok", "body": []}}),
    ("an unknown field", {"json": {"title": "ok", "colour": "red"}}),
]


def create(client, **note):
    """POST a note and return the response, asserting 201."""
    response = client.post("/api/notes", json=note)
    expect.status(response, 201, f"POST /api/notes with {note}")
    return response


def assert_note(data, request, **fields):
    assert isinstance(data, dict) and NOTE_KEYS <= set(data), (
        f"{request} should return the note as a JSON object with {sorted(NOTE_KEYS)}, got {str(data)[:160]}"
    )
    for key, value in fields.items():
        assert data[key] == value, f"{request} returned {key}={data[key]!r}, expected {value!r}."


@check(2, API)
def list_starts_empty(client):
    """GET /api/notes answers 200 with a JSON list: [] for a new database."""
    response = client.get("/api/notes")
    expect.status(response, 200, "GET /api/notes")
    data = expect.json_body(response, "GET /api/notes")
    assert data == [], f"GET /api/notes on an empty database should return [], got {str(data)[:160]}"


@check(2, API)
def create_answers_201_with_location(client):
    """POST /api/notes answers 201 with the note and a Location header; the list then holds it."""
    response = create(client, title="Milk", body="2 litres")
    data = expect.json_body(response, "POST /api/notes")
    assert_note(data, "POST /api/notes", title="Milk", body="2 litres")
    location = response.headers.get("Location", "")
    assert location.endswith(f"/api/notes/{data['id']}"), (
        f"POST /api/notes should send a Location header naming /api/notes/{data['id']}, got {location or 'none'}."
        " Use url_for('api.get_note', note_id=...)."
    )
    listed = expect.json_body(client.get("/api/notes"), "GET /api/notes")
    assert [n.get("title") for n in listed] == ["Milk"], f"After one POST, GET /api/notes returned {str(listed)[:160]}"
    untitled = expect.json_body(create(client, title="Bread"), "POST /api/notes")
    assert untitled.get("body") == "", "A note posted without a body should get the body \"\"."


@check(2, API)
def get_one_note_or_404(client):
    """GET /api/notes/<id> answers the note; an unknown id answers 404 with JSON."""
    note = create(client, title="Tea").get_json()
    response = client.get(f"/api/notes/{note['id']}")
    expect.status(response, 200, f"GET /api/notes/{note['id']}")
    assert_note(expect.json_body(response, "GET /api/notes/<id>"), "GET /api/notes/<id>", title="Tea")
    for note_id in (note["id"] + 1, 99999999999999999999):
        response = client.get(f"/api/notes/{note_id}")
        expect.status(response, 404, f"GET /api/notes/{note_id}")
        assert "error" in expect.json_body(response, f"GET /api/notes/{note_id}"), "A 404 from the API should be JSON: {\"error\": ...}."


@check(2, API)
def bad_input_answers_400(client):
    """Bad JSON bodies (malformed, not an object, bad title or body, unknown fields) answer 400 and store nothing."""
    for what, body in BAD_BODIES:
        response = client.post("/api/notes", **body)
        expect.status(response, 400, f"POST /api/notes with {what}")
        assert "error" in expect.json_body(response, f"POST /api/notes with {what}"), (
            f"POST /api/notes with {what} should explain the problem in JSON: {{\"error\": ...}}."
        )
    response = client.post("/api/notes", data={"title": "form"})
    expect.status(response, (400, 415), "POST /api/notes with a form body instead of JSON")
    listed = expect.json_body(client.get("/api/notes"), "GET /api/notes")
    assert listed == [], f"Refused requests must store nothing, but GET /api/notes now returns {str(listed)[:160]}"


@check(2, API)
def put_replaces_a_note(client):
    """PUT /api/notes/<id> replaces title and body (200); unknown id 404; bad body 400 and no change."""
    note = create(client, title="Old", body="old body").get_json()
    url = f"/api/notes/{note['id']}"
    response = client.put(url, json={"title": "New"})
    expect.status(response, 200, f"PUT {url}")
    assert_note(expect.json_body(response, f"PUT {url}"), f"PUT {url}", id=note["id"], title="New", body="")
    expect.status(client.put(url, json={"title": ""}), 400, f"PUT {url} with an empty title")
    stored = client.get(url).get_json()
    assert stored and stored.get("title") == "New", "A refused PUT must leave the note unchanged."
    expect.status(client.put(f"/api/notes/{note['id'] + 1}", json={"title": "x"}), 404, "PUT to an unknown note")


@check(2, API)
def delete_answers_204(client):
    """DELETE /api/notes/<id> answers 204 with an empty body; the note is gone; again answers 404."""
    note = create(client, title="Bin me").get_json()
    url = f"/api/notes/{note['id']}"
    response = client.delete(url)
    expect.status(response, 204, f"DELETE {url}")
    assert response.data == b"", "A 204 No Content answer must have an empty body."
    expect.status(client.get(url), 404, f"GET {url} after deleting it")
    expect.status(client.delete(url), 404, f"DELETE {url} a second time")
