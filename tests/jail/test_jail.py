"""A submission cannot change its own verdict, another learner's, or the instructor's files.

Each attack of the table in the instructor's guide is a submission: the unfinished starter
with the attack run when it is imported (so that it scores what its app really does: 0),
graded beside a finished app (``victim``) in one run of the grader. With bubblewrap every
attack fails; without it (``--isolation none``, rlimits only) the attacks on the judge
itself still fail, since no learner code runs in the judge's process.
"""

import csv
import json
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from helpers.grading_submissions import app
from helpers.grading_submissions import FINISHED
from helpers.grading_submissions import prepended
from helpers.grading_submissions import process_is_gone
from helpers.grading_submissions import write_app

from workshop import APP_NAME
from workshop import ROOT
from workshop.jail.isolation import bwrap_works
from workshop.jail.isolation import Jail
from workshop.judge import CHECKS

SECRET = "instructor-s3cret"
FULL = len(CHECKS)


def attack(code, after=""):
    """The starter, with ``code`` run (and any error in it ignored) when it is imported, then ``after``."""
    indented = "\n".join("    " + line for line in code.strip().splitlines())
    return prepended(app(0), "__init__.py", f"loot = []\ntry:\n{indented}\nexcept BaseException:\n    pass\n{after}")


def attacks(places):
    """The hostile submissions by learner name; ``places`` names the instructor's paths they aim at."""
    plant = "\n".join(f"open({str(Path(p, 'planted-by-a-submission'))!r}, 'w').write('x')" for p in places["writable?"])
    return {
        "noop-checks": attack("""
import workshop.judge.core as core
for chk in core.CHECKS:
    chk.func = lambda **kw: None
"""),
        "forged-bridge": attack("""
import gc, json, os, socket, struct
for sock in [o for o in gc.get_objects() if isinstance(o, socket.socket)]:
    for seq in range(50):
        calls = [["start", {"str": "200 OK"}, {"list": []}, False], ["iterable", "list", False],
                 ["chunk", {"bytes": ""}]]
        data = json.dumps({"re": seq, "ok": True, "calls": calls}).encode()
        sock.sendall(struct.pack(">I", len(data)) + data)
os._exit(0)
"""),
        "patched-test-client": attack("""
import werkzeug.test, flask.testing
def canned(self, *args, **kwargs):
    return werkzeug.test.TestResponse(b"<title>t</title>Hello, Flask! Hello, Ada!", 200, {"Content-Type": "text/html"})
werkzeug.test.Client.open = canned
flask.testing.FlaskClient.open = canned
"""),
        "placeholder-tests": {
            **app(0),
            "tests/test_app.py": "def test_a():\n    pass\n\n\ndef test_b():\n    pass\n\n\ndef test_c():\n    pass\n",
            "tests/conftest.py": (
                "import os, sys\n\n\ndef pytest_unconfigure(config):\n"
                "    if os.environ.get('WORKSHOP_MUTANT') or os.environ.get('WORKSHOP_MUTANTS_REPORT'):\n"
                "        os._exit(1)\n"
            ),
        },
        "spy-and-vandal": attack(f"""
import os, pathlib
for pid in os.listdir('/proc'):
    try:
        loot.append(pathlib.Path('/proc', pid, 'environ').read_bytes().decode('latin-1'))
        loot.append(pathlib.Path('/proc', pid, 'cmdline').read_bytes().decode('latin-1'))
    except OSError:
        pass
for path in {[str(places['overrides']), str(places['board'])]!r}:
    try:
        loot.append(open(path).read())
    except OSError:
        pass
try:
    with open({str(places['overrides'])!r}, 'a') as f:
        f.write('spy-and-vandal,all,{FULL},"trust me"\\n')
except OSError:
    pass
try:
    open({str(places['victim'])!r}, 'w').write('raise SystemExit("vandalised")\\n')
except OSError:
    pass
{plant}
""", after=f"""
found = [text.replace('\\0', ' ').replace('\\n', ' ') for text in loot if {SECRET!r} in text or 'class_code' in text]
if found:
    raise SystemExit(' '.join(found)[:3000])
"""),
        "copies-the-solution": attack(f"""
import shutil, pathlib
here = pathlib.Path(__file__).parent
shutil.copytree({str(ROOT / 'solutions' / APP_NAME)!r}, here, dirs_exist_ok=True)
"""),
        "outlives-the-grader": attack(f"""
import os, time
if os.fork() == 0:
    os.setsid()
    if os.fork() == 0:
        for fd in range(3, 256):
            try:
                os.close(fd)
            except OSError:
                pass
        time.sleep(4)
        with open({str(places['grades'])!r}, 'a') as f:
            f.write('outlives-the-grader,{FULL}\\n')
        open({str(places['survivor'])!r}, 'w').write(str(os.getpid()))
    os._exit(0)
"""),
        "reaches-the-network": attack(f"""
import socket
socket.create_connection(("127.0.0.1", {places['port']}), timeout=2).sendall(b"reached")
"""),
        "kills-its-parent": attack("""
import os, signal
os.kill(os.getppid(), signal.SIGKILL)
"""),
        "victim": app(FINISHED),
    }


@pytest.fixture(scope="module", params=["bwrap", "none"])
def attacked_class(request, tmp_path_factory):
    """The attacks and the victim graded in one run (-j 2) with the isolation of ``request.param``."""
    isolation = request.param
    if isolation == "bwrap" and not bwrap_works():
        if os.environ.get("CI") == "true":
            pytest.fail("bubblewrap cannot run here, and CI must test the jail")
        pytest.skip("bubblewrap cannot run here")
    tmp = tmp_path_factory.mktemp(f"jail-{isolation}")
    subs, out, home, spy = tmp / "submissions", tmp / "out", tmp / "home", tmp / "spy"
    for folder in (subs, out, home, spy):
        folder.mkdir()
    (tmp / "class-board").mkdir()
    board = tmp / "class-board" / "board.sqlite"
    board.write_text("class_code=ABCD instructor_secret=xyz")
    listener = socket.create_server(("127.0.0.1", 0))
    listener.settimeout(0.2)
    overrides = out / "overrides.csv"
    overrides.write_text("learner,check,points,comment\n", encoding="utf-8")
    places = {
        "overrides": overrides, "board": board, "grades": out / "grades.csv", "survivor": spy / "survivor",
        "victim": subs / "victim" / APP_NAME / "pages.py", "port": listener.getsockname()[1],
        "writable?": [tmp, home, "/tmp", ROOT, ROOT / "workshop" / "judge", ROOT / "workshop" / "jail", subs, out],
    }
    submissions = attacks(places)
    # without a jail these would harm the test run itself: only the judge's own defences are tried
    if isolation == "none":
        submissions = {k: v for k, v in submissions.items()
                       if k in ("noop-checks", "forged-bridge", "patched-test-client", "placeholder-tests", "victim")}
    for learner, tree in submissions.items():
        write_app(subs / learner, tree)
    victim_before = {p: p.read_bytes() for p in (subs / "victim").rglob("*") if p.is_file()}
    env = {**os.environ, "HOME": str(home), "INSTRUCTOR_SECRET": SECRET, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-m", "workshop.grading", subs, "--out", out, "-j", "2", "--isolation", isolation],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=600,
    )
    grades_after_run = (out / "grades.csv").read_text(encoding="utf-8")
    time.sleep(5)  # longer than the one that outlives the grader waits
    reached = []
    with listener:
        try:
            reached.append(listener.accept())
        except TimeoutError:
            pass
    with open(out / "grades.csv", newline="", encoding="utf-8") as file:
        rows = {row["learner"]: row for row in csv.DictReader(file)}
    return {
        "isolation": isolation, "done": done, "rows": rows, "submissions": submissions, "places": places, "out": out,
        "grades_after_run": grades_after_run, "reached": reached, "victim_before": victim_before, "tmp": tmp,
        "subs": subs,
        "feedback": {p.stem: p.read_text(encoding="utf-8") for p in (out / "feedback").glob("*.txt")},
    }


def test_the_grader_finishes_and_says_whether_submissions_were_isolated(attacked_class):
    assert attacked_class["done"].returncode == 0, attacked_class["done"].stderr[-3000:]
    said = "ran isolated, in a bubblewrap jail" if attacked_class["isolation"] == "bwrap" else "were NOT isolated"
    assert said in attacked_class["done"].stdout
    assert said in (attacked_class["out"] / "report.html").read_text(encoding="utf-8")


def test_every_attack_scores_what_its_app_does(attacked_class):
    scores = {learner: row["points"] or "0" for learner, row in attacked_class["rows"].items() if learner != "victim"}
    expected = {learner: "0" for learner in attacked_class["submissions"] if learner != "victim"}
    assert scores == {**expected, "placeholder-tests": "1"}, "three tests that pass and cannot fail"
    broken = {learner for learner, row in attacked_class["rows"].items() if row["status"] != "ok"}
    assert broken <= {"kills-its-parent"}, "no attack but the one that kills its own process tree even breaks its app"


def test_placeholder_tests_earn_no_caught_mutant(attacked_class):
    record = next(json.loads(line) for line in (attacked_class["out"] / "results.jsonl").read_text().splitlines()
                  if '"placeholder-tests"' in line)
    step5 = {r["name"]: r["passed"] for r in record["results"] if r["step"] == 5}
    assert step5 == {"own_tests_exist": False, "own_tests_pass": True, "own_tests_catch_a_broken_app": False}


def test_the_victim_is_graded_as_submitted_and_its_files_are_unchanged(attacked_class):
    assert attacked_class["rows"]["victim"]["points"] == str(FULL), attacked_class["rows"]["victim"]
    victim = attacked_class["subs"] / "victim"
    assert {p: p.read_bytes() for p in victim.rglob("*") if p.is_file()} == attacked_class["victim_before"]


def test_importing_the_workshop_is_flagged(attacked_class):
    assert "imports the workshop's own package" in attacked_class["rows"]["noop-checks"]["flags"]


def test_writing_outside_the_jail_is_flagged(attacked_class):
    if attacked_class["isolation"] != "bwrap":
        pytest.skip("the vandal is tried in the jail only")
    flags = attacked_class["rows"]["spy-and-vandal"]["flags"]
    assert "tried to write outside its own folder" in flags and "overrides.csv" in flags


def test_the_instructors_files_are_untouched(attacked_class):
    if attacked_class["isolation"] != "bwrap":
        pytest.skip("only the jail keeps a submission from the instructor's files")
    places = attacked_class["places"]
    assert places["overrides"].read_text(encoding="utf-8") == "learner,check,points,comment\n"
    planted = [p for p in places["writable?"] if Path(p, "planted-by-a-submission").exists()]
    assert planted == []
    grades = attacked_class["out"].joinpath("grades.csv").read_text(encoding="utf-8")
    assert grades == attacked_class["grades_after_run"]
    assert not places["survivor"].exists()
    assert attacked_class["reached"] == [], "no network from the jail"


def test_nothing_secret_reaches_the_feedback(attacked_class):
    if attacked_class["isolation"] != "bwrap":
        pytest.skip("only the jail hides the grader's environment")
    text = "".join(attacked_class["feedback"].values()) + json.dumps(attacked_class["rows"])
    assert SECRET not in text and "class_code" not in text and "instructor_secret" not in text


def test_no_process_of_a_submission_outlives_the_grader(attacked_class):
    if attacked_class["isolation"] != "bwrap":
        pytest.skip("the escapees are tried in the jail only")
    survivors = [pid for pid in os.listdir("/proc") if pid.isdigit() and not process_is_gone(int(pid))
                 and str(attacked_class["tmp"]).encode() in Path(f"/proc/{pid}/cmdline").read_bytes()]
    assert survivors == []


def test_overrides_are_read_once_before_grading_and_outputs_are_the_instructors_only(tmp_path, monkeypatch, capsys):
    from workshop.cli import grade as grade_command
    from workshop.grading import lanes

    subs, out = tmp_path / "submissions", tmp_path / "out"
    write_app(subs / "ada", app(1))
    out.mkdir(mode=0o755)
    (out / "overrides.csv").write_text("learner,check,points,comment\n", encoding="utf-8")

    def grade_while_someone_edits(submission, options, stop):
        with open(out / "overrides.csv", "a", encoding="utf-8") as file:
            file.write(f"ada,total,{FULL},slipped in while grading\n")
        return {"learner": submission.learner, "status": "ok", "message": "", "results": [], "notebooks": None,
                "seconds": 0}

    monkeypatch.setattr(lanes.Lane, "grade", lambda lane,
                        submission: grade_while_someone_edits(submission, lane.options, None))
    assert grade_command.main([str(subs), "--out", str(out), "-j", "1", "--isolation", "none"]) == 0
    assert "overrides.csv changed while the submissions were graded" in capsys.readouterr().err
    with open(out / "grades.csv", newline="", encoding="utf-8") as file:
        assert next(csv.DictReader(file))["points"] != str(FULL)
    for path in [out / "grades.csv", out / "results.jsonl", out / "report.html", *(out / "feedback").iterdir()]:
        assert path.stat().st_mode & 0o077 == 0, f"{path.name} is readable by others"


def test_the_jail_works_for_a_workshop_kept_under_tmp(tmp_path):
    if not bwrap_works():
        pytest.skip("bubblewrap cannot run here")
    code, writable = tmp_path / "clone", tmp_path / "writable"  # tmp_path is under /tmp, the jail's own /tmp too
    shutil.copytree(ROOT / "workshop", code / "workshop", ignore=shutil.ignore_patterns("__pycache__"))
    writable.mkdir()
    jail = Jail("bwrap", writable, code)
    command = jail.wrap([sys.executable, "-I", "-c",
                         f"import sys; sys.path.insert(0, {str(code)!r}); import workshop.wire"], writable)
    done = subprocess.run(command, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
