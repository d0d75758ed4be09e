"""Step 6, debug and deploy: error handlers, no 500 for bad input, a production WSGI server."""

from . import expect
from .bridge import AppError
from .bridge import RouteStuck
from .bridge import RuleStuck
from .core import check
from .notes import add_note
from .notes import stored_notes
from .step3 import assert_layout

ERRORS_PY = expect.ERROR_HANDLERS
API_PY = "part1_basic_app/api.py"  # error_response, the API's JSON errors
CONFIG_PY = "part1_basic_app/__init__.py"
ERRORS = f"{ERRORS_PY}, TODO step 6"
CRASH = ("RuntimeError", "crash probe")  # from RuntimeError("a bug (the crash probe of the checks)")

BAD_REQUESTS = [
    ("GET", "/api/notes/99999999999999999999", {}),
    ("GET", "/api/notes/-1", {}),
    ("GET", "/hello/%ff%fe", {}),
    ("POST", "/api/notes", {"data": b"\xff\xfe{", "content_type": "application/json"}),
    ("POST", "/api/notes", {"data": '{"title": "\\ud800"}', "content_type": "application/json"}),
    ("POST", "/api/notes", {"data": "x" * (2 * 1024 * 1024), "content_type": "application/json"}),
    ("PUT", "/api/notes/1", {"data": "[]", "content_type": "application/json"}),
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
            f"GET {url} should answer an HTML page, got {response.mimetype}: only /api and the paths under /api/"
            " answer JSON.",
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
    """A method a route does not support answers 405 from the app's error handler, with its methods in Allow."""
    for request, response in (("PATCH /api/notes", client.patch("/api/notes")),
                              ("DELETE /notes", client.delete("/notes"))):
        if request.startswith("DELETE") and 200 <= response.status_code < 300:
            continue  # an error page answered with a 2xx status: unknown_page_is_a_404_page says so
        expect.status(response, 405, request, [ERRORS_PY])
        assert_handled(response, request)
        allowed = {m.strip() for m in response.headers.get("Allow", "").split(",")}
        expect.that(
            {"GET", "POST"} <= allowed,
            f"{request} answered 405: it should list the allowed methods in the Allow header, got"
            f" {response.headers.get('Allow')!r}."
            " Keep the error's valid_methods.",
            response, [ERRORS_PY],
        )
    response = client.get("/login")
    if response.status_code == 405:  # a sign-in by GET: step 4's checks say so
        allowed = {m.strip() for m in response.headers.get("Allow", "").split(",")}
        expect.that(
            "POST" in allowed and "GET" not in allowed,
            f"GET /login answered 405 with Allow: {response.headers.get('Allow')!r}, but /login allows POST only:"
            " take the methods from the error (error.valid_methods), not from a list of your own.",
            response, [ERRORS_PY],
        )


@check(6, ERRORS)
def crash_is_a_clean_500(make_app):
    """With debug off, a crash answers 500 with the error page (under /api too), no traceback; no error handler
    fails on it."""
    assert_handlers_survive_a_crash(make_app(probes=("crash",)).test_client())
    client = make_app(probes=("crash",), TESTING=False).test_client()
    for request, url in (("A crashing view", "/workshop-crash"), ("A crashing view under /api", "/api/workshop-crash")):
        try:
            response = client.get(url)
        except AppError as error:
            expect.fail(
                f"With TESTING off, {request.lower()} did not answer 500: the exception went on to the server"
                f" ({error}). Is DEBUG or PROPAGATE_EXCEPTIONS set in create_app? Leave both to `flask run --debug`.",
                where=[CONFIG_PY],
            )
        expect.status(response, 500, request, [ERRORS_PY])
        body = response.get_data(as_text=True)
        expect.that("Traceback" not in body, f"{request} showed a traceback: never to visitors.", response, [ERRORS_PY])
        expect.that(
            not any(word in body for word in CRASH),
            f"{request} showed the exception it raised (RuntimeError: a bug ...) to the visitor: keep the original"
            " exception for the log, and show the 500 error's own description.", response,
            [ERRORS_PY, API_PY] if url.startswith("/api/") else [ERRORS_PY],
        )
        if url.startswith("/api/"):
            assert_handled(response, request)
        else:
            expect.that(response.mimetype == "text/html",
                        f"{request} should answer an HTML page, got {response.mimetype}.", response, [ERRORS_PY])
            assert_error_page(response, request)


@check(6, ERRORS)
def bad_input_gets_a_clear_4xx(make_app):
    """Malformed requests get a clear 4xx, not a 500 (under /api from the app's error handlers); no stored note is
    lost."""
    app = make_app(TESTING=False)
    client = app.test_client()
    add_note(app, "keep me")
    for method, url, options in BAD_REQUESTS:
        request = f"{method} {url[:40]}"
        response = expect.answered(client, url, method=method, **options)
        if response is None:
            continue  # a request that did not answer earlier: the check that was stopped says so
        if response.status_code == 501 and "TODO step" in response.get_data(as_text=True):
            continue  # a part of an earlier step still to do: that step's checks say so
        expect.that(response.status_code < 500,
                    f"{request} answered {response.status}: bad input must get a clear 4xx.", response, [ERRORS_PY])
        if response.status_code >= 400 and url.startswith("/api/"):  # the error page's status: other checks
            assert_handled(response, request)
    titles = [n["title"] for n in stored_notes(app)]
    expect.that(titles == ["keep me"], f"Bad requests must not change the stored notes; the database holds {titles}.",
                where=[ERRORS_PY])


@check(6, ERRORS)
def serves_under_waitress(app, scratch):
    """The same app serves under waitress, a production WSGI server, errors included."""
    try:
        with app.served(scratch) as fetch:
            try:
                home = fetch("/")
            except RuleStuck:
                raise  # the route is the app's word: it may cost the app this check, never spare it
            except RouteStuck:  # GET / did not answer earlier: the check that was stopped says so
                home = fetch("/hello/waitress")
            missing = fetch("/api/no/such/thing")
    except OSError as exc:
        expect.fail(f"Under waitress, the app did not answer ({type(exc).__name__}: {exc}).", where=[ERRORS_PY])
    expect.that(home[0] == 200, f"Under waitress, GET / answered {home[0]}, expected 200.", where=[ERRORS_PY])
    expect.that(
        missing[0] == 404 and not is_plain_error(missing[1]),
        f"Under waitress, GET /api/no/such/thing answered {missing[0]}: \"{missing[1][:80]}\","
        " expected a 404 from the app's error handler.", where=[ERRORS_PY],
    )


def assert_handlers_survive_a_crash(client):
    """With TESTING on, a crash either reaches the test client as it was raised or is answered:
    an error handler that itself raises (``error.code`` of a RuntimeError) hides the real error."""
    for url in ("/workshop-crash", "/api/workshop-crash"):
        try:
            client.get(url)
        except AppError as error:
            expect.that(
                str(error).startswith("RuntimeError: a bug"),
                f"When a view crashed (GET {url} raised RuntimeError), your error handler itself raised {error}:"
                " a handler for HTTPException must not be registered for every Exception, or it must turn other"
                " exceptions into a 500 (werkzeug.exceptions.InternalServerError).", where=[ERRORS_PY],
            )


def is_plain_error(body):
    """Whether ``body`` is Werkzeug's plain error page (HTTPException.get_body), not the app's own answer."""
    return body.startswith("<!doctype html>\n<html lang=en>\n<title>")


def assert_handled(response, request):
    """Assert that the app's error handler answered, not Werkzeug's plain error page."""
    expect.that(
        not is_plain_error(response.get_data(as_text=True)),
        f"{request} answered {response.status_code} with Werkzeug's plain error page: handle every HTTPException"
        " with handle_http_error (app.register_error_handler): JSON under /api, templates/error.html elsewhere.",
        response, [ERRORS_PY],
    )


def assert_error_page(response, request):
    """Assert that an HTML error is the app's own error page, rendered from a template on the layout."""
    body = response.get_data(as_text=True)
    rendered = any("/templates/" in f for f in response.sources)  # the app's hint: it only picks the message
    expect.that(
        not is_plain_error(body) and (rendered or "/static/style.css" in body),
        f"{request} answered {response.status_code} with a page that no template rendered (Werkzeug's plain page?):"
        " handle every HTTPException with handle_http_error (app.register_error_handler), which renders"
        " templates/error.html.",
        response, [ERRORS_PY],
    )
    assert_layout(response, f"{request} (templates/error.html)", [ERRORS_PY])
