"""Who may do what: the class code joins, a learner's secret writes that learner's results only,
the instructor's cookie reads the board and removes learners.

Secrets are compared in constant time; the board keeps only a hash of each learner's secret, of
the instructor's, and of each instructor's cookie.
"""

import functools
import hmac
import secrets

from flask import abort
from flask import current_app
from flask import g
from flask import redirect
from flask import request
from flask import url_for
from werkzeug.datastructures import WWWAuthenticate
from werkzeug.exceptions import TooManyRequests
from werkzeug.exceptions import Unauthorized

from .db import digest
from .db import get_db

INSTRUCTOR_COOKIE = "board_instructor"


def same_secret(given, expected):
    """Whether ``given`` is ``expected``, in a time that does not tell how much of it matched."""
    return hmac.compare_digest(given.encode("utf-8", "replace"), expected.encode("utf-8"))


def new_secret():
    """(secret, its hash) for a new learner."""
    secret = secrets.token_urlsafe(24)
    return secret, digest(secret)


def refuse(description):
    raise Unauthorized(description, www_authenticate=WWWAuthenticate("bearer"))


def learner_required(view):
    """Run ``view`` with ``g.learner`` set from the ``Authorization: Bearer ID.SECRET`` header,
    at most as often as the learner's rate limit allows."""

    @functools.wraps(view)
    def wrapped_view(**kwargs):
        credentials = request.authorization
        if credentials is None or credentials.type != "bearer" or not credentials.token:
            refuse("Send your learner's token: Authorization: Bearer ID.SECRET.")
        learner_id, _, secret = credentials.token.partition(".")
        row = None
        if learner_id.isascii() and learner_id.isdigit() and len(learner_id) <= 12:
            row = get_db().execute("SELECT id, name, secret_hash FROM learner WHERE id = ?",
                                   (int(learner_id),)).fetchone()
        if row is None or not same_secret(digest(secret), row["secret_hash"]):
            refuse("This token is not a learner's on this board: join again.")
        reports = current_app.extensions["board.reports"]
        if not reports.allow(row["id"]):
            raise TooManyRequests("Too many reports at once: the board takes the next one in a second.",
                                  retry_after=reports.wait())
        g.learner = row
        return view(**kwargs)

    return wrapped_view


def sign_instructor_in(secret):
    """Trade the secret of the instructor's address for a cookie, then show the page at a clean
    address: a projector shows no secret."""
    stored = get_db().execute("SELECT value FROM secret WHERE role = 'instructor'").fetchone()[0]
    if not same_secret(digest(secret), stored):
        abort(403, "This is not the instructor's address of this board: it writes a new one at each start.")
    key = secrets.token_urlsafe(24)
    get_db().execute("INSERT INTO instructor_key (key_hash) VALUES (?)", (digest(key),))
    response = redirect(url_for("instructor.page"), 303)
    response.set_cookie(INSTRUCTOR_COOKIE, key, path="/instructor", httponly=True, samesite="Strict")
    return response


def instructor_required(view):
    """Run ``view`` for the instructor only: the browser that opened the instructor's address."""

    @functools.wraps(view)
    def wrapped_view(**kwargs):
        key = request.cookies.get(INSTRUCTOR_COOKIE, "")
        if not key or not get_db().execute("SELECT 1 FROM instructor_key WHERE key_hash = ?",
                                           (digest(key),)).fetchone():
            abort(403, "Open the instructor's address that the board wrote to instructor-address.txt in its folder"
                       " when it started.")
        return view(**kwargs)

    return wrapped_view
