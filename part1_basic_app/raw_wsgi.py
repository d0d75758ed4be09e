"""A WSGI application written by hand, without Flask: what Flask does for you."""


def application(environ, start_response):
    """Answer every request with a plain-text greeting that names the path asked for."""
    # TODO step 1 (notebooks/01_hello_flask.ipynb): call start_response with
    # "200 OK" and a text/plain Content-Type, then return a list holding the
    # bytes of "Hello, WSGI! You asked for <PATH_INFO>".
    start_response("501 Not Implemented", [("Content-Type", "text/plain; charset=utf-8")])
    return [b"TODO step 1: write the WSGI application in part1_basic_app/raw_wsgi.py.\n"]
