"""``python -m workshop.grading``: the grader without the workshop's set-up step."""

import sys

from .lane_start import ahead

ahead(sys.argv[1:])  # the lanes import the judge while this process does

from ..cli.grade import main  # noqa: E402

sys.exit(main(sys.argv[1:]))
