"""Who may do what: the class code joins, a learner's secret writes that learner's results only.

Secrets are compared in constant time; the board keeps only a hash of each learner's secret.
"""

import functools
import hashlib
import hmac
import secrets

from flask import abort, current_app, g, request
from werkzeug.datastructures import WWWAuthenticate
from werkzeug.exceptions import TooManyRequests, Unauthorized

from .db import get_db


def same_secret(given, expected):
    """Whether ``given`` is ``expected``, in a time that does not tell how much of it matched."""
    return hmac.compare_digest(given.encode("utf-8", "replace"), expected.encode("utf-8"))


def digest(secret):
    return hashlib.sha256(secret.encode("utf-8", "replace")).hexdigest()


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
            row = get_db().execute("SELECT id, name, secret_hash FROM learner WHERE id = ?", (int(learner_id),)).fetchone()
        if row is None or not same_secret(digest(secret), row["secret_hash"]):
            refuse("This token is not a learner's on this board: join again.")
        if not current_app.extensions["board.reports"].allow(row["id"]):
            raise TooManyRequests("Too many reports at once: the board takes the next one in a second.", retry_after=1)
        g.learner = row
        return view(**kwargs)

    return wrapped_view


def instructor_only(endpoint, values):
    """Every instructor's address starts with the instructor's secret: check it, then drop it."""
    if not same_secret(values.pop("secret"), current_app.config["INSTRUCTOR_SECRET"]):
        abort(403, "This is not the instructor's address of this board.")
