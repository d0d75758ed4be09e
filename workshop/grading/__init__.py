"""Grading a folder of learners' submissions, safely: ``python3 -m workshop grade``.

Each submission's app runs in its own jail (workshop/jail/), judged from outside (workshop/judge/); the
results go to a journal as they come (store.py). From the journal, exports.py writes the
gradebook (gradebook.py, with the roster, points and overrides of roster.py, points.py and
overrides.py), the learning platforms' import files (lms.py), per-learner feedback (feedback.py) and a
class report (report.py). The command itself is workshop/cli/grade.py; the learner edition ships only what the
GitHub Classroom workflow's ``check all --format github-classroom`` imports from here.
"""
