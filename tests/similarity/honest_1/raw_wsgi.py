"""A WSGI application written by hand, without Flask: what Flask does for you."""


def application(environ, start_response):
    """Answer every request with a plain-text greeting that names the path asked for."""
    path = environ.get("PATH_INFO", "/")
    body = f"Hello, WSGI! You asked for {path}".encode("utf-8")
    start_response("200 OK", [("Content-Type", "text/plain; charset=utf-8"), ("Content-Length", str(len(body)))])
    return [body]
