"""Per-learner feedback in Markdown: each check passed or not, why, where to look, what next.

Only the checks' titles and messages are shown, never their source. Every text that the
learner's app could influence is escaped, so it cannot turn into links or markup.
"""

import html
import re

from .. import STEPS
from .gradebook import summarize
from .steps import STEP_NOTEBOOKS, STEP_TITLES

MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]|#~])")

WHAT_TO_RESUBMIT = {
    "invalid": "Send your workshop folder (or a .zip of it, without venv/) with part1_basic_app/ inside.",
    "timeout": "Run `python3 -m workshop check 1` on your machine: it stops at the same endless loop or wait."
               " Fix it, check that every step's self-check finishes, then resubmit.",
    "memory": "Run `python3 -m workshop check 1` on your machine and look for code that builds an ever-growing"
              " list or string. Fix it, then resubmit.",
    "error": "Run `python3 -m workshop check 1` on your machine: your app must import without exiting,"
             " crashing or printing endlessly. Fix what it reports, then resubmit.",
}


def text(value):
    """Learner-influenced text, safe inside Markdown: one line, no markup."""
    one_line = " ".join(str(value).split())
    return MARKDOWN_SPECIAL.sub(r"\\\1", html.escape(one_line, quote=False))


def render(record):
    """The feedback page of one learner."""
    scores = summarize(record)
    lines = [f"# Feedback for {text(record['learner'])}", ""]
    lines.append(f"**{scores['points']} of {scores['max_points']} checks pass.**")
    lines.append("")
    if record["status"] != "ok":
        lines += [
            f"## Your submission could not be graded fully ({record['status']})", "",
            text(record["message"]), "", f"**What to do:** {WHAT_TO_RESUBMIT[record['status']]}", "",
        ]
    if record["results"]:
        lines += steps_section(record["results"])
    if record.get("notebooks") is not None:
        lines += notebooks_section(record["notebooks"])
    return "\n".join(lines).rstrip() + "\n"


def steps_section(results):
    lines = []
    for step in STEPS:
        checks = [r for r in results if r["step"] == step]
        passed = sum(r["passed"] for r in checks)
        lines += [f"## Step {step}: {STEP_TITLES[step]} — {passed} of {len(checks)}", ""]
        for r in checks:
            lines.append(f"- {'✅' if r['passed'] else '❌'} {text(r['title'])}")
            if not r["passed"]:
                lines.append(f"  - What is wrong: {text(r['message'])}")
                lines.append(f"  - Where to look: `{r['where']}`")
        lines.append("")
    lines += next_steps(results)
    return lines


def next_steps(results):
    """What to do next: the first step with a failing check, or well done."""
    failing = sorted({r["step"] for r in results if not r["passed"]})
    if not failing:
        return ["## Next", "", "Every check passes: well done!", ""]
    step = failing[0]
    return [
        "## Next", "",
        f"Start with step {step}: work through `{STEP_NOTEBOOKS[step]}`, fix the first ❌ above, and run"
        f" `python3 -m workshop check {step}` until it says well done. Then go on to the next step with a ❌"
        " and resubmit when you are done.", "",
    ]


def notebooks_section(notebooks):
    lines = ["## Notebooks", ""]
    if not notebooks:
        return lines + ["No notebooks/*.ipynb were found in your submission.", ""]
    for n in notebooks:
        verdict = "ran clean" if n["status"] == "ok" else f"did not run clean ({n['status']}): {text(n['message'])}"
        lines.append(f"- {'✅' if n['status'] == 'ok' else '❌'} {text(n['notebook'])} {verdict}")
    return lines + [""]
