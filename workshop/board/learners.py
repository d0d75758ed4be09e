"""The learners' JSON API: join with the class code, then report and leave with one's own token."""

import sqlite3
import time

from flask import Blueprint, abort, current_app, g

from . import validation
from .auth import learner_required, new_secret, same_secret
from .db import transaction

bp = Blueprint("learners", __name__)


@bp.post("/join/<code>")
def join(code):
    """Add a learner: 201 with the token that their reports carry."""
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
                "INSERT INTO learner (name, secret_hash, joined, seen) VALUES (?, ?, ?, ?)",
                (name, secret_hash, now, now),
            ).lastrowid
        except sqlite3.IntegrityError:
            abort(409, f"Someone on the board is already called {name}: add an initial.")
    return {"name": name, "token": f"{learner_id}.{secret}"}, 201


@bp.post("/api/checks")
@learner_required
def report_checks():
    """Keep a self-check's verdict per check, and since when each failing check has failed."""
    step, checks = validation.checks_report()
    learner_id = g.learner["id"]
    now = time.time()
    with transaction() as db:
        failing_since = dict(db.execute(
            "SELECT name, failing_since FROM verdict WHERE learner_id = ? AND step = ?", (learner_id, step)
        ).fetchall())
        db.execute("DELETE FROM verdict WHERE learner_id = ? AND step = ?", (learner_id, step))
        db.executemany(
            "INSERT INTO verdict (learner_id, step, name, title, passed, failing_since) VALUES (?, ?, ?, ?, ?, ?)",
            [(learner_id, step, c["name"], c["title"], c["passed"],
              None if c["passed"] else failing_since.get(c["name"]) or now) for c in checks],
        )
        failing = [c["title"] for c in checks if not c["passed"]]
        db.execute(
            "INSERT INTO event (learner_id, at, kind, step, passed, total, failing) VALUES (?, ?, 'check', ?, ?, ?, ?)",
            (learner_id, now, step, len(checks) - len(failing), len(checks), "\n".join(failing)),
        )
        db.execute("UPDATE learner SET seen = ?, step = ? WHERE id = ?", (now, step, learner_id))
    return {"step": step, "passed": len(checks) - len(failing), "total": len(checks)}


@bp.post("/api/catchup")
@learner_required
def report_catchup():
    """Note that the learner's app was brought to its state after a step."""
    step = validation.catchup_report()
    now = time.time()
    with transaction() as db:
        db.execute("INSERT INTO event (learner_id, at, kind, step) VALUES (?, ?, 'catchup', ?)", (g.learner["id"], now, step))
        db.execute("UPDATE learner SET seen = ?, step = NULL, caught_up = ? WHERE id = ?", (now, step, g.learner["id"]))
    return {"caught_up": step}


@bp.delete("/api/learner")
@learner_required
def leave():
    """Delete everything the board holds about the learner."""
    learner_id = g.learner["id"]
    with transaction() as db:
        for table, column in (("event", "learner_id"), ("verdict", "learner_id"), ("learner", "id")):
            db.execute(f"DELETE FROM {table} WHERE {column} = ?", (learner_id,))
    current_app.extensions["board.reports"].forget(learner_id)
    return {"left": g.learner["name"]}
