"""The step checks: what each step of the workshop must do, one set for everyone.

The same checks serve the notebooks' self-check cells, ``python -m workshop check``,
the repository's tests and the grader.
"""

from .core import CHECKS, Result, check, run_checks  # noqa: F401
from . import step1, step2, step3, step4, step5, step6  # noqa: F401,E402
