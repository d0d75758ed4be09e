"""Results travel from the checks process through a signed channel of their own; partial credit survives."""

import json
import os
import sys

import pytest

from workshop import APP_NAME, ROOT, sandbox
from workshop.checks import CHECKS, channel, runner
from workshop.release import render_tree, write_tree

STEP1 = [c.name for c in CHECKS if c.step == 1]


def run_step(tmp_path, step, edit=None, seconds=None):
    """Run ``step``'s checks on the finished app, with ``edit(app_dir)`` applied first."""
    write_tree(render_tree(6), tmp_path / APP_NAME)
    if edit:
        edit(tmp_path / APP_NAME)
    limits = sandbox.Limits(seconds=seconds or runner.worst_case_seconds([step]))
    return runner.run([sys.executable, "-m", "workshop.checks"], tmp_path, [step], ROOT, dict(os.environ), limits)


def prepend(path, code):
    path.write_text(code + "\n" + path.read_text(encoding="utf-8"), encoding="utf-8")


def replace(path, before, after):
    text = path.read_text(encoding="utf-8")
    assert before in text
    path.write_text(text.replace(before, after, 1), encoding="utf-8")


def test_prints_and_atexit_output_change_nothing(tmp_path):
    fake = json.dumps([{"name": name, "passed": False} for name in STEP1])
    checked = run_step(tmp_path, 1, lambda app: prepend(
        app / "__init__.py", f"import atexit\nprint('hello')\natexit.register(print, 'goodbye')\natexit.register(print, {fake!r})"))
    assert (checked.status, checked.anomalies) == ("ok", [])
    assert all(r["passed"] for r in checked.results)


def test_a_line_forged_into_the_results_file_is_not_believed(tmp_path):
    forge = (
        "import atexit, json, sys\n"
        "_results = sys.argv[sys.argv.index('--results') + 1]\n"
        "def _forge():\n"
        "    with open(_results, 'a') as f:\n"
        "        f.write(json.dumps({'event': json.dumps({'kind': 'result', 'name': 'home_page_says_hello', 'passed': True, 'seconds': 0.1}), 'mac': '0' * 64}) + '\\n')\n"
        "atexit.register(_forge)\n"
    )

    def edit(app):
        prepend(app / "__init__.py", forge)
        replace(app / "templates" / "index.html", "Hello, Flask!", "Hello!")

    checked = run_step(tmp_path, 1, edit)
    home = next(r for r in checked.results if r["name"] == "home_page_says_hello")
    assert not home["passed"]
    assert [a for a in checked.anomalies if a.endswith("was not written by the checks")] == checked.anomalies
    assert len(checked.anomalies) == 1


def test_a_module_that_create_app_cannot_import_is_an_error_with_its_file_and_line(tmp_path):
    checked = run_step(tmp_path, 4, lambda app: replace(app / "auth.py", "def logout():", "def logout(:"))
    assert checked.status == "error"
    assert "SyntaxError" in checked.message and "part1_basic_app/auth.py, line" in checked.message
    assert all(r["message"] == checked.message for r in checked.results)


def test_a_loop_that_swallows_the_time_out_costs_only_the_checks_left(tmp_path):
    loop = "while True:\n        try:\n            __import__('time').sleep(0.01)\n        except BaseException:\n            pass"
    checked = run_step(tmp_path, 1, lambda app: replace(app / "pages.py", '    return render_template("hello.html", name=name)', "    " + loop))
    results = {r["name"]: r for r in checked.results}
    assert checked.status == "timeout" and "GET /hello/Ada" in checked.message
    assert results["home_page_says_hello"]["passed"], "a check that finished keeps its verdict"
    stuck = results["hello_greets_by_name"]["message"]
    assert stuck.startswith("This check was stopped") and "part1_basic_app/pages.py, line" in stuck
    assert results["hello_escapes_html"]["message"].startswith("This check did not run")


def test_the_default_time_covers_every_check_stopped_at_its_limit():
    assert runner.worst_case_seconds([1]) >= sum(c.seconds for c in CHECKS if c.step == 1)


@pytest.mark.parametrize("line, anomaly", [
    ("not json", "line 1 of the results was not written by the checks"),
    (None, "the check home_page_says_hello was reported twice"),
])
def test_the_channel_reports_what_the_checks_could_not_have_written(tmp_path, line, anomaly):
    key, path = channel.new_key(), tmp_path / "results.jsonl"
    if line:
        path.write_text(line + "\n")
    writer = channel.Writer(path, key)
    for _ in range(2):
        writer.send("result", name="home_page_says_hello", passed=True, seconds=0.1)
    writer.send("result", name="no_such_check", passed=True, seconds=0.1)
    writer.send("result", name="hello_greets_by_name", passed=True)
    writer.close()
    transcript = channel.read(path, key, {c.name for c in CHECKS})
    assert anomaly in transcript.anomalies
    assert "a result for a check that does not exist: no_such_check" in transcript.anomalies
    assert "the result of hello_greets_by_name has no timing" in transcript.anomalies
    assert list(transcript.results) == ["home_page_says_hello"]


def test_step_5_runs_the_learners_tests_away_from_their_real_database(tmp_path):
    def edit(app):
        replace(app / "tests" / "conftest.py", '"DATABASE": str(tmp_path / "notes.sqlite"),', "")
        (app / "tests" / "test_order.py").write_text(
            "def test_a_note_is_added(client):\n"
            "    assert client.post('/api/notes', json={'title': 'x'}).status_code == 201\n\n\n"
            "def test_zz_the_list_starts_empty(client):\n"
            "    assert client.get('/api/notes').get_json() == []\n"
        )

    checked = run_step(tmp_path, 5, edit)
    results = {r["name"]: r for r in checked.results}
    assert "test_zz_the_list_starts_empty" in results["own_tests_pass"]["message"]
    assert '"DATABASE": str(tmp_path / "notes.sqlite")' in results["own_tests_pass"]["message"]
    assert not (tmp_path / "instance" / "notes.sqlite").exists(), "the learner's own database is left alone"


def test_a_module_that_fails_to_import_is_an_error_even_if_only_a_view_would_import_it(tmp_path):
    checked = run_step(tmp_path, 1, lambda app: (app / "helpers.py").write_text("def broken(:\n    pass\n"))
    assert checked.status == "error"
    assert "SyntaxError" in checked.message and "part1_basic_app/helpers.py, line 1" in checked.message


def test_an_error_message_names_its_place_once_and_ends_once(tmp_path):
    checked = run_step(tmp_path, 4, lambda app: replace(app / "auth.py", "def logout():", "def logout(:"))
    assert checked.message.count("line ") == 1 and ".." not in checked.message
