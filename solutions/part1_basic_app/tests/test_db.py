"""Tests of the database connection and the init-db command (db.py)."""

# SOLUTION step 5
import sqlite3

import pytest

from part1_basic_app.db import get_db


def test_get_close_db(app):
    with app.app_context():
        db = get_db()
        assert db is get_db()

    with pytest.raises(sqlite3.ProgrammingError, match="closed"):
        db.execute("SELECT 1")


def test_init_db_command(app, client, runner):
    client.post("/api/notes", json={"title": "Milk"})
    with app.app_context():  # `flask init-db` runs in one; the test runner does not push it
        result = runner.invoke(args=["init-db"])
    assert "Initialized the database." in result.output
    assert client.get("/api/notes").json == []
# STARTER
# TODO step 5 (notebooks/05_testing.ipynb): test the database, for example that
# the init-db command (the runner fixture) empties it.
# END SOLUTION
