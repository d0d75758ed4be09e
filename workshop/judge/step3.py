"""Step 3, templates: the layout, the notes page, its form, POST-redirect-GET and flash."""

import re
from urllib.parse import urlsplit

from markupsafe import escape

from . import expect
from .core import check
from .notes import add_note
from .notes import stored_notes
from .sessions import flashed

NOTES_PY = "part1_basic_app/notes.py"
NOTES_HTML = "part1_basic_app/templates/notes.html"
BASE_HTML = "part1_basic_app/templates/base.html"
HELLO_HTML = "part1_basic_app/templates/hello.html"
NOTES = "part1_basic_app/notes.py and templates/notes.html, TODO step 3"
PAGES = "part1_basic_app/pages.py and templates/index.html, hello.html, TODO step 3"
SCRIPT = "<script>alert(1)</script>"
ATTRIBUTE_INJECTION = 'x" autofocus onfocus="alert(1)'


def assert_layout(response, request, where=()):
    """Assert that a page extends base.html: its title, its nav's link to /notes, its stylesheet."""
    body = response.get_data(as_text=True)
    where = [*where, *getattr(response, "sources", ()), BASE_HTML]
    expect.that(re.search(r"<title>[^<]*\S[^<]*</title>", body),
                f"{request}: the page has no <title>; extend base.html and fill its title block.", where=where)
    expect.that(re.search(r"href=[\"']?(http://localhost)?/notes[\"' >]", body),
                f"{request}: the page has no link to /notes; extend base.html, whose nav has one.", where=where)
    expect.that("/static/style.css" in body, f"{request}: the page does not load /static/style.css; extend base.html.",
                where=where)


def assert_escaped(response, raw, request, what, where=()):
    """Assert that ``raw`` HTML sent by a visitor shows in the page as text, not as HTML."""
    expect.that(
        raw not in response.get_data(as_text=True),
        f"{request} put {what} into the page as HTML, so a visitor's browser would run it:"
        " let Jinja escape it (no |safe, Markup or {% autoescape false %}).",
        response, where,
    )


def flashes_during(client, *args, **kwargs):
    """The response to ``client.open(*args, **kwargs)`` and the messages flashed while answering it."""
    response = client.open(*args, **kwargs)
    return response, flashed(response, client.config["SECRET_KEY"])


@check(3, PAGES)
def pages_use_the_layout(client):
    """GET / and GET /hello/Ada are rendered from templates that extend base.html; the name is still escaped."""
    for url, text in (("/", "Hello, Flask!"), ("/hello/Ada", "Hello, Ada!")):
        response = client.get(url)
        expect.status(response, 200, f"GET {url}")
        expect.contains(response, text, f"GET {url}")
        assert_layout(response, f"GET {url}")
    name = "<script>alert(1)"  # no "/": a slash in the name makes another URL
    request = f"GET /hello/{name}"
    response = client.get(f"/hello/{name}")
    if response.status_code == 200:  # another status: step 1's hello_escapes_html says so
        expect.that(
            name not in response.get_data(as_text=True),
            f"{request} put the name into the page as HTML, so a visitor's browser would run it: in"
            " templates/hello.html, let Jinja escape it ({{ name }}, no |safe or {% autoescape false %}),"
            " and pass the name as it is (no Markup).",
            response, [HELLO_HTML],
        )


@check(3, NOTES)
def notes_page_lists_notes_escaped(app, client):
    """GET /notes lists the notes with a form for title and body; HTML in notes and flash messages shows as text."""
    add_note(app, SCRIPT, "<em>first</em> body")
    response = client.get("/notes")
    expect.status(response, 200, "GET /notes", [NOTES_PY])
    assert_layout(response, "GET /notes")
    assert_escaped(response, SCRIPT, "GET /notes", "a note's title")
    assert_escaped(response, "<em>first</em>", "GET /notes", "a note's body")
    expect.contains(response, "&lt;script&gt;alert(1)&lt;/script&gt;", "GET /notes", " (the escaped title of a note)")
    expect.contains(response, "&lt;em&gt;first&lt;/em&gt; body", "GET /notes", " (the escaped body of a note)")
    form = next((f for f in expect.forms(response) if expect.posts_to(f, "/notes", "/notes")), None)
    expect.that(form, "GET /notes should have a <form method=\"post\"> that sends to /notes (url_for('notes.create')).",
                response)
    for field in ("title", "body"):
        expect.that(field in form["fields"], f"The form on /notes should have a field named {field!r}.", response)
    added, flashed = flashes_during(client, "/notes", method="POST", data={"title": "<b>Eggs</b>", "body": ""},
                                    follow_redirects=True)
    if added.status_code == 200 and flashed:  # the flash message, if the form works (else another check says so)
        where = [NOTES_PY, BASE_HTML]
        assert_escaped(added, "<b>Eggs</b>", "The page after POST /notes", "the title in the flash message", where)


@check(3, NOTES)
def form_redirects_and_flashes_once(app, client):
    """POST /notes stores the note, flashes a message, redirects to /notes, and the page there shows the message."""
    response, flashed = flashes_during(client, "/notes", method="POST", data={"title": "Eggs", "body": "a dozen"})
    expect.status(response, (302, 303), "POST /notes with a valid note", [NOTES_PY])
    location = response.headers.get("Location", "")
    expect.that(urlsplit(location).path == "/notes",
                f"POST /notes should redirect to /notes, not to {location or 'nowhere'}.", response)
    titles = [n["title"] for n in stored_notes(app)]
    expect.that(titles == ["Eggs"], f"One POST /notes should store one note; the database holds {titles}.", response)
    expect.that(flashed, "POST /notes should flash a message (flash(...)) for the page it redirects to.", response)
    shown = client.get("/notes")
    expect.that(
        any(str(escape(message)) in shown.get_data(as_text=True) for message in flashed),
        f"After POST /notes, GET /notes does not show the message flashed, {flashed[0]!r}: base.html shows the flashed"
        " messages (get_flashed_messages()) and every page must extend it.", shown, [BASE_HTML],
    )


@check(3, NOTES)
def invalid_form_answers_400_and_keeps_input(app, client):
    """POST /notes with an invalid note answers 400, shows the error and keeps what was typed, as text."""
    request = "POST /notes with an empty title"
    response = client.post("/notes", data={"title": "   ", "body": "keep <this> text"})
    expect.status(response, 400, request, [NOTES_PY])
    expect.contains(response, "A title is required", request, " (the error from validate_note)")
    assert_escaped(response, "keep <this> text", request, "the body that was typed")
    expect.contains(response, "keep &lt;this&gt; text", request, " (what was typed in the body, escaped)")
    request = "POST /notes with a body too long"
    response = client.post("/notes", data={"title": ATTRIBUTE_INJECTION, "body": "x" * 10_001})
    expect.status(response, 400, request, [NOTES_PY])
    field = next((f["fields"]["title"] for f in expect.forms(response) if "title" in f["fields"]), {})
    expect.that(
        field.get("value") == ATTRIBUTE_INJECTION and "onfocus" not in field,
        f"{request} should show the form again with the title typed, {ATTRIBUTE_INJECTION!r}, in its value;"
        f" the title field is {field or 'missing'}. Put quotes around the attribute: value=\"{{{{ form.title }}}}\".",
        response,
    )
    titles = [n["title"] for n in stored_notes(app)]
    expect.that(titles == [], f"An invalid form must store nothing; the database holds {titles}.", response)


@check(3, NOTES)
def page_and_api_share_notes(app, client):
    """A note added with the form is also served by the JSON API."""
    expect.succeeded(client.post("/notes", data={"title": "Shared", "body": ""}), "POST /notes", [NOTES_PY])
    stored = [n for n in stored_notes(app) if n["title"] == "Shared"]
    expect.that(stored, "POST /notes did not store the note: first make form_redirects_and_flashes_once pass.",
                where=[NOTES_PY])
    response = client.get(f"/api/notes/{stored[0]['id']}")
    data = response.get_json(silent=True) if response.status_code == 200 else None
    expect.that(
        isinstance(data, dict) and data.get("title") == "Shared",
        f"GET /api/notes/{stored[0]['id']} should return the note added by the form, got {response.status}:"
        f" \"{expect.body_text(response)}\"",
        response, [NOTES_PY],
    )
