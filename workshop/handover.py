"""Hand this process over to another program, so that stopping this process stops that program.

On POSIX the program replaces this process (same PID): a signal sent to the PID that the learner
started, or Ctrl+C, reaches the program itself. Windows has no such exec for console programs:
there the program runs as a child, which receives Ctrl+C from the console as well, and this
process waits until it has finished. Standard library only.
"""

import os
import subprocess
import sys


def hand_over(args, cwd, env=None):
    """Run ``args`` (its first item a path to a program) in ``cwd`` in place of this process.

    Returns the program's exit code where it cannot replace this process.
    """
    env = os.environ if env is None else env
    if os.name == "posix":
        sys.stdout.flush()
        sys.stderr.flush()
        os.chdir(cwd)
        os.execve(args[0], args, env)
    with subprocess.Popen(args, cwd=cwd, env=env) as child:
        while True:
            try:
                return child.wait()
            except KeyboardInterrupt:  # the console sends Ctrl+C to the child too: let it finish
                pass
