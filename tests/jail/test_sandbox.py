"""Nothing that a self-check starts outlives it, nested sandboxes included (step 5 runs pytest in one)."""

import os
import signal
import subprocess
import sys
import time

import pytest
from helpers.grading_submissions import app
from helpers.grading_submissions import FINISHED
from helpers.grading_submissions import prepended
from helpers.grading_submissions import processes_mentioning
from helpers.grading_submissions import write_app

from workshop import ROOT

SELF_CHECK_5 = (  # Ctrl-C raises KeyboardInterrupt, as in a kernel, even if this test runs in the background
    "import signal, sys; signal.signal(signal.SIGINT, signal.default_int_handler);"
    " from workshop.selfcheck import run; run(5, sys.argv[1])"
)


def nested_pytest(text):
    """The pids of the processes that mention ``text`` and run the learner's tests (in a copy named tests-...)."""
    found = []
    for pid in processes_mentioning(text):
        try:
            if "/tests-" in os.readlink(f"/proc/{pid}/cwd"):
                found.append(pid)
        except OSError:
            continue
    return found


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="looks for the processes in /proc")
def test_an_interrupted_self_check_leaves_no_process_or_temporary_folder(tmp_path):
    learner, tmp = tmp_path / "learner", tmp_path / "tmp"
    tmp.mkdir()
    write_app(learner, prepended(app(FINISHED), "tests/conftest.py", "import time\ntime.sleep(3600)"))
    env = {**os.environ, "TMPDIR": str(tmp), "PYTHONPATH": str(ROOT)}
    check = subprocess.Popen([sys.executable, "-c", SELF_CHECK_5, str(learner)], cwd=ROOT, env=env,
                             stderr=subprocess.PIPE)
    deadline = time.monotonic() + 120
    while not nested_pytest(str(tmp_path)) and time.monotonic() < deadline and check.poll() is None:
        time.sleep(0.2)
    assert nested_pytest(str(tmp_path)), "step 5 started the learner's tests"
    check.send_signal(signal.SIGINT)  # what Kernel > Interrupt does to a notebook's self-check cell
    _, stderr = check.communicate(timeout=60)
    assert b"KeyboardInterrupt" in stderr
    assert processes_mentioning(str(tmp_path)) == [], "the learner's pytest, in a nested sandbox, has ended too"
    assert not list(tmp.iterdir()), "every temporary folder is removed"
