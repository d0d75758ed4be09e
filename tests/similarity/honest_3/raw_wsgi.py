"""A WSGI application written by hand, without Flask: what Flask does for you."""


def application(environ, start_response):
    start_response("200 OK", [("Content-Type", "text/plain; charset=utf-8")])
    return [("Hello, WSGI! You asked for %s" % environ.get("PATH_INFO", "")).encode("utf-8")]
