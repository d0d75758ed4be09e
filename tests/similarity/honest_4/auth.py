"""Signing in and out, kept in Flask's signed session cookie."""

from flask import Blueprint, abort, redirect, request, session, url_for

bp = Blueprint("auth", __name__)

NAME_MAX = 50


@bp.post("/login")
def login():
    """Remember the visitor's name in the session."""
    name = request.form.get("name")
    if name is None:
        abort(400, "The form has no name field.")
    name = name.strip()
    if len(name) == 0:
        abort(400, "The name is empty.")
    if len(name) > NAME_MAX:
        abort(400, "The name is too long.")
    # start a new session, so nothing of an earlier visitor stays
    session.clear()
    session["name"] = name
    home = url_for("pages.index")
    return redirect(home)


@bp.post("/logout")
def logout():
    """Forget the visitor."""
    session.clear()
    home = url_for("pages.index")
    return redirect(home)
