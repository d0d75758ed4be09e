"""The instructor's view: one live page, its data as JSON, the session as CSV, and removing learners.
(The projector's page, without names, is in projector.py.)

The address that the board prints trades its secret for a cookie; every other view needs the cookie.
"""

import csv
import io
import time
from collections import Counter
from datetime import datetime
from datetime import timezone

from flask import abort
from flask import Blueprint
from flask import current_app
from flask import render_template

from .. import STEPS
from .auth import instructor_required
from .auth import sign_instructor_in
from .db import get_db
from .db import transaction

bp = Blueprint("instructor", __name__, url_prefix="/instructor")
bp.add_url_rule("/<secret>/", view_func=sign_instructor_in)

MOST_FAILING = 5
LEARNER = f"<int(max={2 ** 63 - 1}):learner_id>"  # SQLite's largest integer
CSV_FIELDS = ["time (UTC)", "learner", "event", "step", "checks passed", "checks"]


@bp.get("/")
@instructor_required
def page():
    return render_template("board/instructor.html", steps=STEPS, refresh_seconds=current_app.config["REFRESH_SECONDS"])


@bp.get("/state.json")
@instructor_required
def state():
    """Each learner's latest verdict per step, who is stuck, who finished, what fails most, and
    the learners grouped by what they are stuck on.

    A result that belongs to no learner on the board is skipped: the page never breaks on one."""
    now = time.time()
    with transaction("DEFERRED") as db:
        rows = db.execute(
            "SELECT id, name, caught_up, address, joined FROM learner ORDER BY name COLLATE NOCASE, id"
        ).fetchall()
        burst_size = {learner_id: len(burst) for burst in bursts(rows) for learner_id in burst}
        learners = {row["id"]: {"id": row["id"], "name": row["name"], "caught_up": row["caught_up"], "steps": {},
                                "burst": burst_size[row["id"]]} for row in rows}
        for row in db.execute("SELECT learner_id, step, passed, total FROM result"):
            if row["learner_id"] in learners:
                learners[row["learner_id"]]["steps"][row["step"]] = {"passed": row["passed"], "total": row["total"]}
        # A learner's failing checks "now" are those of their latest self-check, unless they caught up since.
        failing_now = db.execute(
            "SELECT learner.name, failing.step, failing.title, failing.since FROM failing"
            " JOIN learner ON learner.id = failing.learner_id AND learner.step = failing.step"
            " ORDER BY failing.since, learner.name"
        ).fetchall()
        groups = stuck_groups(db)
    stuck_seconds = current_app.config["STUCK_SECONDS"]
    most_failing = Counter((row["step"], row["title"]) for row in failing_now).most_common(MOST_FAILING)
    return {
        "learners": list(learners.values()),
        "full": len(learners) >= current_app.config["MAX_LEARNERS"],
        "stuck_minutes": stuck_seconds / 60,
        "stuck": [
            {"name": row["name"], "step": row["step"], "title": row["title"],
             "minutes": int((now - row["since"]) // 60)}
            for row in failing_now if now - row["since"] > stuck_seconds
        ],
        "finished": {step: sum(finished(learner, step) for learner in learners.values()) for step in STEPS},
        "failing": [{"step": step, "title": title, "learners": count} for (step, title), count in most_failing],
        "groups": groups,
    }


def stuck_groups(db):
    """The learners grouped by the first check failing in their latest self-check (unless they
    caught up since) and the kind of failure: largest group first, each with its learners' names."""
    groups = {}
    for row in db.execute(
        "SELECT learner.name, first_failing.step, first_failing.title, first_failing.kind FROM first_failing"
        " JOIN learner ON learner.id = first_failing.learner_id AND learner.step = first_failing.step"
        " ORDER BY learner.name COLLATE NOCASE, learner.id"
    ):
        group = groups.setdefault((row["step"], row["title"], row["kind"]), {
            "step": row["step"], "title": row["title"], "kind": row["kind"], "names": [],
        })
        group["names"].append(row["name"])
    return sorted(groups.values(), key=lambda group: (-len(group["names"]), group["step"], group["title"]))


@bp.delete(f"/learners/{LEARNER}")
@instructor_required
def remove(learner_id):
    """Take a learner off the board, with everything the board holds about them."""
    return remove_learners([learner_id])


@bp.delete(f"/learners/{LEARNER}/burst")
@instructor_required
def remove_burst(learner_id):
    """Take a learner off the board, with everyone who joined in the same burst (a flood of joins)."""
    rows = get_db().execute(
        "SELECT id, address, joined FROM learner WHERE address IS (SELECT address FROM learner WHERE id = ?)",
        (learner_id,)
    ).fetchall()
    return remove_learners(next((burst for burst in bursts(rows) if learner_id in burst), []))


def remove_learners(ids):
    among = f"id IN ({', '.join('?' * len(ids))})"
    with transaction() as db:
        removed = [row["name"] for row in db.execute(f"SELECT name FROM learner WHERE {among}", ids)]
        db.execute(f"DELETE FROM learner WHERE {among}", ids)  # and, by cascade, their results
    if not removed:
        abort(404, "This learner is no longer on the board.")
    for learner_id in ids:
        current_app.extensions["board.reports"].forget(learner_id)
    return {"removed": removed}


def bursts(rows):
    """The learners of ``rows`` grouped by burst: joined from one address, each within
    BURST_SECONDS of the one before."""
    gap = current_app.config["BURST_SECONDS"]
    groups = []
    last = None
    for row in sorted(rows, key=lambda row: (row["address"] or "", row["joined"])):
        if last is None or row["address"] != last["address"] or row["joined"] - last["joined"] > gap:
            groups.append([])
        groups[-1].append(row["id"])
        last = row
    return groups


def finished(learner, step):
    """Whether every check of the learner's latest self-check of ``step`` passed."""
    verdict = learner["steps"].get(step)
    return verdict is not None and verdict["passed"] == verdict["total"]


@bp.get("/export.csv")
@instructor_required
def export():
    """Each learner's latest reports, oldest first, as a CSV file to download."""
    rows = get_db().execute(
        "SELECT event.at, learner.name, event.kind, event.step, event.passed, event.total"
        " FROM event JOIN learner ON learner.id = event.learner_id ORDER BY event.id"
    )
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_FIELDS)
    for row in rows:
        writer.writerow([
            datetime.fromtimestamp(row["at"], timezone.utc).strftime("%Y-%m-%d %H:%M:%S"),
            spreadsheet_safe(row["name"]),
            {"check": "self-check", "catchup": "catch-up"}[row["kind"]], row["step"], row["passed"], row["total"],
        ])
    stamp = time.strftime("%Y%m%d-%H%M")
    return out.getvalue(), {
        "Content-Type": "text/csv; charset=utf-8",
        "Content-Disposition": f'attachment; filename="class-board-{stamp}.csv"',
    }


def spreadsheet_safe(text):
    """``text``, kept from being read as a formula by a spreadsheet."""
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text
