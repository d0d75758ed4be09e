"""The notes page: templates, a form, POST-redirect-GET and flash messages."""

from flask import Blueprint, flash, redirect, render_template, request, url_for

from . import db
from .validation import validate_note

bp = Blueprint("notes", __name__)


@bp.get("/notes")
def index():
    """List the notes, with a form to add one."""
    return render_template("notes.html", notes=db.list_notes(), form={}, error=None)


@bp.post("/notes")
def create():
    """Add a note from the form, then redirect (POST-redirect-GET)."""
    fields, error = validate_note({key: request.form[key] for key in ("title", "body") if key in request.form})
    if error:
        return render_template("notes.html", notes=db.list_notes(), form=request.form, error=error), 400
    db.create_note(fields["title"], fields["body"])
    flash(f"Saved the note {fields['title']!r}.")
    return redirect(url_for("notes.index"))
