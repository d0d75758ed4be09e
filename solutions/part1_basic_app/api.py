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
    # SOLUTION step 2
    return jsonify(db.list_notes())
    # STARTER
    # TODO step 2 (notebooks/02_routing_and_rest.ipynb): return every note as a
    # JSON list (db.list_notes()).
    abort(501, "TODO step 2: list the notes in part1_basic_app/api.py.")
    # END SOLUTION


@bp.post("/notes")
def create_note():
    """Create a note: 201 Created, with its URL in the Location header."""
    # SOLUTION step 2
    note = db.create_note(**read_note())
    return note, 201, {"Location": url_for("api.get_note", note_id=note["id"])}
    # STARTER
    # TODO step 2 (notebooks/02_routing_and_rest.ipynb): store the note from
    # read_note(), answer 201 with the note and a Location header (url_for).
    abort(501, "TODO step 2: create a note in part1_basic_app/api.py.")
    # END SOLUTION


@bp.get("/notes/<int:note_id>")
def get_note(note_id):
    """One note, or 404."""
    # SOLUTION step 2
    return find_note(note_id)
    # STARTER
    # TODO step 2 (notebooks/02_routing_and_rest.ipynb): return the note, or 404
    # when there is none (find_note does both).
    abort(501, "TODO step 2: read a note in part1_basic_app/api.py.")
    # END SOLUTION


@bp.put("/notes/<int:note_id>")
def update_note(note_id):
    """Replace a note's title and body."""
    # SOLUTION step 2
    find_note(note_id)
    # None when another request deleted the note meanwhile
    return found(db.update_note(note_id, **read_note()), note_id)
    # STARTER
    # TODO step 2 (notebooks/02_routing_and_rest.ipynb): 404 for an unknown
    # note, else replace it with read_note() and return the updated note.
    abort(501, "TODO step 2: update a note in part1_basic_app/api.py.")
    # END SOLUTION


@bp.delete("/notes/<int:note_id>")
def delete_note(note_id):
    """Delete a note: 204 No Content."""
    # SOLUTION step 2
    find_note(note_id)
    db.delete_note(note_id)
    return "", 204
    # STARTER
    # TODO step 2 (notebooks/02_routing_and_rest.ipynb): 404 for an unknown
    # note, else delete it and answer 204 with an empty body.
    abort(501, "TODO step 2: delete a note in part1_basic_app/api.py.")
    # END SOLUTION
