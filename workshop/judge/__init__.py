"""The judge: what each step of the workshop must do, checked from outside the learner's app.

The same checks serve the notebooks' self-check cells, ``python -m workshop check``, the
repository's tests and the grader. The learner's app runs in a process of its own (see
workshop/jail/); nothing in this package imports it.
"""

from .core import CHECKS, Result, Run, check, judge, worst_case_seconds  # noqa: F401
from . import step1, step2, step3, step4, step5, step6  # noqa: F401,E402
