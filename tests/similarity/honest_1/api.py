"""The JSON notes API: RESTful request dispatching with one blueprint."""

from flask import Blueprint, abort, jsonify, request, url_for
from werkzeug.exceptions import HTTPException

from . import db
from .validation import validate_note

bp = Blueprint("api", __name__, url_prefix="/api")


@bp.errorhandler(HTTPException)
def error_response(error):
    """Answer an HTTP error with JSON: ``{"error": "what is wrong"}``."""
    response = jsonify(error=error.description)
    response.status_code = error.code
    if getattr(error, "valid_methods", None):
        response.headers["Allow"] = ", ".join(error.valid_methods)
    return response


def find_note(note_id):
    """Return the note with this id, or abort with 404."""
    return found(db.get_note(note_id), note_id)


def found(note, note_id):
    """Return the note, or abort with 404 when it is None (there is no such note)."""
    if note is None:
        abort(404, f"There is no note {note_id}.")
    return note


def read_note():
    """Return the valid fields of the request's JSON body, or abort with 400 or 415."""
    try:
        data = request.get_json()
    except RecursionError:  # the json module gives up on very deeply nested arrays
        abort(400, "The JSON is nested too deeply.")
    fields, error = validate_note(data)
    if error:
        abort(400, error)
    return fields


@bp.get("/notes")
def list_notes():
    """Every note, oldest first."""
    return jsonify(db.list_notes())


@bp.post("/notes")
def create_note():
    """Create a note: 201 Created, with its URL in the Location header."""
    fields = read_note()
    note = db.create_note(fields["title"], fields["body"])
    response = jsonify(note)
    response.status_code = 201
    response.headers["Location"] = url_for("api.get_note", note_id=note["id"])
    return response


@bp.get("/notes/<int:note_id>")
def get_note(note_id):
    """One note, or 404."""
    return jsonify(find_note(note_id))


@bp.put("/notes/<int:note_id>")
def update_note(note_id):
    """Replace a note's title and body."""
    find_note(note_id)
    fields = read_note()
    note = db.update_note(note_id, fields["title"], fields["body"])
    return jsonify(found(note, note_id))


@bp.delete("/notes/<int:note_id>")
def delete_note(note_id):
    """Delete a note: 204 No Content."""
    if not db.delete_note(note_id):
        abort(404, f"There is no note {note_id}.")
    return "", 204
