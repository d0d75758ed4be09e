"""Step 1, hello Flask: the first routes, and WSGI underneath them."""

from werkzeug.test import Client, EnvironBuilder

from . import expect
from .core import check

PAGES = "part1_basic_app/pages.py, TODO step 1"


@check(1, PAGES)
def home_page_says_hello(client):
    """GET / answers 200 with an HTML page that says "Hello, Flask!"."""
    response = client.get("/")
    expect.status(response, 200, "GET /")
    assert response.mimetype == "text/html", f"GET / should answer HTML, got {response.mimetype}."
    expect.contains(response, "Hello, Flask!", "GET /")


@check(1, PAGES)
def hello_greets_by_name(client):
    """GET /hello/Ada answers "Hello, Ada!"."""
    response = client.get("/hello/Ada")
    expect.status(response, 200, "GET /hello/Ada")
    expect.contains(response, "Hello, Ada!", "GET /hello/Ada")


@check(1, PAGES)
def hello_escapes_html(client):
    """GET /hello/<script>... shows the name as text: HTML in it is escaped."""
    response = client.get("/hello/<script>alert(1)")
    expect.status(response, 200, "GET /hello/<script>alert(1)")
    body = response.get_data(as_text=True)
    assert "<script>alert(1)" not in body, (
        "GET /hello/<script>alert(1) put the name into the page as HTML, so a visitor's browser would run it."
        " Escape it: markupsafe.escape(name) (or a template, in step 3)."
    )
    expect.contains(response, "&lt;script&gt;alert(1)", "GET /hello/<script>alert(1)", " (the escaped name)")


@check(1, "part1_basic_app/raw_wsgi.py, TODO step 1")
def raw_wsgi_app_answers(package):
    """raw_wsgi.application is a WSGI app: 200, text/plain, "Hello, WSGI!" and the path."""
    from importlib import import_module

    application = import_module(package.__name__ + ".raw_wsgi").application
    response = Client(application).get("/any/path")
    expect.status(response, 200, "The raw WSGI application, for GET /any/path,")
    assert response.mimetype == "text/plain", f"The raw WSGI application should say Content-Type text/plain, not {response.mimetype or 'nothing'}."
    expect.contains(response, "Hello, WSGI!", "The raw WSGI application")
    expect.contains(response, "/any/path", "The raw WSGI application", " (environ['PATH_INFO'])")


@check(1, PAGES)
def flask_app_is_a_wsgi_callable(app):
    """The Flask app, called as app(environ, start_response), answers /hello/WSGI."""
    environ = EnvironBuilder(path="/hello/WSGI").get_environ()
    started = []
    chunks = app(environ, lambda status, headers, exc_info=None: started.append(status))
    body = b"".join(chunks).decode("utf-8", "replace")
    assert started, "app(environ, start_response) never called start_response."
    assert started[0] == "200 OK", f'app(environ, start_response) for /hello/WSGI started "{started[0]}", expected "200 OK".'
    assert "Hello, WSGI!" in body, f"app(environ, start_response) for /hello/WSGI returned {body[:120]!r}, expected it to contain 'Hello, WSGI!'."
