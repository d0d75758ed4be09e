"""The notes page: templates, a form, POST-redirect-GET and flash messages."""

from flask import Blueprint, flash, redirect, render_template, request, url_for

from . import db
from .validation import validate_note

bp = Blueprint("notes", __name__)


def page(form, error=None, status=200):
    """The notes page, with the form filled in as given."""
    html = render_template("notes.html", notes=db.list_notes(), form=form, error=error)
    return html, status


@bp.post("/notes")
def create():
    typed = {"title": request.form.get("title", ""), "body": request.form.get("body", "")}
    note, problem = validate_note(typed)
    if problem is not None:
        return page(typed, problem, 400)
    db.create_note(note["title"], note["body"])
    flash("Note added.")
    return redirect(url_for(".index"))


@bp.get("/notes")
def index():
    return page({"title": "", "body": ""})
