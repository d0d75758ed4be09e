"""Signing in and out, kept in Flask's signed session cookie."""

# SOLUTION step 4
from flask import Blueprint, abort, flash, redirect, request, session, url_for
# STARTER
from flask import Blueprint, abort
# END SOLUTION

bp = Blueprint("auth", __name__)

NAME_MAX = 50


@bp.post("/login")
def login():
    """Remember the visitor's name in the session."""
    # SOLUTION step 4
    name = request.form.get("name", "").strip()
    if not name or len(name) > NAME_MAX:
        abort(400, f"Please give a name of 1 to {NAME_MAX} characters.")
    session.clear()
    session["name"] = name
    flash(f"Welcome, {name}!")
    return redirect(url_for("pages.index"), 303)
    # STARTER
    # TODO step 4 (notebooks/04_sessions.ipynb): read the form field "name"
    # (400 when empty or longer than NAME_MAX), store it in session["name"]
    # and redirect to the home page.
    abort(501, "TODO step 4: sign in in part1_basic_app/auth.py.")
    # END SOLUTION


@bp.post("/logout")
def logout():
    """Forget the visitor."""
    # SOLUTION step 4
    session.clear()
    flash("You are signed out.")
    return redirect(url_for("pages.index"), 303)
    # STARTER
    # TODO step 4 (notebooks/04_sessions.ipynb): clear the session and redirect
    # to the home page.
    abort(501, "TODO step 4: sign out in part1_basic_app/auth.py.")
    # END SOLUTION
