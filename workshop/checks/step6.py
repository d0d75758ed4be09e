"""Step 6, debug and deploy: error handlers, no 500 for bad input, a production WSGI server."""

import http.client
import json
from urllib.parse import urlsplit

from ..servers import WaitressServer
from . import expect
from .core import check
from .step2 import add_note, stored_notes
from .step3 import assert_layout

ERRORS_PY = expect.ERROR_HANDLERS
ERRORS = f"{ERRORS_PY}, TODO step 6"

BAD_REQUESTS = [
    ("GET", "/api/notes/99999999999999999999", {}),
    ("GET", "/api/notes/-1", {}),
    ("GET", "/hello/%ff%fe", {}),
    ("POST", "/api/notes", {"data": b"\xff\xfe{", "content_type": "application/json"}),
    ("POST", "/api/notes", {"data": '{"title": "\\ud800"}', "content_type": "application/json"}),
    ("POST", "/api/notes", {"data": "x" * (2 * 1024 * 1024), "content_type": "application/json"}),
    ("PUT", "/api/notes/1", {"data": "[]", "content_type": "application/json"}),
    ("DELETE", "/notes", {}),
    ("POST", "/notes", {"data": {"title": "x" * 5000}}),
    ("POST", "/login", {"data": {"name": "x" * 5000}}),
    ("GET", "/", {"headers": {"Cookie": "session=not-a-signed-cookie"}}),
]


@check(6, ERRORS)
def unknown_page_is_a_404_page(client):
    """An unknown page (even /apiary, outside /api) answers 404 with an HTML error page on the layout."""
    for url in ("/no/such/page", "/apiary"):
        response = client.get(url)
        expect.status(response, 404, f"GET {url}", [ERRORS_PY])
        expect.that(
            response.mimetype == "text/html",
            f"GET {url} should answer an HTML page, got {response.mimetype}: only /api and the paths under /api/ answer JSON.",
            response, [ERRORS_PY],
        )
        assert_error_page(response, f"GET {url}")


@check(6, ERRORS)
def unknown_api_path_is_json_404(client):
    """An unknown path under /api (or /api itself) answers 404 with JSON, not HTML."""
    for url in ("/api/no/such/thing", "/api"):
        response = client.get(url)
        expect.status(response, 404, f"GET {url}", [ERRORS_PY])
        expect.that(
            "error" in expect.json_body(response, f"GET {url}", [ERRORS_PY]),
            "The 404 JSON should be {\"error\": ...}.", response, [ERRORS_PY],
        )


@check(6, ERRORS)
def wrong_method_is_json_405_with_allow(client):
    """A method a route does not support answers 405 with an Allow header: JSON under /api, the error page elsewhere."""
    response = client.patch("/api/notes")
    expect.status(response, 405, "PATCH /api/notes", [ERRORS_PY])
    expect.that(
        "error" in expect.json_body(response, "PATCH /api/notes", [ERRORS_PY]),
        "The 405 JSON should be {\"error\": ...}.", response, [ERRORS_PY],
    )
    for request, response in (("PATCH /api/notes", response), ("DELETE /notes", client.delete("/notes"))):
        if response.status_code != 405:  # an error page answered with another status: another check says so
            continue
        allowed = {m.strip() for m in response.headers.get("Allow", "").split(",")}
        expect.that(
            {"GET", "POST"} <= allowed,
            f"{request} answered 405: it should list the allowed methods in the Allow header, got {response.headers.get('Allow')!r}."
            " Keep the error's valid_methods.",
            response, [ERRORS_PY],
        )


@check(6, ERRORS)
def crash_is_a_clean_500(make_app):
    """With debug off, a view that crashes answers a 500 page (JSON under /api), no traceback."""
    app = make_app(TESTING=False)
    app.logger.disabled = True

    def crash():
        raise RuntimeError("a bug")

    app.add_url_rule("/workshop-crash", "workshop_crash", crash)
    app.add_url_rule("/api/workshop-crash", "api_workshop_crash", crash)
    client = app.test_client()
    page = client.get("/workshop-crash")
    expect.status(page, 500, "A crashing view", [ERRORS_PY])
    expect.that("Traceback" not in page.get_data(as_text=True), "A 500 page must not show a traceback.", page, [ERRORS_PY])
    expect.that(page.mimetype == "text/html", f"A crashing view should answer an HTML page, got {page.mimetype}.", page, [ERRORS_PY])
    assert_error_page(page, "A crashing view")
    api = client.get("/api/workshop-crash")
    expect.status(api, 500, "A crashing view under /api", [ERRORS_PY])
    expect.that(
        "error" in expect.json_body(api, "A crashing view under /api", [ERRORS_PY]),
        "A 500 under /api should be {\"error\": ...}.", api, [ERRORS_PY],
    )


@check(6, ERRORS)
def bad_input_gets_a_clear_4xx(make_app, package):
    """Malformed requests get a 4xx, not a 500 (JSON under /api); no stored note is lost."""
    app = make_app(TESTING=False)
    client = app.test_client()
    add_note(app, package, "keep me")
    for method, url, options in BAD_REQUESTS:
        request = f"{method} {url[:40]}"
        response = client.open(url, method=method, **options)
        expect.that(response.status_code < 500, f"{request} answered {response.status}: bad input must get a clear 4xx.", response, [ERRORS_PY])
        if response.status_code >= 400 and url.startswith("/api/"):
            expect.that(
                "error" in expect.json_body(response, request, [ERRORS_PY]),
                f"{request}: an API error should be {{\"error\": ...}}.", response, [ERRORS_PY],
            )
    titles = [n["title"] for n in stored_notes(app, package)]
    expect.that(titles == ["keep me"], f"Bad requests must not change the stored notes; the database holds {titles}.", where=[ERRORS_PY])


@check(6, ERRORS)
def serves_under_waitress(app):
    """The same app serves under waitress, a production WSGI server."""
    server = WaitressServer(app, threads=2)
    try:
        home = fetch(server.url, "/")
        missing = fetch(server.url, "/api/no/such/thing")
    finally:
        server.stop()
    expect.that(home[0] == 200, f"Under waitress, GET / answered {home[0]}, expected 200.", where=[ERRORS_PY])
    expect.that(
        missing[0] == 404 and "error" in missing[1],
        f"Under waitress, GET /api/no/such/thing answered {missing[0]}, expected a 404 JSON error.", where=[ERRORS_PY],
    )


def assert_error_page(response, request):
    """Assert that an HTML error is the app's own error page, rendered from a template on the layout."""
    expect.that(
        any("/templates/" in f for f in response.sources),
        f"{request} answered {response.status_code} with a page that no template rendered (Werkzeug's plain page?):"
        " handle every HTTPException with handle_http_error (app.register_error_handler), which renders templates/error.html.",
        response, [ERRORS_PY],
    )
    assert_layout(response, f"{request} (templates/error.html)", [ERRORS_PY])


def fetch(url, path):
    """GET a path from a server: the status and the JSON body (an empty dict if not JSON)."""
    connection = http.client.HTTPConnection(urlsplit(url).netloc, timeout=5)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        body = response.read()
        try:
            data = json.loads(body)
        except ValueError:
            data = {}
        return response.status, data if isinstance(data, dict) else {}
    finally:
        connection.close()
