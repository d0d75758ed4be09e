"""``python3 -m workshop COMMAND``: set up the workshop and run its tools.

lab       open JupyterLab on the notebooks (extra arguments go to ``jupyter lab``)
test      run the workshop's own test suite (extra arguments go to pytest)
check N   run the self-check of step N against part1_basic_app/
catchup N bring part1_basic_app/ to the state after step N, keeping a backup
grade     grade a folder of learners' submissions
release   regenerate the starter part1_basic_app/ from the solution
board     run the live class board of a session (for the instructor)
join URL  join the class board at URL, with --name "Your name"
leave     leave the class board, deleting your data there
"""

import importlib
import subprocess
import sys

from . import ROOT, bootstrap

# command: (module that runs it, requirement files it needs)
COMMANDS = {
    "lab": ("workshop.lab", ("requirements.txt",)),
    "test": ("workshop.testing", ("requirements-dev.txt",)),
    "check": ("workshop.selfcheck", ("requirements.txt",)),
    "catchup": ("workshop.catchup", ("requirements.txt",)),
    "grade": ("workshop.grading", ("requirements.txt",)),
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
        try:
            return subprocess.call([str(python), "-m", "workshop", *argv], cwd=ROOT)
        except KeyboardInterrupt:
            return 130
    return importlib.import_module(module).main(argv[1:])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
