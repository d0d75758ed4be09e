"""The app process of a self-check in a terminal, started before the judge is imported (outside the judge's
package, whose import imports every check).

``python3 -m workshop check N`` (workshop/cli/check.py) calls ``start(app_parent)`` first, so that the app
process imports Flask while this process imports the judge; the judge then takes it over (``judge(...,
early=...)``) for its first app process, as if it had started it itself: the same command, folder, environment
and limits (its CPU-time backstop, set high at the start, is lowered to the run's at once). Where the run is not
the one it was started for (another folder, a jail, a warm worker, other limits), it is ended unused.
"""

import dataclasses
import os
import socket
import sys
import tempfile

from .jail import sandbox
from .jail.isolation import Jail

SERVE = "import sys; sys.path.insert(0, sys.argv.pop(1)); from workshop.app_process.app_server import main; main()"
BACKSTOP_SECONDS = 24 * 3600  # the run's own limits are not known yet: its CPU-time backstop is lowered to them
POSSIBLE = sys.platform.startswith("linux")  # resource.prlimit: the limit of another process, on Linux only


class Early:
    """An app process started for ``app_parent``, waiting for the judge's first message."""

    def __init__(self, app_parent):
        self.app_parent, self.jail = os.path.realpath(app_parent), Jail()  # the self-check's: rlimits alone
        self.limits = sandbox.Limits(seconds=BACKSTOP_SECONDS)
        self.folder = tempfile.TemporaryDirectory(prefix="workshop-judge-", ignore_cleanup_errors=True)
        self.workdir = os.path.realpath(self.folder.name)  # no link in the paths the judge gives the app
        self.env = sandbox.scrubbed_env(self.workdir)
        self.sock, app_end = socket.socketpair()
        command = [sys.executable, "-I", "-B", "-c", SERVE, str(self.jail.code), self.app_parent,
                   str(app_end.fileno())]
        try:
            self.process, self.token = sandbox.spawn(command, self.app_parent, self.env, self.limits, self.jail,
                                                     pass_fds=(app_end.fileno(),))
        finally:
            app_end.close()

    def fits(self, app_parent, jail, limits):
        """Whether the process is the one a run with these would start."""
        return (os.path.realpath(app_parent), jail) == (self.app_parent, self.jail) and (
            dataclasses.replace(limits, seconds=self.limits.seconds) == self.limits)

    def take(self, limits):
        """(socket, process, token) of the app process, its CPU-time backstop now that of ``limits``; None (and
        the process ended) where that cannot be set."""
        import resource  # here, not at the top: Windows and Pyodide, which have none, import this module too

        backstop = limits.rlimits()["RLIMIT_CPU"]
        try:
            resource.prlimit(self.process.pid, resource.RLIMIT_CPU, (backstop, backstop))
        except OSError:
            self.stop()
            return None
        taken, self.sock = (self.sock, self.process, self.token), None
        return taken

    def stop(self):
        """End the process if no judge took it."""
        if self.sock is not None:
            self.sock.close()
            self.sock = None
            sandbox.end_everything(self.process, self.token)

    def discard(self):
        """End the process and remove its folder: no judge takes it."""
        self.stop()
        self.folder.cleanup()


def start(app_parent):
    """An Early app process for a self-check of the app in ``app_parent``, or None where it cannot be had."""
    return Early(app_parent) if POSSIBLE else None
