"""Grading a folder of learners' submissions, safely: ``python3 -m workshop grade``.

Each submission's app runs in its own jail (workshop/jail/, workshop/app_process/), judged from outside
(workshop/judge/), one lane per job (lanes.py, lane.py, grader.py); the results go to a journal as they come
(store.py). From the journal, outputs/ writes the gradebook, the learning platforms' files, per-learner feedback and
a class report; platforms/ meets Gradescope, GitHub Classroom and the submissions Moodle and Canvas hand over. The
command itself is workshop/cli/grade.py; the learner edition ships only what the
GitHub Classroom workflow's ``check all --format github-classroom`` imports from here.
"""
