"""``python -m workshop.grading``: the grader without the workshop's set-up step."""

import sys

from ..cli import exit_soon
from ..cli.grade import main

exit_soon(main(sys.argv[1:]))
