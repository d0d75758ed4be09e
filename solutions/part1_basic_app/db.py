"""Storage for notes in SQLite (given complete: the workshop is about Flask, not SQL)."""

import sqlite3

import click
from flask import current_app, g


def get_db():
    """Return this request's connection, opening it (and creating the table) if needed."""
    if "db" not in g:
        g.db = sqlite3.connect(current_app.config["DATABASE"])
        g.db.row_factory = sqlite3.Row
        create_table(g.db)
    return g.db


def create_table(db):
    """Create the note table if it does not exist yet."""
    with current_app.open_resource("schema.sql") as f:
        db.executescript(f.read().decode("utf-8"))


def close_db(e=None):
    """Close the connection at the end of the request, if one was opened."""
    db = g.pop("db", None)
    if db is not None:
        db.close()


def init_db():
    """Drop every note and create the table anew."""
    db = get_db()
    db.execute("DROP TABLE IF EXISTS note")
    create_table(db)


@click.command("init-db")
def init_db_command():
    """Clear the existing data and create a new table."""
    init_db()
    click.echo("Initialized the database.")


def init_app(app):
    """Register the database functions with the app."""
    app.teardown_appcontext(close_db)
    app.cli.add_command(init_db_command)


def list_notes():
    """Every note, as a list of dicts, oldest first."""
    rows = get_db().execute("SELECT * FROM note ORDER BY id").fetchall()
    return [dict(row) for row in rows]


def get_note(note_id):
    """The note with this id as a dict, or None when there is none."""
    try:
        row = get_db().execute("SELECT * FROM note WHERE id = ?", (note_id,)).fetchone()
    except OverflowError:  # an id too large for SQLite names no note
        return None
    return dict(row) if row else None


def create_note(title, body=""):
    """Store a new note and return it."""
    db = get_db()
    cursor = db.execute("INSERT INTO note (title, body) VALUES (?, ?)", (title, body))
    db.commit()
    return get_note(cursor.lastrowid)


def update_note(note_id, title, body=""):
    """Replace a note's title and body and return it (None when there is no such note)."""
    db = get_db()
    db.execute("UPDATE note SET title = ?, body = ? WHERE id = ?", (title, body, note_id))
    db.commit()
    return get_note(note_id)


def delete_note(note_id):
    """Delete a note; return whether there was one."""
    db = get_db()
    deleted = db.execute("DELETE FROM note WHERE id = ?", (note_id,)).rowcount
    db.commit()
    return deleted > 0
