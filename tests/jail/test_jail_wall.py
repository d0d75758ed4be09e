"""Nothing crosses the jail wall unchecked: every read from the jail is bounded, the judge never
follows the app into the file system, hostile source is parsed within caps, and tests that could
forge their own outcome are flagged.

The caps are tried one by one on the judge's own functions (cheap), then as attacks: the finished
app with a few lines added, judged in-process, and, in one run of the grader beside a victim,
the rows of the table in issue 24.
"""

import contextlib
import csv
import json
import os
import socket
import struct
import subprocess
import sys
import threading
import time
import tracemalloc
import zlib
from pathlib import Path
from types import SimpleNamespace

import pytest
from helpers.grading_submissions import app
from helpers.grading_submissions import at_import
from helpers.grading_submissions import FINISHED
from helpers.grading_submissions import in_view
from helpers.grading_submissions import write_app
from itsdangerous.encoding import base64_encode

from workshop import APP_NAME
from workshop import jailfiles
from workshop import ROOT
from workshop import wire
from workshop.jail.isolation import bwrap_works
from workshop.jail.isolation import Jail
from workshop.judge import bridge
from workshop.judge import CHECKS
from workshop.judge import hooks
from workshop.judge import judge
from workshop.judge import notes
from workshop.judge import sessions
from workshop.judge import source
from workshop.judge import step5

MB = 1024 * 1024
SECRET = "instructor-t0ken"
FLOOD = """
import gc, socket, struct, threading, time
def _flood():
    ends = []
    for end in [o for o in gc.get_objects() if isinstance(o, socket.socket) and o.family == socket.AF_UNIX]:
        try:
            end.sendall(struct.pack(">I", {size}))
            ends.append(end)
        except OSError:
            pass
    while True:
        for end in ends:
            end.sendall(b"[")
        time.sleep({pause})
_flood()
"""
STREAM = """
from flask import Response, request
if "waitress" in request.environ.get("SERVER_SOFTWARE", ""):
    import time
    def _forever():
        while True:
            yield b"x" * 20000
            time.sleep(2)
    return Response(_forever())
"""
BIG_BODY = """
from flask import request
if "waitress" in request.environ.get("SERVER_SOFTWARE", ""):
    return "x" * (3 * 1024 * 1024)
"""

FULL = len(CHECKS)


@contextlib.contextmanager
def sender(chunks, pause=0.0):
    """A socket whose other end sends ``chunks``, ``pause`` seconds apart, from a thread."""
    ours, theirs = socket.socketpair()

    def send():
        for chunk in chunks:
            try:
                theirs.sendall(chunk)
            except OSError:
                return
            time.sleep(pause)

    threading.Thread(target=send, daemon=True).start()
    with ours, theirs:
        yield ours


def finished(tmp_path, tree=None):
    write_app(tmp_path, tree or app(FINISHED))
    return tmp_path


def appended(tree, path, code):
    return {**tree, path: tree[path] + "\n" + code}


def messages(run):
    return {r["name"]: r["message"] for r in run.results if not r["passed"]}


# Every read from the jail is bounded


def test_a_frame_over_its_cap_is_refused_at_its_header():
    started = time.monotonic()
    with sender([struct.pack(">I", 60 * MB), b"x"],
                pause=1) as sock, pytest.raises(wire.OverCap, match="over the cap of 2 MB on a message"):
        wire.receive(sock, bridge.FRAME_BYTES, time.monotonic() + 5)
    assert time.monotonic() - started < 1


def test_a_frame_trickling_in_meets_one_deadline_for_the_whole_message():
    started = time.monotonic()
    with sender([struct.pack(">I", 100), *[b" "] * 100],
                pause=0.3) as sock, pytest.raises(socket.timeout):  # a byte each 0.3 s
        wire.receive(sock, bridge.FRAME_BYTES, time.monotonic() + 2)
    assert time.monotonic() - started < 3


def test_json_nested_deeper_than_its_cap_is_refused_before_it_is_parsed():
    deep = b'{"a": ' + b"[" * 200 + b"]" * 200 + b"}"
    with pytest.raises(wire.OverCap, match=f"cap of {wire.MAX_NESTING} levels"):
        wire.loads(deep)
    allowed = b'{"a": ' + b"[" * (wire.MAX_NESTING - 1) + b'"]]]"' + b"]" * (wire.MAX_NESTING - 1) + b"}"
    assert wire.loads(allowed)["a"]
    typed = json.dumps({"re": 1, "value": wire.typed({"k": [[[{"x": (1, "y")}]]]})}).encode()
    assert wire.untyped(wire.loads(typed)["value"]) == {"k": [[[{"x": (1, "y")}]]]}


def test_the_largest_frame_of_empty_objects_decodes_in_bounded_memory():
    data = b'{"calls": [' + b",".join([b"{}"] * ((bridge.FRAME_BYTES - 20) // 3)) + b"]}"
    tracemalloc.start()
    try:
        with sender([struct.pack(">I", len(data)) + data]) as sock:
            wire.receive(sock, bridge.FRAME_BYTES, time.monotonic() + 5)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 100 * MB, f"{peak / MB:.0f} MB"


def test_a_compressed_cookie_is_refused_past_its_cap_without_decompressing_it_all():
    payload = b'{"name": "' + b"a" * (50 * MB) + b'"}'
    compressed = b"." + base64_encode(zlib.compress(payload, 9))
    value = sessions.serializer("key").make_signer().sign(compressed).decode()
    assert len(value) < 1 * MB
    tracemalloc.start()
    try:
        with pytest.raises(wire.OverCap, match="cap of 64 kB on its data, decompressed"):
            sessions.opened(value, "key")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 20 * MB, f"{peak / MB:.0f} MB"
    assert sessions.opened(sessions.serializer("key").dumps({"name": "Ada" * 1000}), "key") == {"name": "Ada" * 1000}


def test_an_app_flooding_the_bridge_loses_only_the_checks_it_floods(tmp_path):
    run = judge(finished(tmp_path, in_view(FLOOD.format(size=60 * MB, pause=1))), [1])
    failed = messages(run)
    assert set(failed) == {"home_page_says_hello"}, failed
    assert "over the cap of 2 MB on a message" in failed["home_page_says_hello"]


def test_an_app_trickling_a_frame_is_stopped_at_the_checks_deadline(tmp_path):
    started = time.monotonic()
    run = judge(finished(tmp_path, in_view(FLOOD.format(size=MB, pause=0.5))), [1])
    assert messages(run)["home_page_says_hello"].startswith("This check did not finish within 5 s")
    assert time.monotonic() - started < 40


@pytest.mark.parametrize("view, said", [
    (STREAM, "did not arrive whole within 2 s"),
    (BIG_BODY, "over the cap of 1 MB on an HTTP body"),
])
def test_waitress_answers_are_read_within_a_deadline_and_a_cap(tmp_path, view, said):
    run = judge(finished(tmp_path, in_view(view)), [6])
    failed = messages(run)
    assert list(failed) == ["serves_under_waitress"] and said in failed["serves_under_waitress"], failed


def test_an_answer_stalled_past_the_socket_timeout_is_late_even_before_the_watchdog(tmp_path, monkeypatch):
    monkeypatch.setattr(bridge, "cut", lambda sockets, late: None)  # a watchdog that comes too late
    path = str(tmp_path / "server.sock")
    with socket.socket(socket.AF_UNIX) as listener:
        listener.bind(path)
        listener.listen()

        def serve():
            conn, _ = listener.accept()
            conn.recv(65536)
            conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nxx")
            time.sleep(1)
            conn.close()

        threading.Thread(target=serve, daemon=True).start()
        with pytest.raises(TimeoutError, match="did not arrive whole within 0.2 s"):
            bridge.fetch(path, None, "/", timeout=0.2)


# The judge never follows the app into the file system


def app_with_database(path):
    return SimpleNamespace(config={"DATABASE": str(path)})


def test_the_judge_reads_and_writes_notes_in_files_of_its_own(tmp_path):
    database = tmp_path / "notes.sqlite"
    stored = notes.add_note(app_with_database(database), "Tea", "green")
    notes.add_note(app_with_database(database), "Jam")
    assert [(n["id"], n["title"])
            for n in notes.stored_notes(app_with_database(database))] == [(stored["id"], "Tea"), (2, "Jam")]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.sqlite"] and not database.is_symlink()
    assert notes.stored_notes(app_with_database(tmp_path / "none.sqlite")) == []


@pytest.mark.timeout(30)
def test_a_database_that_is_a_fifo_is_refused_not_opened(tmp_path):
    os.mkfifo(tmp_path / "notes.sqlite")
    for use in (notes.stored_notes, lambda a: notes.add_note(a, "Tea")):
        with pytest.raises(jailfiles.Refused, match="not a regular file"):
            use(app_with_database(tmp_path / "notes.sqlite"))


def test_a_database_that_links_outside_is_never_followed(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "grades.sqlite").write_bytes(b"the instructor's")
    jail = tmp_path / "jail"
    jail.mkdir()
    (jail / "notes.sqlite").symlink_to(outside / "grades.sqlite")
    (jail / "folder").symlink_to(outside)
    for path in (jail / "notes.sqlite", jail / "folder" / "grades.sqlite"):
        for use in (notes.stored_notes, lambda a: notes.add_note(a, "Tea")):
            with pytest.raises(jailfiles.Refused, match="link"):
                use(app_with_database(path))
    assert [p.name for p in outside.iterdir()] == ["grades.sqlite"]
    assert (outside / "grades.sqlite").read_bytes() == b"the instructor's"


def test_a_database_over_its_cap_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(notes, "DATABASE_BYTES", 1000)
    (tmp_path / "notes.sqlite").write_bytes(bytes(2000))
    with pytest.raises(jailfiles.Refused, match="over the cap"):
        notes.stored_notes(app_with_database(tmp_path / "notes.sqlite"))


def plant(folder, victim):
    """Links, a pipe and a device link in an app's folder, as an app could make them while it runs."""
    for name, target in (("other.py", victim), ("passwd.txt", "/etc/passwd"), ("environ.txt", "/proc/self/environ"),
                         ("zero.py", "/dev/zero"), ("elsewhere", victim.parent)):
        (folder / name).symlink_to(target)
    os.mkfifo(folder / "pipe.py")


@pytest.mark.timeout(60)
def test_step5s_copy_of_the_app_keeps_no_link_and_opens_no_pipe(tmp_path):
    victim = write_app(tmp_path / "victim", app(FINISHED)) / APP_NAME / "pages.py"
    app_parent = write_app(tmp_path / "attacker", app(FINISHED)).resolve()
    plant(app_parent / APP_NAME, victim)
    (tmp_path / "scratch").mkdir()
    run, _ = step5.prepare_run(app_parent, Jail(), (tmp_path / "scratch").resolve(), step5.Run())
    copied = {p.relative_to(run["cwd"] / APP_NAME).as_posix() for p in (run["cwd"] / APP_NAME).rglob("*")}
    assert {"__init__.py", "tests/conftest.py"} <= copied
    assert not copied & {"other.py", "passwd.txt", "environ.txt", "zero.py", "elsewhere", "pipe.py"}
    assert not any(p.is_symlink() for p in (run["cwd"] / APP_NAME).rglob("*"))


@pytest.mark.timeout(30)
def test_a_report_replaced_by_a_pipe_or_a_link_is_no_hint(tmp_path):
    os.mkfifo(tmp_path / step5.REPORT)
    assert step5.reported(tmp_path) == ([], "", [], [])
    os.unlink(tmp_path / step5.REPORT)
    (tmp_path / step5.REPORT).symlink_to("/etc/passwd")
    assert step5.reported(tmp_path) == ([], "", [], [])


@pytest.mark.timeout(30)
def test_the_source_reader_opens_only_regular_files_of_the_app(tmp_path):
    victim = write_app(tmp_path / "victim", app(FINISHED)) / APP_NAME / "pages.py"
    app_parent = finished(tmp_path / "attacker")
    plant(app_parent / APP_NAME, victim)
    read = [p.relative_to(app_parent.resolve() / APP_NAME).as_posix() for p, _ in source.modules(app_parent)]
    assert read == sorted(name for name in app(FINISHED)
                          if name.endswith(".py")), "the app's own files: no link followed, no pipe"


def test_a_file_changed_since_it_was_parsed_is_parsed_again(tmp_path):
    """The syntax trees are kept per version of a file: an edit of the same size, its time set back, is seen."""
    app_parent = finished(tmp_path)
    module = app_parent / APP_NAME / "extra.py"
    module.write_text('MARK = "first"\n')
    assert "first" in source.constants(app_parent)
    kept = module.stat()
    module.write_text('MARK = "later"\n')
    os.utime(module, ns=(kept.st_atime_ns, kept.st_mtime_ns))
    assert "later" in source.constants(app_parent) and "first" not in source.constants(app_parent)


# Parsing hostile input with caps


def test_huge_sources_of_string_literals_are_parsed_within_caps(tmp_path):
    app_parent = finished(tmp_path)
    literals = "".join(f'"s{n}",\n' for n in range(2_400_000))
    (app_parent / APP_NAME / "aaa_strings.py").write_text(f"X = [\n{literals}]\n")  # 28 MB, read first
    for number in range(20):  # each under the cap per file, together far over the cap for all
        items = "".join(f'"c{number}-{n}",\n' for n in range(30_000))
        (app_parent / APP_NAME / f"chunk{number:02d}.py").write_text("Y = [\n" + items + "]\n")
    started = time.monotonic()
    found = source.constants(app_parent)
    assert time.monotonic() - started < 3
    assert len(found) == source.MAX_LITERALS
    assert "s0" not in found, "the 28 MB file is not parsed"
    assert source.imports_of(app_parent, "flask")


# Forged test outcomes are flagged


@pytest.mark.parametrize("files, said", [
    ({"tests/conftest.py": "def pytest_runtest_makereport(item, call):\n    pass\n"},
     ["pytest hooks that can change their outcome: pytest_runtest_makereport in part1_basic_app/tests/conftest.py"]),
    ({"tests/conftest.py": "import pytest\n\n\n@pytest.hookimpl(hookwrapper=True)\ndef"
                           " pytest_report_teststatus(report):\n    yield\n"},
     ["pytest_report_teststatus in part1_basic_app/tests/conftest.py"]),
    ({"plugin.py": "import os\n\n\ndef pytest_sessionfinish(session, exitstatus):\n    os._exit(0)\n"},
     ["pytest_sessionfinish in part1_basic_app/plugin.py",
      "the tests end the process themselves (os._exit, sys.exit, ...): part1_basic_app/plugin.py, line 5"]),
    ({"tests/test_more.py": "import sys\n\nsys.exit(0)\n"},
     ["end the process themselves (os._exit, sys.exit, ...): part1_basic_app/tests/test_more.py, line 3"]),
    ({"tests/conftest.py": "raise SystemExit(0)\n"}, ["end the process themselves"]),
])
def test_tests_that_could_forge_their_outcome_are_flagged(tmp_path, files, said):
    tree = app(FINISHED)
    app_parent = finished(tmp_path, {**tree, **{name: tree[name] + "\n" + code if name in tree else code
                                                for name, code in files.items()}})
    flags = " / ".join(hooks.forged_outcomes(app_parent))
    assert all(words in flags for words in said), flags


def test_the_finished_app_raises_no_flag(tmp_path):
    assert hooks.forged_outcomes(finished(tmp_path)) == []


# The rows of the table, graded in one run beside a victim


def attacks(places):
    tree = app(FINISHED)
    links = f"""
import os, pathlib
here = pathlib.Path(__file__).parent
for name, target in (("other_learner.txt", {str(places['victim'])!r}), ("passwd.txt", "/etc/passwd"),
                     ("environ.txt", "/proc/self/environ"), ("zero.txt", "/dev/zero"),
                     ("submissions", {str(places['subs'])!r})):
    try:
        os.symlink(target, here / name)
    except OSError:
        pass
"""
    zero = """
import os, pathlib
try:
    os.symlink("/dev/zero", pathlib.Path(__file__).parent / "zero.py")
except OSError:
    pass
"""
    leak = """
import pathlib


def test_what_the_copy_holds():
    here = pathlib.Path(__file__).parent.parent
    read = ("environ.txt", "passwd.txt", "other_learner.txt")
    texts = [(here / n).read_text(errors="replace") for n in read if (here / n).exists()]
    text = " ".join(texts).replace("\\0", " ").replace("\\n", " ")
    assert not text, text[text.find("INSTRUCTOR"):][:100] if "INSTRUCTOR" in text else text[:100]
"""
    fifo_database = """
_made_by_the_app = create_app


def create_app(test_config=None):
    app = _made_by_the_app(test_config)
    import os
    try:
        os.unlink(app.config["DATABASE"])
    except OSError:
        pass
    os.mkfifo(app.config["DATABASE"])
    return app
"""
    linked_database = fifo_database.replace('os.mkfifo(app.config["DATABASE"])',
                                            f'os.symlink({str(places["outside"] / "notes.sqlite")!r},'
                                            ' app.config["DATABASE"])')
    fifo_report = """

def pytest_unconfigure(config):
    import os
    report = os.path.join(str(config.rootpath), "report.json")
    if os.path.exists(report):
        os.unlink(report)
        os.mkfifo(report)
"""
    literals = {f"data/strings{number:02d}.py": "X = [\n" + "".join(f'"s{number}-{n}",\n'
                                                                    for n in range(40_000)) + "]\n"
                for number in range(56)}
    return {
        "frame-flood": in_view(FLOOD.format(size=60 * MB, pause=1)),
        "waitress-stream": in_view(STREAM),
        "fifo-database": appended(tree, "__init__.py", fifo_database),
        "linked-database": appended(tree, "__init__.py", linked_database),
        "fifo-report": appended(tree, "tests/conftest.py", fifo_report),
        "planted-links": {**at_import(links), "tests/test_leak.py": leak},
        "zero-source": at_import(zero),
        # 28 MB in a folder the app never imports, each file under the cap per file
        "literal-flood": {**tree, **literals},
        "victim": tree,
    }


@pytest.fixture(scope="module")
def wall_attacks(tmp_path_factory):
    if not bwrap_works():
        if os.environ.get("CI") == "true":
            pytest.fail("bubblewrap cannot run here, and CI must test the jail")
        pytest.skip("bubblewrap cannot run here")
    tmp = tmp_path_factory.mktemp("jail-wall")
    subs, out, outside = tmp / "submissions", tmp / "out", tmp / "outside"
    for folder in (subs, out, outside):
        folder.mkdir()
    places = {"victim": subs / "victim" / APP_NAME / "pages.py", "subs": subs, "outside": outside}
    submissions = attacks(places)
    for learner, tree in submissions.items():
        write_app(subs / learner, tree)
    env = {**os.environ, "INSTRUCTOR_TOKEN": SECRET, "PYTHONPATH": str(ROOT)}
    started = time.monotonic()
    with subprocess.Popen(
        [sys.executable, "-m", "workshop.grading", subs, "--out", out, "-j", "2", "--isolation", "bwrap"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    ) as grader:
        peak = peak_of(grader, deadline=started + 900)
        done = subprocess.CompletedProcess(grader.args, grader.returncode, *grader.communicate())
    seconds = time.monotonic() - started
    with open(out / "grades.csv", newline="", encoding="utf-8") as file:
        rows = {row["learner"]: row for row in csv.DictReader(file)}
    records = {r["learner"]: r for r in map(json.loads, (out / "results.jsonl").read_text().splitlines())}
    return {
        "done": done, "rows": rows, "records": records, "outside": outside, "seconds": seconds,
        "peak_mb": peak / 1024,
        "feedback": {p.stem: p.read_text(encoding="utf-8") for p in (out / "feedback").glob("*.txt")},
    }


def peak_of(process, deadline):
    """The peak memory (kB) of ``process`` itself, watched until it ends (killed past ``deadline``)."""
    peak = 0
    while process.poll() is None:
        if time.monotonic() > deadline:
            process.kill()
        with contextlib.suppress(OSError, ValueError, IndexError):  # a process that has just ended has no VmHWM line
            status = Path(f"/proc/{process.pid}/status").read_text()
            peak = max(peak, int(status.split("VmHWM:")[1].split()[0]))
        time.sleep(0.1)
    return peak


def failed_messages(wall_attacks, learner):
    return {r["name"]: r["message"] for r in wall_attacks["records"][learner]["results"] if not r["passed"]}


def test_the_grader_finishes_with_a_gradebook_and_the_victims_row_is_untouched(wall_attacks):
    assert wall_attacks["done"].returncode == 0, wall_attacks["done"].stderr[-3000:]
    assert set(wall_attacks["rows"]) == {"frame-flood", "waitress-stream", "fifo-database", "linked-database",
                                         "fifo-report", "planted-links", "zero-source", "literal-flood", "victim"}
    victim = wall_attacks["records"]["victim"]
    assert (wall_attacks["rows"]["victim"]["points"], victim["status"], victim["flags"]) == (str(FULL), "ok", [])
    assert all(r["passed"] and not r["message"] for r in victim["results"])
    print(f"hostile batch: {wall_attacks['seconds']:.0f} s, peak memory of a process {wall_attacks['peak_mb']:.0f} MB")
    assert wall_attacks["peak_mb"] < 300


def test_each_row_fails_the_check_it_attacks_with_the_cap_it_met(wall_attacks):
    assert "over the cap of 2 MB on a message" in failed_messages(wall_attacks, "frame-flood")["home_page_says_hello"]
    messages = failed_messages(wall_attacks, "waitress-stream")
    assert "did not arrive whole within 2 s" in messages["serves_under_waitress"]
    assert "pytest_unconfigure in part1_basic_app/tests/conftest.py" in wall_attacks["rows"]["fifo-report"]["flags"]
    assert wall_attacks["rows"]["literal-flood"]["points"] == str(FULL), "files the app never imports cost nothing"
    assert wall_attacks["records"]["literal-flood"]["seconds"] < 60
    zero_source = wall_attacks["records"]["zero-source"]
    assert zero_source["status"] == "error", "the app's own import of zero.py fails, in the jail"


def test_nothing_is_created_outside_the_jail_and_nothing_outside_is_read(wall_attacks):
    assert list(wall_attacks["outside"].iterdir()) == []
    said = {learner: {k: v for k, v in r.items() if k != "source"} for learner, r in wall_attacks["records"].items()}
    # "source": each app's own files, kept for copies
    text = "".join(wall_attacks["feedback"].values()) + json.dumps(said)
    assert SECRET not in text, "the judge's own environment, through a link in the app's folder"
    assert "def hello(name)" not in text, "another learner's code"
