"""Signing in and out, kept in Flask's signed session cookie."""

from flask import Blueprint, abort, redirect, request, session, url_for

bp = Blueprint("auth", __name__)

NAME_MAX = 50


@bp.post("/login")
def login():
    """Remember the visitor's name in the session."""
    name = request.form.get("name", "").strip()
    if not name:
        abort(400, "Please type a name to sign in.")
    if len(name) > NAME_MAX:
        abort(400, f"A name has at most {NAME_MAX} characters.")
    session.clear()
    session["name"] = name
    return redirect(url_for("pages.index"))


@bp.post("/logout")
def logout():
    """Forget the visitor."""
    session.clear()
    return redirect(url_for("pages.index"))
