"""A WSGI application written by hand, without Flask: what Flask does for you."""


def application(environ, start_response):
    answer = b"Hello, WSGI! You asked for " + environ.get("PATH_INFO", "").encode("latin-1")
    start_response("200 OK", [("Content-Type", "text/plain; charset=utf-8"), ("Content-Length", f"{len(answer)}")])
    return iter([answer])
