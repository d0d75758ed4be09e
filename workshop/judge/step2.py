"""Step 2, routing and REST: the JSON notes API."""

from . import expect
from .core import check
from .notes import add_note
from .notes import stored_notes

API_PY = "part1_basic_app/api.py"
API = f"{API_PY}, TODO step 2"
NOTE_KEYS = {"id", "title", "body", "created"}

# (what is wrong, the request's body, a word the error must hold to say what is wrong, or None)
BAD_BODIES = [
    ("malformed JSON", {"data": '{"title": ', "content_type": "application/json"}, None),
    ("a JSON list", {"json": ["title"]}, None),
    ("JSON null", {"data": "null", "content_type": "application/json"}, None),
    ("no title", {"json": {"body": "text"}}, "title"),
    ("an empty title", {"json": {"title": "   "}}, "title"),
    ("a title of 201 characters", {"json": {"title": "x" * 201}}, "title"),
    ("a number as title", {"json": {"title": 5}}, "title"),
    ("a list as body", {"json": {"title": "ok", "body": []}}, "body"),
    ("an unknown field", {"json": {"title": "ok", "colour": "red"}}, "colour"),
]


def assert_note(data, request, response, **fields):
    expect.that(
        isinstance(data, dict) and NOTE_KEYS <= set(data),
        f"{request} should return the note as a JSON object with {sorted(NOTE_KEYS)}, got {str(data)[:160]}",
        response, [API_PY],
    )
    for key, value in fields.items():
        expect.that(data[key] == value, f"{request} returned {key}={data[key]!r}, expected {value!r}.", response,
                    [API_PY])


@check(2, API)
def list_starts_empty(app, client):
    """GET /api/notes answers 200 with a JSON list: [] for a new database, then every note, oldest first."""
    for titles in ([], ["Milk", "Bread"]):
        for title in titles:
            add_note(app, title)
        response = client.get("/api/notes")
        expect.status(response, 200, "GET /api/notes", [API_PY])
        data = expect.json_body(response, "GET /api/notes", [API_PY])
        expect.that(
            isinstance(data, list) and [n.get("title") if isinstance(n, dict) else n for n in data] == titles,
            f"GET /api/notes with the notes {titles} in the database should return them as a JSON list, got"
            f" {str(data)[:160]}",
            response, [API_PY],
        )
    for note in data:
        assert_note(note, "Each note of GET /api/notes", response)


@check(2, API)
def create_answers_201_with_location(app, client):
    """POST /api/notes answers 201 with the note and a Location header, and stores it."""
    response = client.post("/api/notes", json={"title": "Milk", "body": "2 litres"})
    expect.status(response, 201, "POST /api/notes with a new note", [API_PY])
    data = expect.json_body(response, "POST /api/notes", [API_PY])
    assert_note(data, "POST /api/notes", response, title="Milk", body="2 litres")
    location = response.headers.get("Location", "")
    expect.that(
        location.endswith(f"/api/notes/{data['id']}"),
        f"POST /api/notes should send a Location header naming /api/notes/{data['id']}, got {location or 'none'}."
        " Use url_for('api.get_note', note_id=...).",
        response, [API_PY],
    )
    titles = [n["title"] for n in stored_notes(app)]
    expect.that(titles == ["Milk"], f"After one POST /api/notes, the database holds {titles}, expected ['Milk'].",
                response, [API_PY])
    untitled = client.post("/api/notes", json={"title": "Bread"})
    expect.status(untitled, 201, "POST /api/notes without a body", [API_PY])
    expect.that(
        expect.json_body(untitled, "POST /api/notes", [API_PY]).get("body") == "",
        "A note posted without a body should get the body \"\".", untitled, [API_PY],
    )


@check(2, API)
def get_one_note_or_404(app, client):
    """GET /api/notes/<id> answers the note; an unknown id answers 404 with JSON."""
    note = add_note(app, "Tea")
    response = client.get(f"/api/notes/{note['id']}")
    expect.status(response, 200, f"GET /api/notes/{note['id']}", [API_PY])
    assert_note(expect.json_body(response, "GET /api/notes/<id>", [API_PY]), "GET /api/notes/<id>", response,
                title="Tea")
    for note_id in (note["id"] + 1, 99999999999999999999):
        response = client.get(f"/api/notes/{note_id}")
        expect.status(response, 404, f"GET /api/notes/{note_id}", [API_PY])
        expect.that(
            "error" in expect.json_body(response, f"GET /api/notes/{note_id}", [API_PY]),
            "A 404 from the API should be JSON: {\"error\": ...}.", response, [API_PY],
        )


@check(2, API)
def bad_input_answers_400(app, client):
    """Bad JSON bodies (malformed, not an object, bad or unknown fields) answer 400, say why and store nothing."""
    for what, body, word in BAD_BODIES:
        response = client.post("/api/notes", **body)
        expect.status(response, 400, f"POST /api/notes with {what}", [API_PY])
        data = expect.json_body(response, f"POST /api/notes with {what}", [API_PY])
        expect.that(
            isinstance(data, dict) and "error" in data,
            f"POST /api/notes with {what} should explain the problem in JSON: {{\"error\": ...}}.", response, [API_PY],
        )
        expect.that(
            word is None or word in str(data["error"]).lower(),
            f"POST /api/notes with {what} answered {{\"error\": {str(data['error'])[:100]!r}}}, which does not say"
            " what is wrong: give validate_note's message to abort(400, error).", response, [API_PY],
        )
    response = client.post("/api/notes", data={"title": "form"})
    expect.status(response, (400, 415), "POST /api/notes with a form body instead of JSON", [API_PY])
    titles = [n["title"] for n in stored_notes(app)]
    expect.that(titles == [], f"Refused requests must store nothing, but the database now holds {titles}.", response,
                [API_PY])


@check(2, API)
def put_replaces_a_note(app, client):
    """PUT /api/notes/<id> replaces title and body (200); unknown id 404; bad body 400 and no change."""
    note = add_note(app, "Old", "old body")
    url = f"/api/notes/{note['id']}"
    response = client.put(url, json={"title": "New"})
    expect.status(response, 200, f"PUT {url}", [API_PY])
    assert_note(expect.json_body(response, f"PUT {url}", [API_PY]), f"PUT {url}", response, id=note["id"], title="New",
                body="")
    refused = client.put(url, json={"title": ""})
    expect.status(refused, 400, f"PUT {url} with an empty title", [API_PY])
    stored = [(n["title"], n["body"]) for n in stored_notes(app)]
    expect.that(stored == [("New", "")], f"A refused PUT must leave the note unchanged; the database holds {stored}.",
                refused, [API_PY])
    expect.status(client.put(f"/api/notes/{note['id'] + 1}", json={"title": "x"}), 404, "PUT to an unknown note",
                  [API_PY])


@check(2, API)
def delete_answers_204(app, client):
    """DELETE /api/notes/<id> answers 204 with an empty body; the note is gone; again answers 404."""
    note = add_note(app, "Bin me")
    url = f"/api/notes/{note['id']}"
    response = client.delete(url)
    expect.status(response, 204, f"DELETE {url}", [API_PY])
    expect.that(response.data == b"", "A 204 No Content answer must have an empty body.", response, [API_PY])
    expect.that(stored_notes(app) == [], f"After DELETE {url}, the note is still in the database.", response, [API_PY])
    expect.status(client.delete(url), 404, f"DELETE {url} a second time", [API_PY])
