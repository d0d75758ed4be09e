"""The notes page: templates, a form, POST-redirect-GET and flash messages."""

from flask import Blueprint, flash, redirect, render_template, request

from . import db
from .validation import validate_note

bp = Blueprint("notes", __name__)


@bp.route("/notes", methods=["GET", "POST"])
def index():
    form, error = request.form, None
    if request.method == "POST":
        fields, error = validate_note(dict(title=form.get("title", ""), body=form.get("body", "")))
        if not error:
            db.create_note(**fields)
            flash("Your note was saved")
            return redirect(request.path)
    notes = db.list_notes()
    return render_template("notes.html", notes=notes, form=form, error=error), 400 if error else 200
