"""A WSGI application written by hand, without Flask: what Flask does for you."""

GREETING = "Hello, WSGI! You asked for {}"


def application(environ, start_response):
    """Answer every request with a plain-text greeting that names the path asked for."""
    text = GREETING.format(environ["PATH_INFO"])
    headers = [("Content-Type", "text/plain; charset=utf-8")]
    start_response("200 OK", headers)
    yield text.encode()
