"""The notes page: templates, a form, POST-redirect-GET and flash messages."""

from flask import Blueprint, flash, redirect, render_template, request, url_for

from . import db
from .validation import validate_note

bp = Blueprint("notes", __name__)


@bp.post("/notes")
def create():
    """Add a note from the form, then redirect (POST-redirect-GET)."""
    draft = {key: request.form.get(key, "") for key in ("title", "body")}
    clean, message = validate_note(draft)
    if message:
        return show(draft, message), 400
    flash("Added “%s”." % db.create_note(clean["title"], clean["body"])["title"])
    return redirect(url_for("notes.index"), code=303)


@bp.get("/notes")
def index():
    """List the notes, with a form to add one."""
    return show()


def show(draft=None, message=None):
    return render_template("notes.html", notes=db.list_notes(), form=draft or {}, error=message)
