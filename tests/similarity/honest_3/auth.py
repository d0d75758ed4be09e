"""Signing in and out, kept in Flask's signed session cookie."""

from flask import Blueprint, abort, redirect, request, session

bp = Blueprint("auth", __name__)

NAME_MAX = 50


@bp.post("/login")
def login():
    name = request.form.get("name") or ""
    if not 0 < len(name.strip()) <= NAME_MAX:
        abort(400)
    session.clear()
    session.update(name=name.strip())
    return redirect("/")


@bp.post("/logout")
def logout():
    session.clear()
    return redirect("/")
