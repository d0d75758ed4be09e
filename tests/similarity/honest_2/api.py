"""The JSON notes API: RESTful request dispatching with one blueprint."""

from flask import Blueprint, abort, jsonify, make_response, request, url_for
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


def note_url(note):
    return url_for(".get_note", note_id=note["id"])


@bp.route("/notes/<int:note_id>", methods=["GET"])
def get_note(note_id):
    return find_note(note_id)


@bp.route("/notes/<int:note_id>", methods=["DELETE"])
def delete_note(note_id):
    find_note(note_id)
    db.delete_note(note_id)
    return make_response("", 204)


@bp.route("/notes/<int:note_id>", methods=["PUT"])
def update_note(note_id):
    find_note(note_id)
    new = read_note()
    return db.update_note(note_id, new["title"], new.get("body", ""))


@bp.route("/notes", methods=["POST"])
def create_note():
    new = read_note()
    saved = db.create_note(new["title"], new.get("body", ""))
    return saved, 201, {"Location": note_url(saved)}


@bp.route("/notes", methods=["GET"])
def list_notes():
    return jsonify(db.list_notes())
