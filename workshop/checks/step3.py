"""Step 3, templates: the layout, the notes page, its form, POST-redirect-GET and flash."""

import re
from importlib import import_module

from . import expect
from .core import check

NOTES = "part1_basic_app/notes.py and templates/notes.html, TODO step 3"
PAGES = "part1_basic_app/pages.py and templates/index.html, hello.html, TODO step 3"


def stored_notes(app, package):
    """The notes in the app's database, read directly."""
    with app.app_context():
        return import_module(package.__name__ + ".db").list_notes()


def assert_layout(response, request):
    body = response.get_data(as_text=True)
    assert re.search(r"<title>[^<]*\S[^<]*</title>", body), f"{request}: the page has no <title>; extend base.html and fill its title block."
    assert 'href="/notes"' in body, f"{request}: the page has no link to /notes; extend base.html, whose nav has one."
    assert "/static/style.css" in body, f"{request}: the page does not load /static/style.css; extend base.html."


@check(3, PAGES)
def pages_use_the_layout(client):
    """GET / and GET /hello/Ada are rendered from templates that extend base.html."""
    for url, text in (("/", "Hello, Flask!"), ("/hello/Ada", "Hello, Ada!")):
        response = client.get(url)
        expect.status(response, 200, f"GET {url}")
        expect.contains(response, text, f"GET {url}")
        assert_layout(response, f"GET {url}")


@check(3, NOTES)
def notes_page_lists_notes_escaped(app, client, package):
    """GET /notes lists the notes (HTML in them shown as text) with a form for title and body."""
    with app.app_context():
        import_module(package.__name__ + ".db").create_note("<script>alert(1)</script>", "first body")
    response = client.get("/notes")
    expect.status(response, 200, "GET /notes")
    assert_layout(response, "GET /notes")
    body = response.get_data(as_text=True)
    assert "<script>alert(1)</script>" not in body, "GET /notes put a note's title into the page as HTML: let Jinja escape it (no |safe)."
    expect.contains(response, "&lt;script&gt;alert(1)&lt;/script&gt;", "GET /notes", " (the escaped title of a note)")
    expect.contains(response, "first body", "GET /notes", " (the body of a note)")
    assert re.search(r"<form[^>]*method=[\"']?post", body, re.I), "GET /notes should have a <form method=\"post\">."
    for field in ("title", "body"):
        assert re.search(rf"name=[\"']?{field}\b", body), f"The form on /notes should have a field named {field!r}."


@check(3, NOTES)
def form_redirects_and_flashes_once(app, client, package):
    """POST /notes stores the note, redirects to /notes, which shows a flash message once."""
    response = client.post("/notes", data={"title": "Eggs", "body": "a dozen"})
    expect.status(response, (302, 303), "POST /notes with a valid note")
    location = response.headers.get("Location", "")
    assert location.endswith("/notes"), f"POST /notes should redirect to /notes, not to {location or 'nowhere'}."
    first = client.get("/notes").get_data(as_text=True)
    second = client.get("/notes").get_data(as_text=True)
    assert "Eggs" in first and "Eggs" in second, "After POST /notes, the new note should be listed on /notes."
    assert first != second, "After the redirect, /notes should show a flash message (flash(...)) once, then no more."
    titles = [n["title"] for n in stored_notes(app, package)]
    assert titles == ["Eggs"], f"One POST /notes should store one note; the database holds {titles}."


@check(3, NOTES)
def invalid_form_answers_400_and_keeps_input(app, client, package):
    """POST /notes with an empty title answers 400, shows the error and keeps what was typed."""
    response = client.post("/notes", data={"title": "   ", "body": "keep this text"})
    expect.status(response, 400, "POST /notes with an empty title")
    expect.contains(response, "A title is required", "POST /notes with an empty title", " (the error from validate_note)")
    expect.contains(response, "keep this text", "POST /notes with an empty title", " (what was typed in the body)")
    assert stored_notes(app, package) == [], "An invalid form must store nothing."


@check(3, NOTES)
def page_and_api_share_notes(client):
    """A note added with the form is also returned by GET /api/notes."""
    expect.status(client.post("/notes", data={"title": "Shared", "body": ""}), (302, 303), "POST /notes")
    listed = expect.json_body(client.get("/api/notes"), "GET /api/notes")
    assert [n.get("title") for n in listed] == ["Shared"], f"GET /api/notes should list the note added by the form, got {str(listed)[:160]}"
