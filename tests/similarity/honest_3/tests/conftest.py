import pytest

from part1_basic_app import create_app


@pytest.fixture
def app(tmp_path):
    yield create_app(dict(TESTING=True, DATABASE=str(tmp_path / "db.sqlite"), SECRET_KEY="dev", WTF_CSRF_ENABLED=False))


@pytest.fixture
def client(app):
    return app.test_client()
