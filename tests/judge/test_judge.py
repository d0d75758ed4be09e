"""The judge keeps time and order from outside the app: a loop costs only the checks it stops,
a crash or an exit is reported with its place, and no answer of the app process is believed
beyond what the app itself could have said."""

import tempfile
import time

import pytest
from helpers.grading_submissions import process_is_gone

from workshop import APP_NAME
from workshop.jail import sandbox
from workshop.jail.isolation import Jail
from workshop.judge import bridge
from workshop.judge import CHECKS
from workshop.judge import judge
from workshop.judge import worker
from workshop.release import render_tree
from workshop.release import write_tree

STEP1 = [c.name for c in CHECKS if c.step == 1]


def finished_with(tmp_path, edit=None):
    """The folder holding the finished app, with ``edit(app_dir)`` applied."""
    write_tree(render_tree(6), tmp_path / APP_NAME)
    if edit:
        edit(tmp_path / APP_NAME)
    return tmp_path


def replace(path, before, after):
    text = path.read_text(encoding="utf-8")
    assert before in text
    path.write_text(text.replace(before, after, 1), encoding="utf-8")


def prepend(path, code):
    path.write_text(code + "\n" + path.read_text(encoding="utf-8"), encoding="utf-8")


def by_name(run):
    return {r["name"]: r for r in run.results}


def test_without_posix_only_paths_the_judge_works_the_same(tmp_path, monkeypatch):
    monkeypatch.setattr(bridge, "PASS_FDS", False)  # as on Windows: the app process connects to a loopback port
    run = judge(finished_with(tmp_path), [1])
    assert run.status == "ok" and all(r["passed"] for r in run.results), run.results


def test_a_loop_that_swallows_every_exception_costs_only_its_check(tmp_path):
    loop = (
        "while True:\n        try:\n            __import__('time').sleep(0.01)\n        except BaseException:\n"
        "            pass"
    )
    run = judge(finished_with(tmp_path,
                              lambda app: replace(app / "pages.py",
                                                  '    return render_template("hello.html", name=name)',
                                                  "    " + loop)), [1])
    results = by_name(run)
    assert results["home_page_says_hello"]["passed"] and results["raw_wsgi_app_answers"]["passed"]
    stuck = results["hello_greets_by_name"]["message"]
    assert stuck.startswith("This check did not finish within 5 s") and "part1_basic_app/pages.py, line" in stuck
    assert run.status == "timeout"
    assert run.message.startswith("2 check(s) did not run"), "those on its route did not run"


def test_three_stopped_checks_end_the_run_with_the_place(tmp_path):
    loop = 'bp = Blueprint("pages", __name__)\n\n\n@bp.before_app_request\ndef loop():\n    while True:\n        pass\n'
    run = judge(finished_with(tmp_path, lambda app: replace(app / "pages.py", 'bp = Blueprint("pages", __name__)\n',
                                                            loop)), [1, 3])
    assert run.status == "timeout" and "part1_basic_app/pages.py, line" in run.message
    assert by_name(run)["page_and_api_share_notes"]["message"].startswith("This check did not run")


def test_an_app_that_loops_at_import_is_a_timeout_within_seconds(tmp_path):
    run = judge(finished_with(tmp_path, lambda app: prepend(app / "__init__.py", "while True:\n    pass")), [1])
    assert run.status == "timeout" and "within 10 s" in run.message
    assert "part1_basic_app/__init__.py, line" in run.message


@pytest.mark.parametrize("code, status, words", [
    ("def broken(:\n    pass", "error", "SyntaxError"),
    ("import os\nos._exit(0)", "error", "os._exit()"),
    ("import sys\nsys.exit(3)", "error", "SystemExit: 3"),
    ("hog = []\nwhile True:\n    hog.append(b' ' * 10 ** 7)", "memory", "out of memory"),
])
def test_an_app_that_cannot_be_created_fails_every_check_with_the_reason(tmp_path, code, status, words):
    run = judge(finished_with(tmp_path, lambda app: prepend(app / "__init__.py", code)), [1])
    assert run.status == status and words in run.message
    assert all(r["message"] == run.message for r in run.results)


def test_a_module_only_a_view_imports_is_imported_first(tmp_path):
    run = judge(finished_with(tmp_path, lambda app: (app / "helpers.py").write_text("def broken(:\n    pass\n")), [1])
    assert run.status == "error" and "part1_basic_app/helpers.py, line 1" in run.message


def test_an_app_that_exits_in_a_view_costs_that_check_and_is_flagged(tmp_path):
    run = judge(finished_with(tmp_path, lambda app: replace(app / "pages.py", "def hello(name):\n",
                                                            "def hello(name):\n    __import__('os')._exit(7)\n")), [1])
    results = by_name(run)
    assert not results["hello_greets_by_name"]["passed"]
    assert "process ended" in results["hello_greets_by_name"]["message"]
    assert results["raw_wsgi_app_answers"]["passed"], "the next check has a fresh app process"
    assert run.flags and "ended by itself" in run.flags[0]


def test_prints_and_output_floods_change_nothing(tmp_path):
    run = judge(finished_with(tmp_path,
                              lambda app: prepend(app / "__init__.py",
                                                  "import os, atexit\nfor _ in range(50):\n    os.write(1, b'x' * 1024"
                                                  " * 1024)\natexit.register(print, 'bye')")), [1])
    assert run.status == "ok" and all(r["passed"] for r in run.results)


def test_a_library_error_names_the_learners_line_and_the_view(tmp_path):
    run = judge(finished_with(tmp_path, lambda app: replace(app / "api.py", "return find_note(note_id)",
                                                            "return db.get_note(note_id)")), [2])
    failing = by_name(run)["get_one_note_or_404"]
    assert "TypeError" in failing["message"] and failing["where"] == f"{APP_NAME}/api.py"
    assert "answering GET /api/notes/" in failing["message"], "the request that failed is named"


def test_an_error_inside_a_library_names_the_learners_innermost_line(tmp_path):
    run = judge(finished_with(tmp_path,
                              lambda app: replace(app / "api.py", 'url_for("api.get_note", note_id=note["id"])',
                                                  'url_for("get_note", note_id=note["id"])')), [2])
    message = by_name(run)["create_answers_201_with_location"]["message"]
    assert "BuildError" in message and "part1_basic_app/api.py, line" in message
    assert "werkzeug" not in message.split("(")[-1]


def test_a_wsgi_answer_keeps_its_types_across_the_bridge(tmp_path):
    run = judge(finished_with(tmp_path,
                              lambda app: replace(app / "raw_wsgi.py", "return [body]", "return [body.decode()]")), [1])
    assert "non-bytestring" in by_name(run)["raw_wsgi_app_answers"]["message"]


def test_waitress_is_reached_even_from_a_deep_temporary_folder(tmp_path, monkeypatch):
    deep = tmp_path.joinpath(*["a-folder-with-a-long-name"] * 5)
    deep.mkdir(parents=True)
    monkeypatch.setattr(tempfile, "tempdir", str(deep))  # a Unix socket's path may hold 107 bytes at most
    run = judge(finished_with(tmp_path), [6])
    assert by_name(run)["serves_under_waitress"]["passed"], by_name(run)["serves_under_waitress"]["message"]


def test_a_part_of_an_earlier_step_left_to_do_costs_only_that_step(tmp_path):
    left = '    abort(501, "TODO step 3: add a note from the form in part1_basic_app/notes.py.")\n'
    def leave_step_3_undone(app):
        replace(app / "notes.py",
                '    form = {"title": request.form.get("title", ""), "body": request.form.get("body", "")}\n', left)
        replace(app / "notes.py", "from flask import Blueprint,", "from flask import Blueprint, abort,")

    run = judge(finished_with(tmp_path, leave_step_3_undone), [6])
    assert all(r["passed"] for r in run.results), [(r["name"], r["message"]) for r in run.results if not r["passed"]]


@pytest.mark.skipif(not worker.AVAILABLE, reason="the warm worker needs fork and fd passing")
def test_the_warm_worker_runs_pytest_runs_at_once_each_with_its_own_exit_code(tmp_path):
    """Each test waits for the other's file: run one after the other, the first would time out."""
    runs = []
    for mine, theirs, verdict in (("a", "b", "True"), ("b", "a", "False")):
        folder = tmp_path / mine
        folder.mkdir()
        (folder / "test_meet.py").write_text(
            "import pathlib, time\n\n\ndef test_meet():\n"
            f"    pathlib.Path({str(tmp_path / mine)!r}, 'here').touch()\n"
            f"    while not pathlib.Path({str(tmp_path / theirs)!r}, 'here').exists():\n"
            "        time.sleep(0.01)\n"
            f"    assert {verdict}\n", encoding="utf-8")
        runs.append({"args": ["-q", "-p", "no:cacheprovider", str(folder)], "cwd": folder,
                     "env": sandbox.scrubbed_env(folder), "path": [], "mutant": ""})
    warm = worker.Worker(Jail(), sandbox.scrubbed_env(tmp_path), sandbox.Limits(seconds=30))
    try:
        passed, failed = warm.pytest(runs, 20)
    finally:
        warm.stop()
    assert (passed.returncode, passed.timed_out, failed.returncode, failed.timed_out) == (0, False, 1, False)


def waiting_run(folder, until):
    """A run of pytest whose one test writes its pid, then passes once the file ``until`` exists."""
    folder.mkdir()
    (folder / "test_wait.py").write_text(
        "import os, pathlib, time\n\n\ndef test_wait():\n"
        f"    pathlib.Path({str(folder / 'pid')!r}).write_text(str(os.getpid()))\n"
        f"    while not pathlib.Path({str(until)!r}).exists():\n"
        "        time.sleep(0.01)\n", encoding="utf-8")
    return {"args": ["-q", "-p", "no:cacheprovider", str(folder)], "cwd": folder,
            "env": sandbox.scrubbed_env(folder), "path": [], "mutant": ""}


def pid_written(folder):
    for _ in range(1000):
        if (folder / "pid").exists() and (folder / "pid").read_text():
            return int((folder / "pid").read_text())
        time.sleep(0.01)
    raise AssertionError("the run did not start")


@pytest.mark.skipif(not worker.AVAILABLE, reason="the warm worker needs fork and fd passing")
def test_runs_started_go_on_while_the_worker_answers_and_end_when_not_waited_for(tmp_path):
    warm = worker.Worker(Jail(), sandbox.scrubbed_env(tmp_path), sandbox.Limits(seconds=30))
    try:
        started = warm.start_pytest([waiting_run(tmp_path / "first", tmp_path / "go")])
        pid_written(tmp_path / "first")
        sock, _ = warm.fork_app(tmp_path, sandbox.scrubbed_env(tmp_path), 10)  # answered while the run waits
        sock.close()
        (tmp_path / "go").touch()
        [outcome] = warm.wait_pytest(started, 20)
        assert (outcome.returncode, outcome.timed_out) == (0, False)

        warm.start_pytest([waiting_run(tmp_path / "second", tmp_path / "never")])
        pid = pid_written(tmp_path / "second")
        warm.end_unwaited()
        assert process_is_gone(pid)
    finally:
        warm.stop()


@pytest.mark.skipif(not worker.AVAILABLE, reason="the warm worker needs fork and fd passing")
def test_the_learners_tests_start_before_the_first_check_and_the_verdicts_are_the_same(tmp_path, monkeypatch):
    app_parent = finished_with(tmp_path / "app")
    happened = []
    start_pytest = worker.Worker.start_pytest
    monkeypatch.setattr(worker.Worker, "start_pytest",
                        lambda self, runs: happened.append("tests") or start_pytest(self, runs))
    ahead = judge(app_parent, [1, 5], emit=lambda kind, **data: happened.append(kind))
    assert happened.index("tests") < happened.index("start")
    assert happened.count("tests") == 1  # the first check of step 5 took those runs
    behind = judge(app_parent, [1, 5], ahead=False)
    assert [(r["name"], r["passed"]) for r in ahead.results] == [(r["name"], r["passed"]) for r in behind.results]
    assert all(r["passed"] for r in ahead.results)
