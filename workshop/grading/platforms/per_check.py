"""One verdict per check, as the grading platforms show them (Gradescope, GitHub Classroom).

Every check of the workshop gets a verdict, also those that a submission which could not be
graded never reached: they fail with the reason, so a platform always shows the full maximum.
A failed check says what is wrong and where to look, in plain text; one that did not run says why
the checks stopped.
"""

from dataclasses import dataclass

from ...judge import CHECKS
from ..outputs.feedback import NAMES_A_FILE
from ..outputs.feedback import NOT_RUN
from ..outputs.feedback import STUCK_AT


@dataclass(frozen=True)
class Verdict:
    step: int
    number: str  # "2.3": the third check of step 2
    title: str
    passed: bool
    points: float
    max_points: float
    message: str  # what is wrong and where to look; "" when it passed
    filename: str  # the learner's file to open
    line: int  # its line, or 0 when the check cannot tell
    seconds: float  # how long the check took


def verdicts(record, weights):
    """A Verdict per check of the workshop, in order, from a grading record and the points per check."""
    reported = {r["name"]: r for r in record.get("results") or []}
    counts = {}
    found = []
    for check in CHECKS:
        counts[check.step] = counts.get(check.step, 0) + 1
        result = reported.get(check.name) or {"passed": False, "where": check.where,
                                              "message": "This check did not run."}
        found.append(verdict(check, f"{check.step}.{counts[check.step]}", result, weights[check.name],
                             record.get("message")))
    return found


def verdict(check, number, result, weight, why_stopped):
    passed = result["passed"] is True
    where = str(result.get("where") or check.where)
    if passed:
        message = ""
    elif NOT_RUN in result["message"] and why_stopped:
        message = f"{result['message']}\n{why_stopped}"
    else:
        message = what_is_wrong(result["message"], where)
    at = STUCK_AT.search(message)
    filename, line = (at[1], int(at[2])) if at else (where.split(",")[0].strip(), 0)
    seconds = result.get("seconds") if isinstance(result.get("seconds"), (int, float)) else 0
    return Verdict(check.step, number, check.title, passed, weight if passed else 0, weight, message, filename, line,
                   seconds)


def what_is_wrong(message, where):
    """The message, and where to look unless the message names the file already."""
    if not where or NAMES_A_FILE.search(message):
        return message
    return f"{message}\nWhere to look: {where}"
