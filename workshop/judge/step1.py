"""Step 1, hello Flask: the first routes, and WSGI underneath them."""

import warnings
from wsgiref.validate import validator
from wsgiref.validate import WSGIWarning

from werkzeug.datastructures import Headers
from werkzeug.test import EnvironBuilder
from werkzeug.wrappers import Response

from . import expect
from .core import check

PAGES_PY = "part1_basic_app/pages.py"
PAGES = f"{PAGES_PY}, TODO step 1"
RAW_WSGI = "part1_basic_app/raw_wsgi.py"


def call_wsgi(application, path):
    """Call a WSGI application as a server would, holding it to PEP 3333: (status, headers, body)."""
    environ = EnvironBuilder(path=path).get_environ()
    started = []
    with warnings.catch_warnings():
        warnings.simplefilter("error", WSGIWarning)
        result = validator(application)(environ, lambda status, headers,
                                        exc_info=None: started.append((status, headers)))
        try:
            body = b"".join(result)
        finally:
            result.close()
    status, headers = started[-1]
    return status, Headers(headers), body


@check(1, PAGES)
def home_page_says_hello(client):
    """GET / answers 200 with an HTML page that says "Hello, Flask!"."""
    response = client.get("/")
    expect.status(response, 200, "GET /", [PAGES_PY])
    expect.that(response.mimetype == "text/html", f"GET / should answer HTML, got {response.mimetype}.", response)
    expect.contains(response, "Hello, Flask!", "GET /")


@check(1, PAGES)
def hello_greets_by_name(client):
    """GET /hello/Ada answers "Hello, Ada!"."""
    response = client.get("/hello/Ada")
    expect.status(response, 200, "GET /hello/Ada", [PAGES_PY])
    expect.contains(response, "Hello, Ada!", "GET /hello/Ada")


@check(1, PAGES)
def hello_escapes_html(client):
    """GET /hello/<script>... shows the name as text: HTML in it is escaped."""
    response = client.get("/hello/<script>alert(1)")
    expect.status(response, 200, "GET /hello/<script>alert(1)", [PAGES_PY])
    expect.that(
        "<script>alert(1)" not in response.get_data(as_text=True),
        "GET /hello/<script>alert(1) put the name into the page as HTML, so a visitor's browser would run it."
        " Escape it: markupsafe.escape(name) (or a template, in step 3), never Markup or |safe.",
        response,
    )
    expect.contains(response, "&lt;script&gt;alert(1)", "GET /hello/<script>alert(1)", " (the escaped name)")


@check(1, "part1_basic_app/raw_wsgi.py, TODO step 1")
def raw_wsgi_app_answers(raw_wsgi):
    """raw_wsgi.application is a WSGI app: 200, text/plain, "Hello, WSGI!" and the path."""
    request = "The raw WSGI application, for GET /any/path,"
    try:
        status, headers, body = call_wsgi(raw_wsgi, "/any/path")
    except (AssertionError, WSGIWarning) as exc:
        expect.fail(f"{request} breaks the WSGI rules (PEP 3333) that every server relies on: {exc}", where=[RAW_WSGI])
    text = body.decode("utf-8", "replace")
    expect.that(status == "200 OK", f'{request} started "{status}", expected "200 OK". It said: "{text.strip()[:120]}"',
                where=[RAW_WSGI])
    mimetype = headers.get("Content-Type", "").split(";")[0].strip().lower()
    expect.that(mimetype == "text/plain", f"{request} should say Content-Type text/plain, not {mimetype or 'nothing'}.",
                where=[RAW_WSGI])
    length = headers.get("Content-Length")
    expect.that(
        length is None or length == str(len(body)),
        f"{request} says Content-Length {length}, but its body has {len(body)} bytes: count the bytes, not the"
        " characters.",
        where=[RAW_WSGI],
    )
    expect.that("Hello, WSGI!" in text, f"{request} should contain 'Hello, WSGI!', got {text[:120]!r}.",
                where=[RAW_WSGI])
    expect.that("/any/path" in text,
                f"{request} should name the path asked for (environ['PATH_INFO']), got {text[:120]!r}.",
                where=[RAW_WSGI])


@check(1, PAGES)
def flask_app_is_a_wsgi_callable(app):
    """The Flask app, called as app(environ, start_response), answers /hello/WSGI."""
    status, headers, body = call_wsgi(app, "/hello/WSGI")
    said = expect.body_text(Response(body, status=status, headers=headers))
    expect.that(
        status == "200 OK" and "WSGI" in body.decode("utf-8", "replace"),
        f'app(environ, start_response) for /hello/WSGI started "{status}", expected "200 OK" and a page naming WSGI'
        f' (hello_greets_by_name looks at that page). The app said: "{said}"',
        where=[PAGES_PY],
    )
