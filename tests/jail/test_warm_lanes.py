"""One warm jail per grading lane: each submission forked from it, confined with Landlock, and nothing of it
left for the next submission of the lane (workshop/jail/landlock.py, warm_lane.py, workshop/judge/lane_worker.py)."""

import json
import os
import platform
import shutil
import socket
import sys
import tempfile
from pathlib import Path

import pytest
from helpers.grading_submissions import app
from helpers.grading_submissions import at_import
from helpers.grading_submissions import FINISHED
from helpers.grading_submissions import grader
from helpers.grading_submissions import instructor_env
from helpers.grading_submissions import processes_mentioning
from helpers.grading_submissions import write_app

from workshop.grading.grader import grade
from workshop.grading.grader import Options
from workshop.grading.submissions import Submission
from workshop.jail import landlock
from workshop.jail.isolation import bwrap_works
from workshop.jail.sandbox import Limits
from workshop.jail.sandbox import scrubbed_env
from workshop.judge import CHECKS
from workshop.judge import lane_worker
from workshop.judge.worker import WorkerDied

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Landlock and bwrap are Linux's")
needs_lanes = pytest.mark.skipif(not lane_worker.available("bwrap") or not bwrap_works(),
                                 reason="needs bwrap and Landlock with scoped signals (ABI 6)")

MARK = "planted-by-a"
DAEMON = f"""
import os, pathlib, socket, sys, time
hidden = socket.socket(socket.AF_UNIX)
hidden.bind("\\0{MARK}")
hidden.listen()
named = socket.socket(socket.AF_UNIX)
named.bind("planted.sock")
named.listen()
pathlib.Path("ready").write_text(str(os.getpid()))
time.sleep(120)
"""
SHM_KEY, IPC_CREAT = 0x5EED, 0o1000
ADD_KEY, KEYCTL = {"x86_64": (248, 250), "aarch64": (217, 219)}.get(platform.machine(), (-1, -1))
PLANT = f"""
import ctypes, os, pathlib, subprocess, sys, time
SHM_KEY, IPC_CREAT = {SHM_KEY}, {IPC_CREAT}


def test_plant():
    for path in ("/tmp/{MARK}", "/dev/shm/{MARK}"):
        try:
            open(path, "w").write("x")
        except OSError:
            pass
    for folder in ("/", "/tmp", "/dev/shm", ".."):  # Landlock does not guard modes and times
        os.chmod(folder, 0o751)
        os.utime(folder, (1, 1))
    ctypes.CDLL(None).shmget(SHM_KEY, 4096, IPC_CREAT | 0o600)
    for keyring in (-3, -4, -5):  # the session, user and user session keyrings
        ctypes.CDLL(None).syscall({ADD_KEY}, b"user", b"{MARK}", b"secret", 6, ctypes.c_int(keyring))
    os.environ["PLANTED_BY_A"] = "1"
    import flask
    flask.planted_by_a = True
    subprocess.Popen([sys.executable, "-c", {DAEMON!r}, "{MARK}"], start_new_session=True)
    for _ in range(500):
        if pathlib.Path("ready").exists():
            break
        time.sleep(0.01)
"""
DETECT = f"""
import ctypes, json, os, pathlib, socket, sys


def connects(address):
    try:
        with socket.socket(socket.AF_UNIX) as client:
            client.connect(address)
        return True
    except OSError:
        return False


def test_detect():
    import flask
    cmdlines = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            cmdlines.append(pathlib.Path("/proc", pid, "cmdline").read_bytes())
        except OSError:
            pass
    seen = {{
        "a file in the lane's /tmp": os.path.exists("/tmp/{MARK}"),
        "a file in the lane's /dev/shm": os.path.exists("/dev/shm/{MARK}"),
        "a process": any(b"{MARK}" in text for text in cmdlines),
        "an abstract socket": connects("\\0{MARK}"),
        "a named socket": connects(os.environ["PLANTED_SOCKET"]),
        "folders' modes and times": any(os.stat(folder).st_mtime == 1 or os.stat(folder).st_mode & 0o777 == 0o751
                                        for folder in ("/", "/tmp", "/dev/shm", "..")),
        "System V shared memory": ctypes.CDLL(None).shmget({SHM_KEY}, 0, 0) >= 0,
        "a key in a keyring": any(ctypes.CDLL(None).syscall({KEYCTL}, 10, keyring, b"user", b"{MARK}", 0) >= 0
                                  for keyring in (-3, -4, -5)),  # KEYCTL_SEARCH
        "the environment": "PLANTED_BY_A" in os.environ,
        "the zygote's modules": hasattr(flask, "planted_by_a"),
    }}
    pathlib.Path("seen.json").write_text(json.dumps(seen))
"""
PROBE = """
import errno, os, pathlib


def attempt(action):
    try:
        action()
        return "done"
    except OSError as exc:
        return errno.errorcode.get(exc.errno, str(exc.errno))


def test_probe():
    zygote = int(pathlib.Path(f"/proc/{os.getppid()}/stat").read_text().rsplit(")", 1)[1].split()[1])
    found = {
        "write own folder": attempt(lambda: pathlib.Path("mine").write_text("x")),
        "write /tmp": attempt(lambda: pathlib.Path("/tmp/x").write_text("x")),
        "write the lane's folder": attempt(lambda: pathlib.Path("..", "x").write_text("x")),
        "read the lane's folder": attempt(lambda: os.listdir("..")),
        "read /dev/shm": attempt(lambda: os.listdir("/dev/shm")),
        "read Python": attempt(lambda: os.listdir(os.path.dirname(os.__file__))),
        "write /dev/null": attempt(lambda: open(os.devnull, "w").write("x")),
        "signal its zygote": attempt(lambda: os.kill(os.getppid(), 0)),
        "signal the lane's worker": attempt(lambda: os.kill(zygote, 0)),
        "signal the jail's init": attempt(lambda: os.kill(1, 0)),
    }
    pathlib.Path("found.json").write_text(__import__("json").dumps(found))
"""


def pytest_run(worker, folder, test, **env):
    """Run the test file ``test`` with pytest in ``folder``, forked from ``worker``: its exit code."""
    Path(folder, "test_this.py").write_text(test)
    run = {"args": ["-q", "-p", "no:cacheprovider", "test_this.py"], "cwd": folder, "env": scrubbed_env(folder, **env)}
    return worker.pytest([run], 60)[0].returncode


@pytest.fixture
def lane():
    folder = tempfile.mkdtemp(prefix="workshop-test-lane-")
    warm = lane_worker.WarmLane(folder, Limits(seconds=60))
    yield warm
    warm.stop()
    shutil.rmtree(folder, ignore_errors=True)


def submission_folder(lane):
    return Path(tempfile.mkdtemp(dir=lane.folder))


def test_landlock_reports_the_kernels_abi():
    version = landlock.abi()
    assert version >= 0
    if version:
        assert landlock.handled(version) & landlock.READ == landlock.READ


def test_a_confined_process_writes_and_reads_only_what_it_is_given_and_cannot_signal_or_reach_outside(tmp_path):
    if landlock.abi() < landlock.SCOPED_ABI:
        pytest.skip("needs Landlock ABI 6")
    own, other = tmp_path / "own", tmp_path / "other"
    own.mkdir()
    other.mkdir()
    (other / "secret").write_text("s")
    listener = socket.socket(socket.AF_UNIX)
    listener.bind(f"\0workshop-test-{os.getpid()}")
    listener.listen()
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:
        found = []
        try:
            landlock.confine([*lane_worker.readable(Path(__file__).parents[2])], [str(own)])
            for name, action in (
                ("own", lambda: (own / "x").write_text("x")),
                ("other-write", lambda: (other / "x").write_text("x")),
                ("other-read", lambda: (other / "secret").read_text()),
                ("signal", lambda: os.kill(os.getppid(), 0)),
                ("socket", lambda: socket.socket(socket.AF_UNIX).connect(f"\0workshop-test-{os.getppid()}")),
            ):
                try:
                    action()
                    found.append(f"{name}:done")
                except OSError:
                    found.append(f"{name}:refused")
        finally:
            os.write(write, " ".join(found).encode())
            os._exit(0)
    os.close(write)
    os.waitpid(pid, 0)
    with os.fdopen(read) as answer:
        said = answer.read().split()
    listener.close()
    assert said == ["own:done", "other-write:refused", "other-read:refused", "signal:refused", "socket:refused"]


def test_without_landlock_confine_refuses_to_go_on(monkeypatch):
    monkeypatch.setattr(landlock, "abi", lambda: 0)
    with pytest.raises(landlock.Unavailable):
        landlock.confine([], [])
    assert not lane_worker.available("bwrap")


@needs_lanes
def test_a_submission_is_confined_to_its_own_folder_and_cannot_signal_the_lane(lane):
    folder = submission_folder(lane)
    with lane.submission(folder) as worker:
        assert pytest_run(worker, folder, PROBE) == 0
    found = json.loads((folder / "found.json").read_text())
    assert found == {
        "write own folder": "done", "write /tmp": "EACCES", "write the lane's folder": "EACCES",
        "read the lane's folder": "EACCES", "read /dev/shm": "EACCES", "read Python": "done", "write /dev/null": "done",
        "signal its zygote": "done", "signal the lane's worker": "EPERM", "signal the jail's init": "EPERM",
    }


@needs_lanes
def test_nothing_one_submission_plants_is_seen_by_the_next_of_its_lane(lane):
    first, second = submission_folder(lane), submission_folder(lane)
    planted_socket = str(first / "planted.sock")
    with lane.submission(first) as worker:
        assert pytest_run(worker, first, PLANT) == 0
        assert pytest_run(worker, first, DETECT, PLANTED_SOCKET=planted_socket) == 0
        assert processes_mentioning(MARK), "the planted process runs until its submission ends"
    within = json.loads((first / "seen.json").read_text())
    planted = ("a process", "an abstract socket", "a named socket", "folders' modes and times",
               "System V shared memory", "a key in a keyring")
    assert all(within[kind] for kind in planted), within
    assert not processes_mentioning(MARK)
    assert lane.process.poll() is None, "the lane's jail goes on"
    shutil.rmtree(first)  # as the grader removes a submission's folder
    with lane.submission(second) as worker:
        assert pytest_run(worker, second, DETECT, PLANTED_SOCKET=planted_socket) == 0
    seen = json.loads((second / "seen.json").read_text())
    assert seen == dict.fromkeys(seen, False)
    assert len(seen) == 10


@needs_lanes
def test_a_submission_that_locks_the_lanes_folder_does_not_lock_out_the_next(lane):
    folder = submission_folder(lane)
    with lane.submission(folder) as worker:
        pytest_run(worker, folder, "import os\n\n\ndef test_x():\n    os.chmod('..', 0)\n")
        assert os.stat(lane.folder).st_mode & 0o777 == 0
    assert os.stat(lane.folder).st_mode & 0o777 == 0o700


@needs_lanes
def test_a_submission_whose_zygote_was_killed_is_served_again_and_its_processes_end(lane):
    folder = submission_folder(lane)
    kill_parent = "import os, signal\n\n\ndef test_x():\n    os.kill(os.getppid(), signal.SIGKILL)\n"
    with lane.submission(folder) as worker:
        with pytest.raises(WorkerDied):
            pytest_run(worker, folder, kill_parent)
        assert pytest_run(worker, folder, "def test_x():\n    pass\n") == 0
    assert lane.process.poll() is None


OUTLIVES = f"""
import os, subprocess, sys
subprocess.Popen([sys.executable, "-c", "import time; time.sleep(120)", "{MARK}"], start_new_session=True)
"""


@needs_lanes
def test_through_a_lane_a_finished_app_scores_full_marks_and_nothing_of_the_row_before_outlives_it(tmp_path, lane):
    options = Options(Limits(seconds=120), isolation="bwrap")
    for learner, tree in (("leaves-a-process", at_import(OUTLIVES)), ("finished", app(FINISHED))):
        write_app(tmp_path / learner, tree)
    first = grade(Submission("leaves-a-process", tmp_path / "leaves-a-process"), options, lane=lane)
    assert first["status"] == "ok"
    assert not processes_mentioning(MARK)
    assert list(Path(lane.folder).iterdir()) == [], "the row's folder is removed"
    second = grade(Submission("finished", tmp_path / "finished"), options, lane=lane)
    assert (second["status"], sum(r["passed"] for r in second["results"]), second["flags"]) == ("ok", len(CHECKS), [])


@pytest.mark.skipif(not bwrap_works(), reason="needs bwrap")
def test_without_a_lane_each_submission_still_gets_a_jail_of_its_own(tmp_path, monkeypatch):
    monkeypatch.setattr(landlock, "abi", lambda: 0)
    assert not lane_worker.available("bwrap")
    write_app(tmp_path / "finished", app(FINISHED))
    options = Options(Limits(seconds=120), isolation="bwrap")
    record = grade(Submission("finished", tmp_path / "finished"), options)
    assert (record["status"], sum(r["passed"] for r in record["results"])) == ("ok", len(CHECKS))



@needs_lanes
def test_the_grader_grades_each_lane_in_a_warm_jail_with_its_submissions_confined(tmp_path):
    folder, out = tmp_path / "submissions", tmp_path / "out"
    write_app(folder / "a-writes-tmp", at_import("open('/tmp/written-by-a', 'w').write('x')"))
    write_app(folder / "b-finished", app(FINISHED))
    run = grader(folder, "--out", out, "-j", 1, "--isolation", "bwrap", env=instructor_env(tmp_path))
    _, stderr = run.communicate(timeout=300)
    assert run.returncode == 0, stderr
    records = {r["learner"]: r for r in map(json.loads, (out / "results.jsonl").read_text().splitlines())}
    assert "PermissionError" in records["a-writes-tmp"]["message"], "Landlock refuses /tmp: the lane's jail was used"
    assert sum(r["passed"] for r in records["b-finished"]["results"]) == len(CHECKS)
