"""What the grader writes from its records, and what it reads beside them (roster, points, overrides).

bundle.py writes them all: the gradebook (gradebook.py), the learning platforms' import files (lms.py,
lms_feedback.py), per-learner feedback (feedback.py, as markup.py's blocks) and the class report (report.py);
atomic.py writes each file so that a kill at any moment leaves complete files.
"""
