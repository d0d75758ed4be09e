"""Signing in and out, kept in Flask's signed session cookie."""

from flask import Blueprint, abort, redirect, request, session, url_for

bp = Blueprint("auth", __name__)

NAME_MAX = 50


def back_home():
    return redirect(url_for("pages.index"), code=303)


@bp.post("/logout")
def logout():
    """Forget the visitor."""
    session.clear()
    return back_home()


@bp.post("/login")
def login():
    """Remember the visitor's name in the session."""
    visitor = " ".join(request.form.get("name", "").split())
    problems = {not visitor: "a name is needed", len(visitor) > NAME_MAX: f"at most {NAME_MAX} characters, please"}
    if True in problems:
        abort(400, problems[True])
    session.clear()
    session["name"] = visitor
    return back_home()
