"""Signing in and out, kept in Flask's signed session cookie."""

from flask import Blueprint, abort

bp = Blueprint("auth", __name__)

NAME_MAX = 50


@bp.post("/login")
def login():
    """Remember the visitor's name in the session."""
    # TODO step 4 (notebooks/04_sessions.ipynb): read the form field "name"
    # (400 when empty or longer than NAME_MAX), store it in session["name"]
    # and redirect to the home page.
    abort(501, "TODO step 4: sign in in part1_basic_app/auth.py.")


@bp.post("/logout")
def logout():
    """Forget the visitor."""
    # TODO step 4 (notebooks/04_sessions.ipynb): clear the session and redirect
    # to the home page.
    abort(501, "TODO step 4: sign out in part1_basic_app/auth.py.")
