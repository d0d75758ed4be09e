"""The notes page: templates, a form, POST-redirect-GET and flash messages."""

from flask import Blueprint, flash, redirect, render_template, request, url_for

from . import db
from .validation import validate_note

bp = Blueprint("notes", __name__)


@bp.get("/notes")
def index():
    """List the notes, with a form to add one."""
    all_notes = db.list_notes()
    empty_form = {"title": "", "body": ""}
    return render_template("notes.html", notes=all_notes, form=empty_form, error="")


@bp.post("/notes")
def create():
    """Add a note from the form, then redirect (POST-redirect-GET)."""
    title = request.form.get("title", "")
    body = request.form.get("body", "")
    typed = {"title": title, "body": body}
    fields, error = validate_note(typed)
    if error is not None:
        all_notes = db.list_notes()
        page = render_template("notes.html", notes=all_notes, form=typed, error=error)
        return page, 400
    db.create_note(fields["title"], fields["body"])
    flash("The note was added.")
    notes_page = url_for("notes.index")
    return redirect(notes_page)
