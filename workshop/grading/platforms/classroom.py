"""GitHub Classroom: the autograding workflow (``export github-classroom``) and the results it reports.

The workflow runs ``python3 -m workshop check all --format github-classroom`` in one step whose
output ``result`` is the base64 of JSON in the format of GitHub Classroom's command grader
(classroom-resources/autograding-command-grader): ``version``, ``status``, ``max_score`` and one
entry of ``tests`` per check with its points. GitHub Classroom's reporter
(classroom-resources/autograding-grading-reporter@v1) reads it from ``<ID>_RESULTS`` and adds up the
tests' scores, so each check earns its own points. GitHub Classroom takes them from the workflow
named "Autograding Tests" whose one job, ``run-autograding-tests``, finishes first.
"""

import base64
import json

from .per_check import verdicts

RUNNER = "workshop"  # the step's id: the reporter accepts letters and digits only
WORKFLOW = "classroom.yml"

WORKFLOW_TEXT = """\
# GitHub Classroom's autograding: each check of the workshop earns its points.
# Written by `python3 -m workshop export github-classroom`.
name: Autograding Tests
on:
  push:
  repository_dispatch:
permissions:
  checks: write
  actions: read
  contents: read
jobs:
  run-autograding-tests:
    runs-on: ubuntu-latest
    if: github.actor != 'github-classroom[bot]'
    steps:
      - name: Checkout code
        uses: actions/checkout@v5
      - name: Set up Python
        uses: actions/setup-python@v6
        with:
          python-version: "3.12"
      - name: Workshop checks
        id: {runner}
        run: python3 -m workshop check all --format github-classroom{points} >> "$GITHUB_OUTPUT"
      - name: Autograding Reporter
        if: ${{{{ !cancelled() }}}}
        uses: classroom-resources/autograding-grading-reporter@v1
        env:
          {env}: ${{{{ steps.{runner}.outputs.result }}}}
        with:
          runners: {runner}
"""


def workflow(points_path=None):
    """The text of .github/workflows/classroom.yml; ``points_path`` (relative to the repository) weights the checks."""
    points = f" --points {points_path}" if points_path else ""
    return WORKFLOW_TEXT.format(runner=RUNNER, env=f"{RUNNER.upper()}_RESULTS", points=points)


def results(record, weights):
    """The command grader's JSON for a record of every step's checks, the points per check as ``weights`` says."""
    found = verdicts(record, weights)
    return {
        "version": 1,
        "status": "pass" if all(v.passed for v in found) else "fail",
        "max_score": sum(v.max_points for v in found),
        "tests": [{
            "name": f"Step {v.step}: {v.title}",
            "status": "pass" if v.passed else "fail",
            "score": v.points,
            "message": v.message,
            "test_code": "" if v.passed else f"python3 -m workshop check {v.step}",
            "filename": v.filename,
            "line_no": v.line,
            "duration": round(v.seconds * 1000),
        } for v in found],
    }


def output_line(results_json):
    """The line for $GITHUB_OUTPUT: ``result=`` and the base64 of the JSON."""
    return "result=" + base64.b64encode(json.dumps(results_json, ensure_ascii=False).encode("utf-8")).decode("ascii")
