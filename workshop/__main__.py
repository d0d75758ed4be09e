"""``python3 -m workshop COMMAND``: set up the workshop and run its tools.

lab       open JupyterLab on the notebooks (extra arguments go to ``jupyter lab``)
run       serve your app in debug mode on port 5000 or the next free one (extra arguments go to ``flask run``)
test      run the workshop's own test suite (extra arguments go to pytest)
check N   run the self-check of step N against part1_basic_app/ (check all: every step)
catchup N bring part1_basic_app/ to the state after step N, keeping a backup
grade     grade a folder of learners' submissions
export    export the grader to Gradescope or GitHub Classroom
release   regenerate the starter part1_basic_app/ from the solution
board     run the live class board of a session (for the instructor)
join URL  join the class board at URL, with --name "Your name"
leave     leave the class board, deleting your data there
"""

import importlib
import sys

from . import ROOT, bootstrap
from .handover import hand_over

# command: (module that runs it, requirement files it needs)
COMMANDS = {
    "lab": ("workshop.lab", ("requirements.txt",)),
    "run": ("workshop.run", ("requirements.txt",)),
    "test": ("workshop.testing", ("requirements-dev.txt",)),
    "check": ("workshop.selfcheck", ("requirements.txt",)),
    "catchup": ("workshop.catchup", ("requirements.txt",)),
    "grade": ("workshop.grading", ("requirements.txt",)),
    "export": ("workshop.grading.export", ("requirements.txt",)),
    "release": ("workshop.release", ("requirements.txt",)),
    "board": ("workshop.board.serve", ("requirements.txt",)),
    "join": ("workshop.board.join", ("requirements.txt",)),
    "leave": ("workshop.board.leave", ("requirements.txt",)),
}


def main(argv):
    if not argv or argv[0] not in COMMANDS:
        print(__doc__)
        return 0 if argv[:1] in ([], ["-h"], ["--help"]) else 2
    module, requirements = COMMANDS[argv[0]]
    python = bootstrap.ensure(requirements)
    if not bootstrap.in_venv():
        return hand_over([str(python), "-m", "workshop", *argv], ROOT)
    return importlib.import_module(module).main(argv[1:])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
