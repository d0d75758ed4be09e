"""Signing in and out, kept in Flask's signed session cookie."""

from flask import Blueprint, abort, redirect, request, session, url_for

bp = Blueprint("auth", __name__)

NAME_MAX = 50


def home():
    return redirect(url_for("pages.index"))


def wanted_name():
    """The name typed in the sign-in form, or a 400 error."""
    typed = request.form.get("name", "")
    typed = typed.strip()
    if typed == "" or len(typed) > NAME_MAX:
        abort(400, f"Type a name of 1 to {NAME_MAX} characters.")
    return typed


@bp.post("/logout")
def logout():
    session.pop("name", None)
    session.clear()
    return home()


@bp.post("/login")
def login():
    name = wanted_name()
    session.clear()  # a fresh session for whoever signs in
    session["name"] = name
    return home()
