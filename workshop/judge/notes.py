"""The notes in an app's SQLite database, read and written by the judge directly (never through the app).

The storage (db.py and schema.sql) is given complete to the learners, so its schema is known:
a check can put notes in before a request and look at what a request stored. The database is
in a folder the app can write, so the judge never opens it in place: it reads a capped copy
(see workshop/jailfiles.py) into a folder of its own, and writes by putting a new file, made
from that copy, in the database's place.
"""

import contextlib
import os
import sqlite3
import tempfile

from .. import jailfiles

DATABASE_BYTES = 16 * jailfiles.MB  # the database, and its write-ahead log, each
SCHEMA = """
CREATE TABLE IF NOT EXISTS note (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  title TEXT NOT NULL,
  body TEXT NOT NULL DEFAULT '',
  created TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);
"""


@contextlib.contextmanager
def connect(app):
    """A connection to a private copy of ``app``'s database (None when there is none), never trusting its schema."""
    with tempfile.TemporaryDirectory(prefix="workshop-notes-") as folder:
        copy = os.path.join(folder, "notes.sqlite")
        if not copied(app.config["DATABASE"], copy):
            yield None
            return
        with opened(copy) as db:
            yield db


@contextlib.contextmanager
def opened(copy):
    db = sqlite3.connect(copy)
    try:
        db.execute("PRAGMA trusted_schema = OFF")
        db.row_factory = sqlite3.Row
        yield db
    finally:
        db.close()


def copied(path, copy):
    """Copy the database at ``path`` (and its write-ahead log) to ``copy``: whether there was one."""
    for suffix in ("", "-wal"):
        try:
            data = jailfiles.read(path + suffix, DATABASE_BYTES, "the app's database")
        except FileNotFoundError:
            if suffix:
                continue
            return False
        with open(copy + suffix, "wb") as file:
            file.write(data)
    return True


def add_note(app, title, body=""):
    """Store a note in ``app``'s database and return it as a dict."""
    path = app.config["DATABASE"]
    with tempfile.TemporaryDirectory(prefix="workshop-notes-") as folder:
        copy = os.path.join(folder, "notes.sqlite")
        copied(path, copy)
        with opened(copy) as db:
            db.execute("PRAGMA synchronous = OFF")  # a copy: written back whole below
            db.executescript(SCHEMA)
            cursor = db.execute("INSERT INTO note (title, body) VALUES (?, ?)", (title, body))
            db.commit()
            note = dict(db.execute("SELECT * FROM note WHERE id = ?", (cursor.lastrowid,)).fetchone())
            db.execute("PRAGMA journal_mode = DELETE")  # a write-ahead log folded into the file
        with open(copy, "rb") as file:
            jailfiles.replace(path, file.read())
    return note


def stored_notes(app):
    """Every note in ``app``'s database, oldest first ([] when there is no database or table yet)."""
    with connect(app) as db:
        if db is None:
            return []
        try:
            return [dict(row) for row in db.execute("SELECT id, title, body, created FROM note ORDER BY id")]
        except sqlite3.Error:
            return []
