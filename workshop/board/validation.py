"""What the board accepts from learners: small JSON objects of known shape, or a 400 saying why."""

from flask import abort
from flask import request

from .. import STEPS
from . import names
from .failures import kind_of
from .failures import MAX_KIND

MAX_NAME = 40
MAX_CHECK_NAME = 100
MAX_TITLE = 200
MAX_CHECKS = 60


def json_object(*fields):
    """The request's JSON object, with exactly ``fields``; else abort with 400 or 415."""
    try:
        data = request.get_json()
    except RecursionError:  # the json module gives up on very deeply nested arrays
        abort(400, "The JSON is nested too deeply.")
    return exact_keys(data, fields, "The body")


def exact_keys(data, fields, what, optional=()):
    if not isinstance(data, dict) or not set(fields) <= set(data) <= {*fields, *optional}:
        also = f" (and maybe {', '.join(optional)})" if optional else ""
        abort(400, f"{what} must be a JSON object with the keys {', '.join(fields)}{also}, and no others.")
    return data


def text(value, field, max_length):
    """``value`` as a one-line printable string of 1 to ``max_length`` characters, stripped."""
    if not isinstance(value, str) or not value.strip() or len(value) > max_length or not value.isprintable():
        abort(400, f"{field} must be a string of 1 to {max_length} printable characters on one line.")
    return value.strip()


def step(value, first=STEPS[0]):
    if type(value) is not int or not first <= value <= STEPS[-1]:
        abort(400, f"step must be a whole number from {first} to {STEPS[-1]}.")
    return value


def join_request():
    """The name a learner joins under, as the board shows it (see ``names``)."""
    return names.shown(text(json_object("name")["name"], "name", MAX_NAME))


def checks_report():
    """(step, checks) of a self-check: each check a dict with name, title, passed and kind (the kind of
    failure, taken out of learners' values again; "" when not given)."""
    data = json_object("step", "checks")
    checks = data["checks"]
    if not isinstance(checks, list) or not 1 <= len(checks) <= MAX_CHECKS:
        abort(400, f"checks must be a list of 1 to {MAX_CHECKS} checks.")
    valid = []
    for check in checks:
        check = exact_keys(check, ("name", "title", "passed"), "Each check", optional=("kind",))
        if type(check["passed"]) is not bool:
            abort(400, "passed must be true or false.")
        valid.append({
            "name": text(check["name"], "name", MAX_CHECK_NAME),
            "title": text(check["title"], "title", MAX_TITLE),
            "passed": check["passed"],
            "kind": kind_of(text(check["kind"], "kind", MAX_KIND)) if "kind" in check else "",
        })
    if len({check["name"] for check in valid}) < len(valid):
        abort(400, "Each check must be reported once.")
    return step(data["step"]), valid


def catchup_report():
    """The step a learner caught up to (0 is the starter)."""
    return step(json_object("step")["step"], first=0)
