"""The board's SQLite storage: one connection per request, tables created on start."""

import hashlib
import os
import secrets
import sqlite3
import weakref
from contextlib import contextmanager

from flask import current_app
from flask import g

CLASS_CODE_BYTES = 6  # short enough to read off a projector
INSTRUCTOR_SECRET_BYTES = 24
SCHEMA_VERSION = 2
WAL_BYTES = 1_000_000  # what the write-ahead log keeps on disk between checkpoints


class OlderBoard(Exception):
    """The board's folder was made by an older version of the board."""


def digest(secret):
    """What the board keeps of a secret that it need not read back."""
    return hashlib.sha256(secret.encode("utf-8", "replace")).hexdigest()


def get_db():
    """This request's connection, opened on first use."""
    if "db" not in g:
        g.db = sqlite3.connect(current_app.config["DATABASE"], timeout=10, isolation_level=None)
        g.db.row_factory = sqlite3.Row
        g.db.execute("PRAGMA synchronous = NORMAL")  # with WAL, a crash of the board loses no report
        g.db.execute("PRAGMA foreign_keys = ON")  # deleting a learner deletes their results
        g.db.execute(f"PRAGMA journal_size_limit = {WAL_BYTES}")
    return g.db


def close_db(e=None):
    db = g.pop("db", None)
    if db is not None:
        db.close()


@contextmanager
def transaction(kind="IMMEDIATE"):
    """The connection, in a transaction: IMMEDIATE writes all or nothing (waiting its turn to
    write), DEFERRED reads one consistent state of the board."""
    db = get_db()
    db.execute(f"BEGIN {kind}")
    try:
        yield db
    except BaseException:
        db.execute("ROLLBACK")
        raise
    db.execute("COMMIT")


def init_db():
    """Create the tables that do not exist yet and the class code, once, and a new instructor's
    secret, of which only a hash is kept; return both."""
    db = get_db()
    db.execute("PRAGMA journal_mode = WAL")  # readers never wait for a writer
    older = db.execute("PRAGMA user_version").fetchone()[0] != SCHEMA_VERSION
    if older and db.execute("SELECT * FROM sqlite_master").fetchone():
        raise OlderBoard(f"{current_app.config['DATABASE']} was made by an older version of the board:"
                         " delete its folder, or pick another one with --data.")
    with current_app.open_resource("schema.sql") as f:
        db.executescript(f.read().decode("utf-8"))
    db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
    instructor_secret = secrets.token_urlsafe(INSTRUCTOR_SECRET_BYTES)
    with transaction() as db:
        db.execute("INSERT OR IGNORE INTO secret (role, value) VALUES ('class', ?)",
                   (secrets.token_urlsafe(CLASS_CODE_BYTES),))
        db.execute("INSERT OR REPLACE INTO secret (role, value) VALUES ('instructor', ?)", (digest(instructor_secret),))
        class_code = db.execute("SELECT value FROM secret WHERE role = 'class'").fetchone()[0]
    return class_code, instructor_secret


def init_app(app):
    """Create the storage now, keep its secrets in the config, close each request's connection."""
    app.teardown_appcontext(close_db)
    make_private(app.config["DATABASE"])
    with app.app_context():
        class_code, instructor_secret = init_db()
    app.config.update(CLASS_CODE=class_code, INSTRUCTOR_SECRET=instructor_secret)
    keep_open(app)


def make_private(database):
    """Create the board's folder for its owner only (0700), and the database for its owner
    only (0600): SQLite gives its journal files the database's mode."""
    os.makedirs(os.path.dirname(database), mode=0o700, exist_ok=True)
    os.close(os.open(database, os.O_WRONLY | os.O_CREAT, 0o600))
    os.chmod(database, 0o600)


def keep_open(app):
    """Keep a connection open while the app lives. Without it, each request's connection closes
    as the last one, and SQLite then checkpoints and syncs its WAL: 35 ms a request instead of 1."""
    keeper = sqlite3.connect(app.config["DATABASE"], check_same_thread=False)
    keeper.execute("SELECT COUNT(*) FROM secret").fetchall()  # a first read opens the WAL index
    weakref.finalize(app, keeper.close)
