"""Fixtures of the class board's tests: an app on its own database, and the board served on a loopback port."""

import pytest

from workshop.board.app import create_app
from workshop.servers import WaitressServer


@pytest.fixture
def app(tmp_path):
    return create_app({"DATABASE": str(tmp_path / "board" / "board.sqlite")})


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def base_url(board):
    """The address of ``board`` (each module's own app) served by waitress."""
    server = WaitressServer(board)
    yield server.url
    server.stop()
