"""Grade one Gradescope submission: what the exported autograder's ``run_autograder`` runs.

    python -m workshop.grading.platforms.gradescope AUTOGRADER [--points FILE] [--timeout S]

AUTOGRADER is the folder that Gradescope lays out as /autograder: the learner's upload in
``submission/`` (``part1_basic_app/`` at its top or one folder down, a whole clone, or one .zip),
the name in ``submission_metadata.json``. The result goes to ``results/results.json`` in the format
of Gradescope's "Autograder Specifications": the total ``score``, ``execution_time``, the learner's
feedback as ``output``, and one entry of ``tests`` per check. A submission that cannot be graded
still gets one, with score 0 and the reason.
"""

import argparse
import json
import sys
import threading
from pathlib import Path

from ...jail.isolation import resolve
from ...jail.sandbox import Limits
from ..batch import grade_or_explain
from ..batch import WORST_CASE
from ..grader import Options
from ..outputs import atomic
from ..outputs import feedback
from ..outputs import gradebook
from ..outputs import points
from ..submissions import Submission
from .per_check import verdicts

VISIBLE = "visible"


def main(argv):
    parser = argparse.ArgumentParser(prog="python -m workshop.grading.platforms.gradescope",
                                     description=__doc__.split("\n\n")[0])
    parser.add_argument("autograder", type=Path, help="the folder laid out as Gradescope's /autograder")
    parser.add_argument("--points", type=Path,
                        help="points.toml: points per check or per step (default: one per check)")
    parser.add_argument("--timeout", type=float, default=WORST_CASE,
                        help=f"seconds allowed to the checks (default {WORST_CASE:g})")
    args = parser.parse_args(argv)
    weights = points.load(args.points) if args.points else points.default()
    folder = args.autograder.resolve()
    submission = Submission(learner_name(folder / "submission_metadata.json"), uploaded(folder / "submission"))
    options = Options(Limits(seconds=args.timeout), isolation=resolve("auto"))  # the jail where the container allows it
    record = grade_or_explain(submission, options, threading.Event())
    results = results_json(record, weights)
    (folder / "results").mkdir(exist_ok=True)
    atomic.write_text(folder / "results" / "results.json", json.dumps(results, ensure_ascii=False, indent=1))
    print(f"{record['status']}: {points.number(results['score'])} of {points.number(max_score(results))} points"
          f" in {record['seconds']:g} s. {record['message']}".strip())
    return 0


def uploaded(submission):
    """What to grade in Gradescope's submission folder: the folder, or the one .zip it holds."""
    entries = [p for p in submission.iterdir() if not p.name.startswith(".")] if submission.is_dir() else []
    if len(entries) == 1 and entries[0].is_file() and entries[0].suffix.lower() == ".zip":
        return entries[0]
    return submission


def learner_name(metadata):
    """The submitters' names from Gradescope's submission_metadata.json, or a neutral stand-in."""
    try:
        users = json.loads(metadata.read_text(encoding="utf-8")).get("users") or []
        names = [str(user["name"]) for user in users if user.get("name")]
    except (OSError, ValueError, AttributeError, TypeError, KeyError):
        names = []
    return ", ".join(names) or "your submission"


def results_json(record, weights):
    """Gradescope's results.json for a grading record, the points per check as ``weights`` says."""
    entry = gradebook.Entry(record["learner"], record, None, weights)
    tests = [{
        "name": f"Step {v.step}: {v.title}",
        "number": v.number,
        "score": v.points,
        "max_score": v.max_points,
        "status": "passed" if v.passed else "failed",
        "output": v.message,
        "output_format": "text",
        "visibility": VISIBLE,
    } for v in verdicts(record, weights)]
    return {
        "score": sum(test["score"] for test in tests),
        "execution_time": round(record["seconds"], 3),
        "output": feedback.render_text(entry),
        "output_format": "text",
        "visibility": VISIBLE,
        "stdout_visibility": "hidden",
        "tests": tests,
    }


def max_score(results):
    return sum(test["max_score"] for test in results["tests"])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
