"""The grader always finishes, and one learner's limits are that learner's alone.

Each submission's judge runs in a lane of the grader (workshop/grading/lanes.py) that is killed
at the row's hard deadline; Ctrl+C ends a run at once. Each jail has its own caps on processes
and memory, whoever runs the grader (root or an ordinary user).
"""

import json
import os
import pwd
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import pytest
from helpers.grading_submissions import app
from helpers.grading_submissions import at_import
from helpers.grading_submissions import FINISHED
from helpers.grading_submissions import grader
from helpers.grading_submissions import in_view
from helpers.grading_submissions import instructor_env
from helpers.grading_submissions import processes_mentioning
from helpers.grading_submissions import read_csv
from helpers.grading_submissions import write_app

from workshop import ROOT
from workshop.grading import forked_lane
from workshop.grading import lanes
from workshop.grading import leftovers
from workshop.grading.grader import Options
from workshop.grading.grader import remove
from workshop.grading.submissions import discover
from workshop.jail.disk import DISK_MB
from workshop.jail.isolation import bwrap_works
from workshop.jail.isolation import TMPFS_MB
from workshop.jail.sandbox import Limits
from workshop.judge import CHECKS
from workshop.judge import lane_worker

LINUX = sys.platform.startswith("linux")
FULL = len(CHECKS)
TIMEOUT = 5

def slow_row():
    """A finished app whose every view loops: its row takes the judge's whole time for stopped checks."""
    return in_view("while True:\n        pass")


def records(out):
    return {r["learner"]: r for r in map(json.loads, (out / "results.jsonl").read_text(encoding="utf-8").splitlines())}


pytestmark = pytest.mark.skipif(not LINUX, reason="the lanes' clean-up and the caps need Linux")


@pytest.mark.parametrize("forked", [False, True], ids=["started", "forked"])
def test_a_stalled_judge_costs_its_own_row_and_the_others_are_graded(tmp_path, monkeypatch, forked):
    """Whatever stalls a judge process (here SIGSTOP, mid-row), its lane is killed at the row's deadline, whether it
    was a new Python or forked from the grader (see lanes.fork_lane); the lane started again grades on."""
    folder = tmp_path / "submissions"
    write_app(folder / "stalled", in_view("import time\ntime.sleep(3)"))  # mid-row a second after the lane starts
    write_app(folder / "victim", app(FINISHED))
    for name, value in instructor_env(tmp_path).items():
        monkeypatch.setenv(name, value)
    monkeypatch.setattr(tempfile, "tempdir", None)
    monkeypatch.setattr(lanes, "deadline", lambda options: 20)
    grade = lanes.Lane.grade

    def stalling(lane, submission):
        if submission.learner == "stalled":
            if not forked:
                lane.start()
            threading.Timer(1, os.killpg, (lane.process.pid, signal.SIGSTOP)).start()  # its own session
        return grade(lane, submission)

    monkeypatch.setattr(lanes.Lane, "grade", stalling)
    options = Options(Limits(seconds=TIMEOUT), isolation="bwrap" if bwrap_works() else "none")
    started = time.monotonic()
    with lanes.Lanes(2, options) as running:
        if forked:
            running.start(2)
            assert all(isinstance(lane.process, forked_lane.Forked) for lane in running.lanes)
        graded = {submission.learner: record for submission, record, _ in running.graded(discover(folder), str)}
    assert time.monotonic() - started < 20 + 15
    stalled, victim = graded["stalled"], graded["victim"]
    assert stalled["status"] == "error" and stalled["message"].startswith("The checks were stopped after 2"), stalled
    assert victim["status"] == "ok" and all(r["passed"] for r in victim["results"]) and len(victim["results"]) == FULL
    assert processes_mentioning(str(tmp_path)) == [], "the killed lane took everything it started with it"
    assert not list((tmp_path / "tmp").iterdir()), "and its folders are removed"


def test_the_lanes_warm_up_while_the_configuration_is_read_and_each_row_reads_its_key(tmp_path, monkeypatch):
    from workshop.cli import grade as grade_command

    subs, out, events = tmp_path / "submissions", tmp_path / "out", []
    for name in ("ada", "bob"):
        write_app(subs / name, app(1))

    def key(submission):
        events.append(f"{submission.learner}'s key, in {threading.current_thread().name}")
        return f"key of {submission.learner}"

    def grade(lane, submission):
        events.append(f"{submission.learner}'s row, in {threading.current_thread().name}")
        return {"learner": submission.learner, "status": "ok", "message": "", "results": [], "notebooks": None,
                "seconds": 0}

    monkeypatch.setattr(lanes.Lane, "start", lambda lane, fork=False: events.append("a lane starts"))
    monkeypatch.setattr(grade_command, "configuration", lambda options: events.append("configuration read") or "c")
    monkeypatch.setattr(grade_command, "fingerprint", key)
    monkeypatch.setattr(lanes.Lane, "grade", grade)
    command = [str(subs), "--out", str(out), "-j", "3", "--isolation", "none"]
    assert grade_command.main(command) == 0
    assert events[:3] == ["a lane starts", "a lane starts", "configuration read"], "a lane for each submission, no more"
    for learner in ("ada", "bob"):
        row = next(e for e in events if e.startswith(f"{learner}'s row"))
        thread = row.partition(", in ")[2]
        before = [e for e in events[:events.index(row)] if e.endswith(f", in {thread}")]
        assert before[-1:] == [row.replace("row", "key")], "its key just before, in its lane's thread"
        assert thread != "MainThread"
    assert {r["learner"]: r["key"] for r in records(out).values()} == {"ada": "key of ada", "bob": "key of bob"}
    for again in (["--resume"], ["--only", "ada"]):
        events.clear()
        assert grade_command.main(command + again) == 0
        assert events[:3] == ["configuration read", "ada's key, in MainThread", "bob's key, in MainThread"], (
            "results may be reused: the keys are read first, to find them", again)


def test_ctrl_c_stops_the_run_at_once_and_resume_goes_on(tmp_path):
    folder, out = tmp_path / "submissions", tmp_path / "out"
    write_app(folder / "a-first", app(FINISHED))
    write_app(folder / "b-slow", slow_row())
    write_app(folder / "c-last", app(3))
    env = instructor_env(tmp_path)
    run = grader(folder, "--out", out, "-j", 1, "--timeout", TIMEOUT, env=env)
    journal = out / "results.jsonl"
    waited = time.monotonic() + 120
    while time.monotonic() < waited and (not journal.exists() or journal.read_text().count("\n") < 1):
        time.sleep(0.05)
    time.sleep(3)  # the second row's checks now wait on its loops
    asked = time.monotonic()
    run.send_signal(signal.SIGINT)
    _, stderr = run.communicate(timeout=30)
    assert time.monotonic() - asked < 5, "Ctrl+C ends the run within a few seconds"
    assert run.returncode == 130 and "run again with --resume" in stderr
    assert list(records(out)) == ["a-first"], "the finished row is kept"
    assert processes_mentioning(str(tmp_path)) == [] and not list((tmp_path / "tmp").iterdir())

    write_app(folder / "b-slow", app(FINISHED))  # fixed by its learner meanwhile
    resumed = grader(folder, "--out", out, "-j", 1, "--timeout", TIMEOUT, "--resume", env=env)
    _, stderr = resumed.communicate(timeout=300)
    assert resumed.returncode == 0, stderr
    assert "Reusing 1 finished result(s); grading 2." in stderr
    assert {row["learner"]: row["points"] for row in read_csv(out / "grades.csv")} == {
        "a-first": str(FULL), "b-slow": str(FULL), "c-last": str(sum(c.step <= 3 for c in CHECKS))}




def process_flood(seconds):
    """At the first import in a jail, start 600 processes that sleep ``seconds`` (the test counts them by it),
    each in a session of its own: only the end of the jail ends them."""
    return at_import(f"""
import os as _os
if not _os.path.exists(_os.path.join(_os.path.dirname(__file__), "flooded")):
    open(_os.path.join(_os.path.dirname(__file__), "flooded"), "w").close()
    for _ in range(600):
        try:
            if _os.fork() == 0:
                try:
                    _os.setsid()
                    _os.execv("/bin/sleep", ["sleep", "{seconds}"])
                finally:
                    _os._exit(0)
        except OSError:
            break
""")


# writes up to 200 files of 1 MB into each of /tmp and /dev/shm, and 600 into its own folder; then says how many
DISK_FLOOD = """
import os as _os
_wrote = {}
for _place, _most in (("/tmp", 200), ("/dev/shm", 200), (_os.path.dirname(__file__), 600)):
    _wrote[_place] = 0
    try:
        for _number in range(_most):
            with open(_os.path.join(_place, f"flood{_number}"), "wb") as _file:
                _file.write(bytes(1024 * 1024))
            _wrote[_place] += 1
    except OSError:
        pass
    for _number in range(_wrote[_place] + 1):
        try:
            _os.remove(_os.path.join(_place, f"flood{_number}"))
        except OSError:
            pass
raise RuntimeError(" and ".join(f"wrote {mb} MB to {place}" for place, mb in _wrote.items()))
"""


def flood_peaks(run, sleeps, seconds=300):
    """Wait for ``run`` to end, counting the sleepers of each flood meanwhile: the most seen at once, by ``sleeps``."""
    peaks, ends = dict.fromkeys(sleeps, 0), time.monotonic() + seconds
    while run.poll() is None and time.monotonic() < ends:
        seen = dict.fromkeys(sleeps, 0)
        for pid in filter(str.isdigit, os.listdir("/proc")):
            try:
                command = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
            except OSError:
                continue
            if command[0] == b"sleep" and command[1:2] and command[1].decode() in seen:
                seen[command[1].decode()] += 1
        peaks = {sleep: max(peaks[sleep], seen[sleep]) for sleep in sleeps}
        time.sleep(0.1)
    return peaks


@pytest.mark.parametrize("user", ["root", "an ordinary user"])
def test_one_learners_floods_are_capped_in_their_own_jail(user):
    if not bwrap_works():
        pytest.skip("the caps per jail need bubblewrap")
    if user == "root" and os.getuid() != 0:
        pytest.skip("the grader can run as root only for root")
    nobody = pwd.getpwnam("nobody")
    as_nobody = ["setpriv", f"--reuid={nobody.pw_uid}", f"--regid={nobody.pw_gid}", "--clear-groups"]
    as_user = as_nobody if user != "root" and os.getuid() == 0 else []
    if as_user and subprocess.run([*as_user, sys.executable, "-c", ""], capture_output=True).returncode != 0:
        pytest.skip("this Python cannot run as an ordinary user here (it lives in a folder only root may read)")
    tmp = Path(tempfile.mkdtemp(prefix="workshop-floods-"))  # not under pytest's folder, which only root may enter
    try:
        folder, out = tmp / "submissions", tmp / "out"
        floods = {"a-floods-processes": "59.0625", "b-floods-processes-too": "59.125"}
        for learner, sleep in floods.items():
            write_app(folder / learner, process_flood(sleep))
        write_app(folder / "c-floods-disks", at_import(DISK_FLOOD))
        write_app(folder / "d-next", app(FINISHED))  # starts when c's row is done, the floods still there
        env = instructor_env(tmp)
        if as_user:
            for path in [tmp, *tmp.rglob("*")]:
                os.chown(path, nobody.pw_uid, nobody.pw_gid)
        run = subprocess.Popen(
            [*as_user, sys.executable, "-m", "workshop.grading", folder, "--out", out, "-j", "3", "--timeout", "20"],
            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )
        peaks = flood_peaks(run, floods.values())
        _, stderr = run.communicate(timeout=60)
        assert run.returncode == 0, stderr
        assert all(400 < peak <= Limits().extra_processes for peak in peaks.values()), (
            f"each flood ran, stopped at its own jail's cap, not at a cap shared with the other: {peaks}")
        graded = records(out)
        assert graded["d-next"]["results"] and all(r["passed"] for r in graded["d-next"]["results"]), (
            "the next learner's jail starts and its app gets full marks")
        said = graded["c-floods-disks"]["message"]
        wrote = re.search(r"wrote (\d+) MB to /tmp and wrote (\d+) MB to /dev/shm and wrote (\d+) MB to ", said)
        tmpfs = 0 if lane_worker.available("bwrap") else TMPFS_MB  # a lane's submission may not write them at all
        assert wrote and [int(mb) for mb in wrote.groups()[:2]] == [tmpfs, tmpfs], said
        if os.getuid() == 0 and not as_user:
            assert int(wrote[3]) < DISK_MB, "as root, the lane's folder is a tmpfs of DISK_MB"
        if user != "root":
            assert "no cgroup with the pids and memory controller can be made here" in stderr, "said plainly"
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def test_a_lane_is_forked_only_where_no_other_thread_runs():
    assert forked_lane.can_fork()
    waiting = threading.Event()
    other = threading.Thread(target=waiting.wait)
    other.start()
    try:
        assert not forked_lane.can_fork()
    finally:
        waiting.set()
        other.join()


def test_a_forked_lane_grades_and_ends_with_nothing_left(tmp_path, monkeypatch):
    folder = tmp_path / "submissions"
    write_app(folder / "ada", app(FINISHED))
    for name, value in instructor_env(tmp_path).items():
        monkeypatch.setenv(name, value)
    monkeypatch.setattr(tempfile, "tempdir", None)
    options = Options(Limits(seconds=TIMEOUT), isolation="bwrap" if bwrap_works() else "none")
    with lanes.Lanes(1, options) as running:
        running.start(1)
        lane = running.lanes[0]
        assert isinstance(lane.process, forked_lane.Forked) and lane.process.poll() is None
        assert Path(f"/proc/{lane.process.pid}/cmdline").read_bytes() == Path("/proc/self/cmdline").read_bytes()
        (submission, record, _), = running.graded(discover(folder), str)
    assert record["status"] == "ok" and all(r["passed"] for r in record["results"]), record
    assert len(record["results"]) == FULL
    assert lane.process is None, "ended with the lanes"
    assert processes_mentioning(str(tmp_path)) == [] and not list((tmp_path / "tmp").iterdir())


def test_the_lanes_share_out_the_processors():
    assert lanes.cpu_shares(2, {1, 0}) == [[0], [1]]
    assert lanes.cpu_shares(2, {0, 1, 2, 3, 4}) == [[0, 2, 4], [1, 3]]
    assert lanes.cpu_shares(3, {0, 1}) == [[0], [1], [0]], "more lanes than processors: they take turns"
    assert lanes.cpu_shares(1, {0, 1}) == [[0, 1]]


@pytest.mark.skipif(not hasattr(os, "sched_getaffinity"), reason="the system does not say which processors")
def test_a_lane_runs_on_its_share_of_the_processors():
    cpus = sorted(os.sched_getaffinity(0))[-1:]
    lane = lanes.Lane(Options(isolation="none"), cpus)
    lane.start()
    try:
        ends = time.monotonic() + 30
        while os.sched_getaffinity(lane.process.pid) != set(cpus) and time.monotonic() < ends:
            time.sleep(0.05)
        assert os.sched_getaffinity(lane.process.pid) == set(cpus)
    finally:
        lane.kill()


def test_a_lanes_answer_is_read_with_a_size_cap_and_a_death_is_a_failure(monkeypatch):
    monkeypatch.setattr(lanes, "MAX_ANSWER_BYTES", 1000)
    lane = lanes.Lane(Options())
    lane.pending = b""
    talks = "print('{\"a\": 1}'); print('x' * 5000)"
    with subprocess.Popen([sys.executable, "-c", talks], stdout=subprocess.PIPE) as talker:
        assert lane.answer(talker, time.monotonic() + 30) == {"a": 1}
        with pytest.raises(lanes.LaneFailed, match="more than"):
            lane.answer(talker, time.monotonic() + 30)
    lane.pending = b""
    with subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"], stdout=subprocess.PIPE) as quiet:
        assert lane.answer(quiet, time.monotonic() + 0.5) is None, "nothing before the deadline"
        quiet.kill()
        with pytest.raises(lanes.LaneFailed, match="exit code"):
            lane.answer(quiet, time.monotonic() + 30)


def test_a_zombie_grader_counts_as_ended_so_its_folders_are_cleared():
    """Where no init reaps orphans, a killed grader's lanes stay zombies: their folders must still be cleared."""
    child = os.fork()
    if child == 0:
        os._exit(0)
    try:
        ends = time.monotonic() + 10
        while leftovers.is_alive(child) and time.monotonic() < ends:
            time.sleep(0.01)
        assert not leftovers.is_alive(child), "an unreaped child that has exited"
        assert leftovers.is_alive(os.getpid())
    finally:
        os.waitpid(child, 0)


def test_a_leftover_cleared_by_another_grader_at_the_same_moment_is_no_error(tmp_path):
    """Graders that start together (shards of a class, say) clear the same dead grader's folder at once: the one
    that comes second finds it gone."""
    remove(tmp_path / "workshop-grade-999999999-gone")
