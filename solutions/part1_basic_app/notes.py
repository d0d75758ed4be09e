"""The notes page: templates, a form, POST-redirect-GET and flash messages."""

# SOLUTION step 3
from flask import Blueprint, flash, redirect, render_template, request, url_for

from . import db
from .validation import validate_note
# STARTER
from flask import Blueprint, abort
# END SOLUTION

bp = Blueprint("notes", __name__)


@bp.get("/notes")
def index():
    """List the notes, with a form to add one."""
    # SOLUTION step 3
    return render_template("notes.html", notes=db.list_notes(), form={})
    # STARTER
    # TODO step 3 (notebooks/03_templates.ipynb): render templates/notes.html
    # with the notes (db.list_notes()) and an empty form.
    abort(501, "TODO step 3: show the notes page in part1_basic_app/notes.py.")
    # END SOLUTION


@bp.post("/notes")
def create():
    """Add a note from the form, then redirect (POST-redirect-GET)."""
    # SOLUTION step 3
    form = {"title": request.form.get("title", ""), "body": request.form.get("body", "")}
    fields, error = validate_note(form)
    if error:
        return render_template("notes.html", notes=db.list_notes(), form=form, error=error), 400
    db.create_note(**fields)
    flash(f"Added the note “{fields['title']}”.")
    return redirect(url_for("notes.index"), 303)
    # STARTER
    # TODO step 3 (notebooks/03_templates.ipynb): validate the form with
    # validate_note; when invalid, show the page again with the error (400);
    # else store the note, flash a message and redirect to the notes page.
    abort(501, "TODO step 3: add a note from the form in part1_basic_app/notes.py.")
    # END SOLUTION
