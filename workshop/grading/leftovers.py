"""What a grader that was killed outright (kill -9, a power cut) left behind, cleared by the next one.

Each submission is graded in a temporary folder named after the process id of its grader
(the judge process of a lane), ``workshop-grade-<pid>-*``. A grader that dies without its
clean-up leaves that folder, possibly the submission's processes (their HOME is in it), and
empty control groups ``workshop-<pid>-*`` (see cgroups.py). When a grader starts, and when a lane
is killed, it ends those processes and removes those folders and groups for every grader id that
is no longer alive.
"""

import os
import re
import tempfile
from pathlib import Path

from ..jail import cgroups
from ..jail import sandbox
from .grader import remove

OWNED = re.compile(r"workshop-grade-(\d+)-")  # grader.grade() names its folders so


def clear():
    """End the processes and remove the folders of graders that died."""
    for folder in Path(tempfile.gettempdir()).glob("workshop-grade-*"):
        owner = OWNED.match(folder.name)
        if owner and not is_alive(int(owner.group(1))) and folder.is_dir():
            end_processes_in(folder)
            remove(folder)
    cgroups.clear(is_alive)


def is_alive(pid):
    """Whether ``pid`` runs: a zombie has ended (where no init reaps orphans, a killed grader's lanes stay zombies)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] not in ("Z", "X")
    except (OSError, IndexError):
        return True  # no /proc: kill() said it exists


def end_processes_in(folder):
    """Kill the processes whose HOME is ``folder`` (a sandbox's processes keep it)."""
    home = f"HOME={folder}".encode()
    for pid in sandbox.processes():
        try:
            if home in Path(f"/proc/{pid}/environ").read_bytes().split(b"\0"):
                sandbox.kill_quietly(os.kill, pid)
        except OSError:
            continue
