"""The JSON notes API: RESTful request dispatching with one blueprint."""

from http import HTTPStatus

from flask import Blueprint, Response, abort, jsonify, request, url_for
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


@bp.route("/notes", methods=("GET", "POST"))
def collection():
    if request.method == "GET":
        return jsonify(db.list_notes())
    payload = read_note()
    stored = db.create_note(payload["title"], payload["body"])
    answer = jsonify(stored)
    answer.status_code = HTTPStatus.CREATED
    answer.location = url_for("api.item", note_id=stored["id"])
    return answer


@bp.route("/notes/<int:note_id>", methods=("GET", "PUT", "DELETE"))
def item(note_id):
    current = find_note(note_id)
    if request.method == "DELETE":
        db.delete_note(note_id)
        return Response(status=HTTPStatus.NO_CONTENT)
    if request.method == "PUT":
        payload = read_note()
        current = db.update_note(note_id, payload["title"], payload["body"])
    return jsonify(current)
