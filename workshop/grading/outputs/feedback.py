"""Per-learner feedback: each check passed or not, why, where to look, what next.

The same page is written twice: in Markdown (feedback/<learner>.md) and in plain text
(feedback/<learner>.txt, to paste into a learning platform's comment box); Moodle's grading
worksheet gets it in HTML. A failure with one cause is shown once, with the other checks it
made fail listed under it. Only the checks' titles and messages are shown, never their source.
In Markdown every text that the learner's app could influence is escaped, so it cannot turn
into links or markup. The flags raised for the instructor are not shown here: they are for a
human to look at, not a verdict.
"""

import re

from ... import STEPS
from ..steps import STEP_NOTEBOOKS
from ..steps import STEP_TITLES
from .markup import Code
from .markup import heading
from .markup import html_page
from .markup import item
from .markup import Learner
from .markup import markdown
from .markup import para
from .markup import plain
from .markup import Strong
from .markup import title
from .overrides import TOTAL
from .points import number

NOT_RUN = "did not run"
STOPPED = "This check was stopped"  # the check that was running when the checks process was stopped
STUCK = "did not finish"
STUCK_AT = re.compile(r"\(([^()]+\.py), line (\d+)\)")
NAMES_A_FILE = re.compile(r"part1_basic_app/[\w./-]+")
LISTED_SKIPPED = 20


def render(entry):
    """The feedback page of one learner, in Markdown."""
    return markdown(document(entry))


def render_text(entry):
    """The feedback page of one learner, in plain text."""
    return plain(document(entry))


def render_html(entry):
    """The feedback page of one learner, as an HTML fragment (for a platform's feedback comments)."""
    return html_page(document(entry))


def document(entry):
    record = entry.record
    results = record["results"]
    name = entry.person.name if entry.person and entry.person.name else entry.learner
    blocks = [title("Feedback for ", Learner(name)), para(*score(entry))]
    if record["status"] != "ok":
        blocks += [
            heading(f"Your submission could not be graded fully ({record['status']})"),
            para(Learner(record["message"])),
            para(Strong("What to do:"), " ", *what_to_do(record["status"], results)),
        ]
    blocks += instructor_notes(entry)
    blocks += skipped_section(record.get("skipped") or [])
    if results:
        blocks += steps_section(results) + next_steps(results)
    if record.get("notebooks") is not None:
        blocks += notebooks_section(record["notebooks"])
    return blocks


def score(entry):
    results = entry.record["results"]
    if entry.points is None:
        return [Strong("No points yet:"), " the checks could not run on your submission."]
    checks = f"{sum(r['passed'] for r in results)} of {len(results)} checks pass."
    if set(entry.weights.values()) == {1} and not entry.overrides:
        return [Strong(checks)]
    return [Strong(f"{number(entry.points)} of {number(entry.max_points)} points."), " ", checks]


PROBLEM = {
    "timeout": "Look for an endless loop or a wait in the code those checks run.",
    "memory": "Look for code that builds an ever-growing list or string.",
    "error": "Your app must import and answer without exiting, crashing or printing endlessly.",
}


def what_to_do(status, results):
    """Advice for a submission that did not grade cleanly: every sentence true, whatever the cause."""
    if status == "invalid":
        return ["Send your workshop folder (or a .zip of it, without venv/) with part1_basic_app/ inside."]
    problem = PROBLEM.get(status, PROBLEM["error"])
    step, line = stopped_at(results)
    if step is None:
        return ["Run ", Code("python3 -m workshop check 1"), " on your machine, then the self-check of each following"
                f" step: the first one that does not finish or reports the problem shows where. {problem}"
                " Fix it, then resubmit."]
    at = [" Your app was stuck at ", Code(line[1]), f", line {line[2]}."] if line else []
    return [f"The checks stopped in step {step}.", *at, " Run ", Code(f"python3 -m workshop check {step}"),
            f" on your machine. {problem} Fix it, make sure every step's self-check finishes, then resubmit."]


def stopped_at(results):
    """(step, file-and-line match or None) where the checks stopped: the check running then, else one
    stuck at its own time limit, else the first not run."""
    failed = [r for r in results if not r["passed"]]
    unfinished = next(filter(None, ([r for r in failed if sign in r["message"]] for sign in (STOPPED, STUCK, NOT_RUN))),
                      [])
    if not unfinished:
        return None, None
    line = next((m for r in unfinished if (m := STUCK_AT.search(r["message"]))), None)
    return min(r["step"] for r in unfinished), line


def instructor_notes(entry):
    if not entry.overrides:
        return []
    titles = {r["name"]: r["title"] for r in entry.record["results"]}
    items = []
    for override in entry.overrides:
        what = "Your total" if override.check == TOTAL else f"“{titles.get(override.check, override.check)}”"
        comment = [": ", Learner(override.comment)] if override.comment else []
        items.append(item(0, f"{what} was set to {number(override.points)} points", *comment))
    return [heading("A note from your instructor"), *items]


def skipped_section(skipped):
    if not skipped:
        return []
    items = [item(0, Code(path)) for path in skipped[:LISTED_SKIPPED]]
    if len(skipped) > LISTED_SKIPPED:
        items.append(item(0, f"and {len(skipped) - LISTED_SKIPPED} more"))
    return [heading("Files that were not taken"),
            para("Only regular files are graded; these were left out:"), *items]


def steps_section(results):
    causes = {}
    for r in results:
        if not r["passed"] and NOT_RUN not in r["message"]:
            causes.setdefault(r["message"], []).append(r)
    blocks = []
    for step in STEPS:
        checks = [r for r in results if r["step"] == step]
        passed = sum(r["passed"] for r in checks)
        blocks.append(heading(f"Step {step}: {STEP_TITLES[step]} — {passed} of {len(checks)}"))
        for r in checks:
            blocks.append(item(0, "✅ " if r["passed"] else "❌ ", Learner(r["title"])))
            if not r["passed"]:
                blocks += failure(r, causes[r["message"]]) if r["message"] in causes else [
                    item(1, "It did not run: the checks stopped before they reached it.")]
    return blocks


def failure(result, group):
    """What is wrong and where, once per cause; the other checks of the cause point back to it."""
    first = group[0]
    if result is not first:
        return [item(1, "Same cause as “", Learner(first["title"]), f"” (step {first['step']}) above.")]
    blocks = [item(1, "What is wrong: ", Learner(result["message"]))]
    if result["where"] and not NAMES_A_FILE.search(result["message"]):  # else the message says where already
        blocks.append(item(1, "Where to look: ", Code(result["where"])))
    if len(group) > 1:
        blocks.append(item(1, "The same cause also makes these checks fail:"))
        blocks += [item(2, Learner(r["title"]), f" (step {r['step']})") for r in group[1:]]
    return blocks


def next_steps(results):
    """What to do next: the first step with a failing check, or well done."""
    failing = sorted({r["step"] for r in results if not r["passed"]})
    if not failing:
        return [heading("Next"), para("Every check passes: well done!")]
    step = failing[0]
    return [heading("Next"), para(
        f"Start with step {step}: work through ", Code(STEP_NOTEBOOKS[step]), ", fix the first ❌ above, and run ",
        Code(f"python3 -m workshop check {step}"), " until it says well done. Then go on to the next step with a ❌"
        " and resubmit when you are done.",
    )]


def notebooks_section(notebooks):
    blocks = [heading("Notebooks")]
    if not notebooks:
        return blocks + [para("No notebooks/*.ipynb were found in your submission.")]
    for n in notebooks:
        verdict = [" ran clean"] if n["status"] == "ok" else [f" did not run clean ({n['status']}): ",
                                                              Learner(n["message"])]
        blocks.append(item(0, "✅ " if n["status"] == "ok" else "❌ ", Learner(n["notebook"]), *verdict))
    return blocks
