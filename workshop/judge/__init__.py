"""The judge: what each step of the workshop must do, checked from outside the learner's app.

The same checks serve the notebooks' self-check cells, ``python -m workshop check``, the
repository's tests and the grader. The learner's app runs in a process of its own (see
workshop/app_process/, confined by workshop/jail/); nothing in this package imports it.
"""

from . import step1  # noqa: F401,E402
from . import step2  # noqa: F401,E402
from . import step3  # noqa: F401,E402
from . import step4  # noqa: F401,E402
from . import step5  # noqa: F401,E402
from . import step6  # noqa: F401,E402
from .core import check  # noqa: F401
from .core import CHECKS  # noqa: F401
from .core import judge  # noqa: F401
from .core import Result  # noqa: F401
from .core import Run  # noqa: F401
from .core import worst_case_seconds  # noqa: F401
