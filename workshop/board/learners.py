"""The learners' JSON API: join with the class code, then report and leave with one's own token."""

import sqlite3
import time

from flask import abort
from flask import Blueprint
from flask import current_app
from flask import g
from flask import request
from werkzeug.exceptions import TooManyRequests

from . import names
from . import validation
from .auth import learner_required
from .auth import new_secret
from .auth import refuse
from .auth import same_secret
from .db import transaction

bp = Blueprint("learners", __name__)

HISTORY = 100  # reports kept per learner for the export: a report every two minutes for over three hours


@bp.post("/join/<code>")
def join(code):
    """Add a learner: 201 with the token that their reports carry."""
    joins = current_app.extensions["board.joins"]
    if not joins.allow(request.remote_addr):
        raise TooManyRequests("Too many joins from this computer: try again in a minute.", retry_after=joins.wait())
    if not same_secret(code, current_app.config["CLASS_CODE"]):
        abort(403, "This is not the join address of this board: copy it again from the instructor.")
    name = validation.join_request()
    secret, secret_hash = new_secret()
    now = time.time()
    with transaction() as db:
        if db.execute("SELECT COUNT(*) FROM learner").fetchone()[0] >= current_app.config["MAX_LEARNERS"]:
            abort(403, "The board is full.")
        try:
            learner_id = db.execute(
                "INSERT INTO learner (name, name_key, secret_hash, address, joined, seen) VALUES (?, ?, ?, ?, ?, ?)",
                (name, names.key(name), secret_hash, request.remote_addr, now, now),
            ).lastrowid
        except sqlite3.IntegrityError:
            abort(409, "This name is taken on the board: add an initial.")
    return {"name": name, "token": f"{learner_id}.{secret}"}, 201


@bp.post("/api/checks")
@learner_required
def report_checks():
    """Keep how many checks passed, which fail and since when, the first failing and why, and the
    report in the history."""
    step, checks = validation.checks_report()
    learner_id = g.learner["id"]
    now = time.time()
    failing = [c for c in checks if not c["passed"]]
    with transaction() as db:
        seen(db, learner_id, now, step=step)
        since = dict(db.execute(
            "SELECT name, since FROM failing WHERE learner_id = ? AND step = ?", (learner_id, step)
        ).fetchall())
        db.execute("DELETE FROM failing WHERE learner_id = ?", (learner_id,))
        db.execute("DELETE FROM first_failing WHERE learner_id = ?", (learner_id,))
        if failing:
            db.execute("INSERT INTO first_failing (learner_id, step, title, kind) VALUES (?, ?, ?, ?)",
                       (learner_id, step, failing[0]["title"], failing[0]["kind"]))
        db.executemany(
            "INSERT INTO failing (learner_id, step, name, title, since) VALUES (?, ?, ?, ?, ?)",
            [(learner_id, step, c["name"], c["title"], since.get(c["name"], now)) for c in failing],
        )
        passed, total = len(checks) - len(failing), len(checks)
        db.execute("INSERT OR REPLACE INTO result (learner_id, step, passed, total) VALUES (?, ?, ?, ?)",
                   (learner_id, step, passed, total))
        remember(db, learner_id, now, "check", step, passed, total)
    return {"step": step, "passed": passed, "total": total}


@bp.post("/api/catchup")
@learner_required
def report_catchup():
    """Note that the learner's app was brought to its state after a step."""
    step = validation.catchup_report()
    now = time.time()
    with transaction() as db:
        seen(db, g.learner["id"], now, step=None, caught_up=step)
        remember(db, g.learner["id"], now, "catchup", step)
    return {"caught_up": step}


@bp.delete("/api/learner")
@learner_required
def leave():
    """Delete everything the board holds about the learner."""
    with transaction() as db:
        db.execute("DELETE FROM learner WHERE id = ?", (g.learner["id"],))  # and, by cascade, their results
    current_app.extensions["board.reports"].forget(g.learner["id"])
    return {"left": g.learner["name"]}


def seen(db, learner_id, now, **columns):
    """Update the learner's row, in the report's transaction; 401 if they left meanwhile."""
    assignments = "".join(f", {column} = ?" for column in columns)
    if not db.execute(f"UPDATE learner SET seen = ?{assignments} WHERE id = ?",
                      (now, *columns.values(), learner_id)).rowcount:
        refuse("This token is not a learner's on this board: join again.")


def remember(db, learner_id, now, kind, step, passed=None, total=None):
    """Add a report to the learner's history, forgetting what is older than the latest HISTORY."""
    db.execute("INSERT INTO event (learner_id, at, kind, step, passed, total) VALUES (?, ?, ?, ?, ?, ?)",
               (learner_id, now, kind, step, passed, total))
    db.execute("DELETE FROM event WHERE learner_id = ? AND id <= (SELECT id FROM event WHERE learner_id = ?"
               " ORDER BY id DESC LIMIT 1 OFFSET ?)", (learner_id, learner_id, HISTORY))
