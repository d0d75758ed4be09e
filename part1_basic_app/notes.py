"""The notes page: templates, a form, POST-redirect-GET and flash messages."""

from flask import Blueprint, abort

bp = Blueprint("notes", __name__)


@bp.get("/notes")
def index():
    """List the notes, with a form to add one."""
    # TODO step 3 (notebooks/03_templates.ipynb): render templates/notes.html
    # with the notes (db.list_notes()) and an empty form.
    abort(501, "TODO step 3: show the notes page in part1_basic_app/notes.py.")


@bp.post("/notes")
def create():
    """Add a note from the form, then redirect (POST-redirect-GET)."""
    # TODO step 3 (notebooks/03_templates.ipynb): validate the form with
    # validate_note; when invalid, show the page again with the error (400);
    # else store the note, flash a message and redirect to the notes page.
    abort(501, "TODO step 3: add a note from the form in part1_basic_app/notes.py.")
