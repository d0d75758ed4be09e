"""The app process matches the URL rule of a request only when the judge asks where it is stuck, and never in the
thread that answers the judge for an app with a converter, rule or map of its own (app_process/app_server.py)."""

import socket
import threading

import pytest
from flask import Flask
from werkzeug.routing import BaseConverter

from workshop import wire
from workshop.app_process import app_server
from workshop.app_process import tracing


class Word(BaseConverter):
    """A converter of the app's own: matching a URL may run its code."""


def stuck_app(converter):
    """An app whose greeting and 404 page wait until ``leave`` is set, having set ``entered``."""
    app = Flask("stuck")
    if converter:
        app.url_map.converters["word"] = Word
    entered, leave = threading.Event(), threading.Event()

    def wait(answer):
        entered.set()
        leave.wait(10)
        return answer

    app.add_url_rule(f"/hello/<{'word:' if converter else ''}name>", "hello", lambda name: wait(name))
    app.register_error_handler(404, lambda error: wait(("not here", 404)))
    return app, entered, leave


@pytest.mark.parametrize("converter, path, route, asked", [
    (False, "/hello/Ada", "/hello/<name>", True),  # matched only when asked, by the thread that asks
    (True, "/hello/Ada", "/hello/<word:name>", False),  # matched before, by the thread of the learner's code
    (True, "/nowhere", None, False),  # matched nothing before: not matched again when asked
])
def test_a_requests_route_is_matched_when_asked_and_never_here_for_a_map_of_the_apps_own(tmp_path, monkeypatch,
                                                                                          converter, path, route,
                                                                                          asked):
    matched = []
    match = tracing.route
    monkeypatch.setattr(tracing, "route", lambda *args: matched.append(threading.current_thread()) or match(*args))
    app, entered, leave = stuck_app(converter)
    ours, theirs = socket.socketpair()
    server = app_server.AppServer(tmp_path, ours)
    server.apps[0] = app
    environ = {"REQUEST_METHOD": "GET", "PATH_INFO": path, "SERVER_NAME": "localhost", "SERVER_PORT": "80",
               "wsgi.url_scheme": "http"}
    answering = threading.Thread(target=server.op_request,
                                 args=({"app": 0, "environ": {k: wire.typed(v) for k, v in environ.items()}},))
    try:
        answering.start()
        assert entered.wait(10)
        assert matched == ([] if asked else [answering])
        assert server.route_in_flight() == route
        assert matched == ([threading.current_thread()] if asked else [answering])
    finally:
        leave.set()
        answering.join(10)
        ours.close()
        theirs.close()
    assert server.route_in_flight() is None  # nothing in flight
