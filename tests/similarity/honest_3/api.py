"""The JSON notes API: RESTful request dispatching with one blueprint."""

from flask import Blueprint, abort, jsonify, request, url_for
from flask.views import MethodView
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


class NoteList(MethodView):
    def get(self):
        return jsonify(db.list_notes())

    def post(self):
        note = db.create_note(**read_note())
        return jsonify(note), 201, {"Location": url_for("api.note", note_id=note["id"])}


class Note(MethodView):
    def get(self, note_id):
        return jsonify(find_note(note_id))

    def put(self, note_id):
        find_note(note_id)
        return jsonify(found(db.update_note(note_id, **read_note()), note_id))

    def delete(self, note_id):
        if db.delete_note(note_id):
            return "", 204
        abort(404, f"There is no note {note_id}.")


bp.add_url_rule("/notes", view_func=NoteList.as_view("notes"))
bp.add_url_rule("/notes/<int:note_id>", view_func=Note.as_view("note"))
