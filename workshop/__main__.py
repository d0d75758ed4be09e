"""``python3 -m workshop COMMAND``: set up the workshop and run its tools.

lab       open JupyterLab on the notebooks (extra arguments go to ``jupyter lab``)
run       serve your app in debug mode on port 5000 or the next free one (extra arguments go to ``flask run``)
test      run the workshop's own test suite (extra arguments go to pytest)
check N   run the self-check of step N against part1_basic_app/ (check all: every step)
catchup N bring part1_basic_app/ to the state after step N, keeping a backup
grade     grade a folder of learners' submissions (grade merge: one gradebook from a class graded in shards)
export    export the grader to Gradescope, or a GitHub Classroom template repository
edition   write the learner edition: the repository learners clone, without the solution
lite      build the browser edition: the learner edition as a static JupyterLite site
board     run the live class board of a session (for the instructor)
join URL  join the class board at URL, with --name "Your name"
leave     leave the class board, deleting your data there

COMMAND --help tells more about a command.
"""

import importlib
import os
import sys

from . import bootstrap
from . import ROOT
from .cli import exit_soon
from .handover import hand_over

# Commands for the workshop's maintainers, left out of the learners' help
MAINTAINERS = """
release   regenerate the starter part1_basic_app/ from the solution (--force replaces a changed one, keeping a backup)
"""
BASE_REQUIREMENTS = "requirements.txt"  # enough for every command's --help
HELP = {"-h", "--help"}

# command: (module that runs it, requirement files it needs); each module's main(argv) parses the command line
COMMANDS = {
    "lab": ("workshop.cli.lab", ("requirements.txt",)),
    "run": ("workshop.cli.run", ("requirements.txt",)),
    "test": ("workshop.cli.test", ("requirements-dev.txt",)),
    "check": ("workshop.cli.check", ("requirements.txt",)),
    "catchup": ("workshop.cli.catchup", ("requirements.txt",)),
    "grade": ("workshop.cli.grade", ("requirements.txt",)),
    "export": ("workshop.cli.export", ("requirements.txt",)),
    "release": ("workshop.cli.release", ("requirements.txt",)),
    "edition": ("workshop.cli.edition", ("requirements.txt",)),
    "lite": ("workshop.cli.lite", ("requirements.txt", "requirements-lite.txt")),
    "board": ("workshop.cli.board", ("requirements.txt",)),
    "join": ("workshop.cli.join", ("requirements.txt",)),
    "leave": ("workshop.cli.leave", ("requirements.txt",)),
}


def available(command):
    """Whether this copy of the workshop has ``command`` (the learner edition has the learners' commands only)."""
    module = ROOT.joinpath(*COMMANDS[command][0].split("."))
    return module.with_suffix(".py").is_file() or (module / "__init__.py").is_file()


def usage():
    """The help, without the commands this copy of the workshop does not have."""
    missing = {command for command in COMMANDS if not available(command)}
    lines = [line for line in __doc__.splitlines() if line.split(" ", 1)[0] not in missing]
    return "\n".join(lines).replace("``", "")  # help shows no reST quotes


def requirement_files(names):
    """Those of a command's requirement files that this copy has (the learner edition has requirements.txt only)."""
    return tuple(name for name in names if (ROOT / name).is_file()) or (BASE_REQUIREMENTS,)


def summary(command):
    """The help's line about ``command``."""
    line = next(line for line in (__doc__ + MAINTAINERS).splitlines() if line.split()[:1] == [command])
    return line.replace("``", "")


def help_before_set_up(command):
    """What ``COMMAND --help`` says while venv/ is not set up (setting it up is no answer to --help)."""
    print(f"usage: python3 -m workshop {summary(command)}")
    print("Its options are listed once the workshop is set up: `python3 -m workshop lab` sets it up.")
    return 0


def quiet_when_reader_leaves(function, *args):
    """Call ``function``; a reader that stops early (``| head``) ends it quietly, with exit code 1."""
    try:
        code = function(*args)
        sys.stdout.flush()
    except BrokenPipeError:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # nothing left to flush at exit
        return 1
    return code


def main(argv):
    if not argv or argv[0] not in COMMANDS or not available(argv[0]):
        print(usage())
        return 0 if argv[:1] in ([], ["-h"], ["--help"]) else 2
    module, requirements = COMMANDS[argv[0]][0], requirement_files(COMMANDS[argv[0]][1])
    if HELP.intersection(argv[1:]):
        if not bootstrap.is_installed(BASE_REQUIREMENTS, bootstrap.VENV):
            return help_before_set_up(argv[0])
        requirements = (BASE_REQUIREMENTS,)
    python = bootstrap.ensure(requirements)
    if not bootstrap.in_venv():
        return hand_over([str(python), "-m", "workshop", *argv], ROOT)
    return importlib.import_module(module).main(argv[1:])


if __name__ == "__main__":
    exit_soon(quiet_when_reader_leaves(main, sys.argv[1:]))
