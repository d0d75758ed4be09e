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
    all_notes = db.list_notes()
    return jsonify(all_notes), 200


@bp.post("/notes")
def create_note():
    """Create a note: 201 Created, with its URL in the Location header."""
    fields = read_note()
    title = fields["title"]
    body = fields["body"]
    new_note = db.create_note(title, body)
    location = url_for("api.get_note", note_id=new_note["id"])
    headers = {"Location": location}
    return jsonify(new_note), 201, headers


@bp.get("/notes/<int:note_id>")
def get_note(note_id):
    """One note, or 404."""
    note = find_note(note_id)
    return jsonify(note), 200


@bp.put("/notes/<int:note_id>")
def update_note(note_id):
    """Replace a note's title and body."""
    note = db.get_note(note_id)
    if note is None:
        abort(404, "No note has the id " + str(note_id) + ".")
    fields = read_note()
    title = fields["title"]
    body = fields["body"]
    updated = db.update_note(note_id, title, body)
    return jsonify(updated), 200


@bp.delete("/notes/<int:note_id>")
def delete_note(note_id):
    """Delete a note: 204 No Content."""
    note = db.get_note(note_id)
    if note is None:
        abort(404, "No note has the id " + str(note_id) + ".")
    db.delete_note(note_id)
    return "", 204
