"""The notes in an app's SQLite database, read and written by the judge directly (never through the app).

The storage (db.py and schema.sql) is given complete to the learners, so its schema is known:
a check can put notes in before a request and look at what a request stored.
"""

import contextlib
import os
import sqlite3

SCHEMA = """
CREATE TABLE IF NOT EXISTS note (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  title TEXT NOT NULL,
  body TEXT NOT NULL DEFAULT '',
  created TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);
"""


@contextlib.contextmanager
def connect(app, write=False):
    """A connection to ``app``'s database; read-only unless ``write``, and never trusting its schema."""
    path = app.config["DATABASE"]
    db = sqlite3.connect(path if write else f"file:{path}?mode=ro", uri=not write)
    try:
        db.execute("PRAGMA trusted_schema = OFF")
        db.row_factory = sqlite3.Row
        yield db
    finally:
        db.close()


def add_note(app, title, body=""):
    """Store a note in ``app``'s database and return it as a dict."""
    with connect(app, write=True) as db:
        db.executescript(SCHEMA)
        cursor = db.execute("INSERT INTO note (title, body) VALUES (?, ?)", (title, body))
        db.commit()
        return dict(db.execute("SELECT * FROM note WHERE id = ?", (cursor.lastrowid,)).fetchone())


def stored_notes(app):
    """Every note in ``app``'s database, oldest first ([] when there is no database or table yet)."""
    if not os.path.exists(app.config["DATABASE"]):
        return []
    with connect(app) as db:
        try:
            return [dict(row) for row in db.execute("SELECT id, title, body, created FROM note ORDER BY id")]
        except sqlite3.Error:
            return []
