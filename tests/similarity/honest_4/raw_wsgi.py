"""A WSGI application written by hand, without Flask: what Flask does for you."""


def application(environ, start_response):
    """Answer every request with a plain-text greeting that names the path asked for."""
    status = "200 OK"
    content_type = ("Content-Type", "text/plain; charset=utf-8")
    start_response(status, [content_type])
    path = environ["PATH_INFO"]
    message = "Hello, WSGI! You asked for " + path
    return [message.encode("utf-8")]
