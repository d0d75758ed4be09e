"""The background servers start and stop without races, also many at once."""

import http.client
import threading
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlsplit

import pytest

from workshop.servers import DevelopmentServer
from workshop.servers import WaitressServer

CYCLES = 200
AT_ONCE = 4


@pytest.fixture(scope="module")
def app():
    from flask import Flask

    app = Flask(__name__)
    app.config["MAX_CONTENT_LENGTH"] = 1024
    app.add_url_rule("/", "index", lambda: "hello")
    app.add_url_rule("/upload", "upload", lambda: "not read", methods=["POST"])  # Flask alone would take any body
    return app


def get(url, path, keep_open=False, body=None):
    """One request; with ``keep_open`` the connection is left open (a browser's keep-alive)."""
    connection = http.client.HTTPConnection(urlsplit(url).netloc, timeout=5)
    connection.request("POST" if body is not None else "GET", path, body=body)
    response = connection.getresponse()
    answer = response.status, response.read()
    if not keep_open:
        connection.close()
    return answer, connection


def serve_and_stop(server_class, app, cycle):
    server = server_class(app)
    try:
        answer, connection = get(server.url, "/", keep_open=cycle % 2 == 0)
    finally:
        server.stop()
    connection.close()
    return answer


@pytest.mark.parametrize("server_class", [DevelopmentServer, WaitressServer])
def test_many_servers_start_and_stop_at_once(app, server_class):
    threads_before = threading.active_count()
    with ThreadPoolExecutor(AT_ONCE) as pool:
        answers = list(pool.map(lambda cycle: serve_and_stop(server_class, app, cycle), range(CYCLES)))
    assert answers == [(200, b"hello")] * CYCLES
    assert threading.active_count() <= threads_before + 1  # nothing of the servers left running


def test_waitress_refuses_a_body_over_the_apps_limit(app):
    server = WaitressServer(app)
    try:
        (small, _), _ = get(server.url, "/upload", body=b"x" * 100)
        (large, _), _ = get(server.url, "/upload", body=b"x" * 5000)
    finally:
        server.stop()
    assert (small, large) == (200, 413)
