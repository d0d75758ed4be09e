"""The projector's page: what the whole room may see, live. No learner's name, and no secret in
its address: it opens with the instructor's cookie, at ``/instructor/projector/``. It shows only
text the board trusts: a stuck point is a step and the title of one of the workshop's own checks,
never the kind of failure or a title that a learner's report made up.
"""

from collections import Counter

from flask import Blueprint
from flask import current_app
from flask import render_template
from flask import request

from .. import STEPS
from ..judge import CHECKS
from .auth import instructor_required
from .db import transaction
from .instructor import stuck_groups

bp = Blueprint("projector", __name__, url_prefix="/instructor/projector")

MOST_COMMON = 5  # stuck points shown to the room
KNOWN_CHECKS = frozenset((check.step, check.title) for check in CHECKS)  # the judge's own, by step


def join_command():
    """The learners' join command: at the address the board printed, else at the one this page was opened at."""
    board = current_app.config.get("BOARD_ADDRESS") or request.host_url.rstrip("/")
    return f"python3 -m workshop join {board}/join/{current_app.config['CLASS_CODE']}"


@bp.get("/")
@instructor_required
def page():
    return render_template("board/projector.html", join=join_command(),
                           refresh_seconds=current_app.config["REFRESH_SECONDS"])


@bp.get("/state.json")
@instructor_required
def state():
    """How many learners are at each step and finished it, and the most common stuck points: counts only."""
    with transaction("DEFERRED") as db:
        learners = db.execute(
            "SELECT learner.step, learner.caught_up, result.passed = result.total AS done FROM learner"
            " LEFT JOIN result ON result.learner_id = learner.id AND result.step = learner.step"
        ).fetchall()
        finished = [row["step"] for row in db.execute(
            "SELECT result.step FROM result JOIN learner ON learner.id = result.learner_id WHERE passed = total"
        )]
        groups = stuck_groups(db)
    at = [current_step(row) for row in learners]
    return {
        "learners": len(learners),
        "steps": [{"step": step, "at": at.count(step), "finished": finished.count(step)} for step in STEPS],
        "stuck": stuck_points(groups),
    }


def stuck_points(groups):
    """The most common stuck points among the instructor's ``groups``: a step and a check of the
    workshop's own, with how many learners fail it first, whatever the kind of failure; largest first."""
    counts = Counter()
    for group in groups:
        if (group["step"], group["title"]) in KNOWN_CHECKS:
            counts[group["step"], group["title"]] += len(group["names"])
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:MOST_COMMON]
    return [{"step": step, "title": title, "learners": learners} for (step, title), learners in ranked]


def current_step(learner):
    """The step a learner works on: that of their latest self-check, or the next one if it all
    passed; after a catch-up, the next step; None before either."""
    if learner["step"] is not None:
        return learner["step"] + bool(learner["done"])
    return None if learner["caught_up"] is None else learner["caught_up"] + 1
