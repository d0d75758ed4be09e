"""``python -m workshop.grading``: the grader without the workshop's set-up step."""

import sys

from ..cli.grade import main

sys.exit(main(sys.argv[1:]))
