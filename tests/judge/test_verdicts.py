"""No ✅ for wrong code a learner would write, and an endless loop costs only the checks that need it."""

import shutil
import time
from contextlib import closing

import pytest
from helpers.mistakes import apply
from helpers.mistakes import Change
from helpers.mistakes import mistake
from helpers.mistakes import MISTAKES

from workshop import APP_NAME
from workshop import ROOT
from workshop.grading import batch
from workshop.grading.grader import Options
from workshop.grading.store import Journal
from workshop.judge import judge
from workshop.judge import step5
from workshop.judge.routes import route_of
from workshop.release import render_tree
from workshop.release import write_tree

LOOP = next(m for m in MISTAKES if m.name == "endless loop in the home page")


def finished_with(parent, change=None):
    """The folder holding the finished app, with a catalogued ``change`` made."""
    tree = render_tree(6)
    write_tree(apply(change, tree) if change else tree, parent / APP_NAME)
    return parent


def failed(run):
    return {r["name"]: r["message"] for r in run.results if not r["passed"]}


@pytest.mark.parametrize("name, step, check, words", [
    ("500 page shows the original exception", 6, "crash_is_a_clean_500", "showed the exception it raised"),
    ("hello.html safe filter, step 3's template", 3, "pages_use_the_layout", "templates/hello.html"),
])
def test_a_row_of_the_table_is_caught_by_its_own_steps_check(tmp_path, name, step, check, words):
    run = judge(finished_with(tmp_path, next(m for m in MISTAKES if m.name == name)), [step])
    assert list(failed(run)) == [check] and words in failed(run)[check], failed(run)


def test_a_loop_in_one_route_costs_only_the_checks_that_need_it(tmp_path):
    run = judge(finished_with(tmp_path, LOOP), [1, 2, 3, 4, 6])
    lost = failed(run)
    assert list(lost) == ["home_page_says_hello", "pages_use_the_layout"], lost
    assert lost["home_page_says_hello"].startswith("This check did not finish within 5 s")
    assert "part1_basic_app/pages.py, line" in lost["home_page_says_hello"]
    assert lost["pages_use_the_layout"].startswith(
        "This check did not run: GET / did not answer within 5 s in the check “GET / answers 200")
    assert "part1_basic_app/pages.py, line" in lost["pages_use_the_layout"]
    assert run.status == "timeout" and "did not finish within 5 s" in run.message


def test_asserting_a_response_is_a_test_that_cannot_fail(tmp_path):
    tests = tmp_path / APP_NAME / "tests"
    tests.mkdir(parents=True)
    (tests / "test_app.py").write_text('''
def test_truthy_call(client):
    assert client.get("/notes")


def test_truthy_name(client):
    response = client.post("/api/notes", json={})
    assert response


def test_truthy_status(client):
    assert client.get("/").status_code


def test_a_name_bound_twice(client):
    response = client.get("/")
    response = response.get_json()
    assert response


def test_a_dict_get(client):
    data = client.get("/api/notes/1").get_json()
    assert data.get("title")


def test_a_compared_status(client):
    assert client.get("/").status_code == 200


def test_a_tuple(client):
    assert (client.get("/").status_code == 200, "the home page")


def test_an_f_string(client):
    assert f"{client.get('/').status_code}"


def test_a_method_not_called(client):
    assert client.get("/api/notes").get_json
''', encoding="utf-8")
    real, hollow = step5.survey(tmp_path)
    assert hollow == ["test_truthy_call", "test_truthy_name", "test_truthy_status",
                      "test_a_tuple", "test_an_f_string", "test_a_method_not_called"]
    assert real == ["test_a_name_bound_twice", "test_a_dict_get", "test_a_compared_status"]


@pytest.mark.parametrize("module", ["wire.py", "places.py", "__init__.py", "judge/step1.py",
                                    "app_process/app_server.py"])
def test_a_change_to_any_module_the_judge_imports_makes_resume_regrade(tmp_path, module):
    shutil.copytree(ROOT / "workshop", tmp_path / "workshop", ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    before = batch.configuration(Options(), top=tmp_path)
    with closing(Journal(tmp_path / "results.jsonl", resume=False)) as journal:
        journal.add({"learner": "ada", "status": "ok", "message": "", "key": "k", "config": before, "results": [],
                     "seconds": 1})
    with (tmp_path / "workshop" / module).open("a", encoding="utf-8") as file:
        file.write("\n# changed\n")
    after = batch.configuration(Options(), top=tmp_path)
    with closing(Journal(tmp_path / "results.jsonl", resume=True)) as journal:
        assert journal.reusable("ada", "k", before) is not None, "the same code reuses the record"
        assert journal.reusable("ada", "k", after) is None, f"a change to workshop/{module} must regrade"


def test_a_module_the_judge_does_not_import_leaves_the_fingerprint_alone(tmp_path):
    shutil.copytree(ROOT / "workshop", tmp_path / "workshop", ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    before = batch.configuration(Options(), top=tmp_path)
    with (tmp_path / "workshop" / "cli" / "lab.py").open("a", encoding="utf-8") as file:
        file.write("\n# changed\n")
    assert batch.configuration(Options(), top=tmp_path) == before


GREETING_LOOP = mistake(
    1, "endless loop in the greeting", "pages.py", '    return render_template("hello.html", name=name)',
    '    while True:\n        pass\n    return render_template("hello.html", name=name)',
)
HUGE_ID_CRASH = ("api.py", '    """One note, or 404."""\n', '    """One note, or 404."""\n    assert note_id < 10**9\n')
# An app that says every GET goes where its stuck request went, hoping to skip the requests of a check it fails
FALSE_ROUTE = (
    ("pages.py", "from flask import", 'import sys\n\nfrom flask import'),
    ("pages.py", "bp = Blueprint(",
     'sys.modules["workshop.app_process.tracing"].route = lambda app, environ: "/<path:p>"\nbp = Blueprint('),
)


def test_a_loop_in_a_route_with_a_variable_costs_only_the_checks_that_need_that_route(tmp_path):
    started = time.monotonic()
    run = judge(finished_with(tmp_path, GREETING_LOOP), [1, 2, 3, 4, 6])
    seconds = time.monotonic() - started
    lost = failed(run)
    assert list(lost) == [
        "hello_greets_by_name", "hello_escapes_html", "flask_app_is_a_wsgi_callable", "pages_use_the_layout",
        "greeting_on_every_page", "bad_input_gets_a_clear_4xx",
    ], lost
    assert lost["hello_greets_by_name"].startswith("This check did not finish within 5 s")
    assert lost["pages_use_the_layout"].startswith("This check did not run: GET /hello/Ada did not answer within 5 s")
    route = " goes to the route GET /hello/<name>, where GET /hello/Ada did not answer within 5 s"
    assert [name for name in lost if route in lost[name]] == [
        "hello_escapes_html", "flask_app_is_a_wsgi_callable", "greeting_on_every_page", "bad_input_gets_a_clear_4xx",
    ]
    assert "part1_basic_app/pages.py, line" in lost["bad_input_gets_a_clear_4xx"]
    assert "did not finish within 5 s" in run.message and "took 15 s" not in run.message
    assert seconds < 15, seconds  # one stop of 5 s, where each request to the route was a stop, until 15 s of them


LOOPING_CONVERTER = mistake(
    1, "endless loop in a URL converter of the app's own", "pages.py", 'bp = Blueprint("pages", __name__)\n',
    'bp = Blueprint("pages", __name__)\n\n\nclass Word(BaseConverter):\n    def to_python(self, value):\n'
    '        while True:\n            pass\n\n\n'
    'bp.record_once(lambda state: state.app.url_map.converters.update(word=Word))\n',
    ("pages.py", '@bp.get("/hello/<name>")', '@bp.get("/hello/<word:name>")'),
    ("pages.py", "from flask import", "from werkzeug.routing import BaseConverter\nfrom flask import"),
)


def test_a_loop_in_a_converter_of_the_app_s_own_says_where_it_is(tmp_path):
    lost = failed(judge(finished_with(tmp_path, LOOPING_CONVERTER), [1]))
    assert lost["hello_greets_by_name"].startswith("This check did not finish within 5 s"), lost
    assert "part1_basic_app/pages.py, line" in lost["hello_greets_by_name"], lost  # the app process still answered


def test_a_false_route_from_the_app_costs_it_checks_and_never_spares_one(tmp_path):
    greedy = Change("a loop, a false route, a crash", 1, *GREETING_LOOP.edits()[0], (*FALSE_ROUTE, HUGE_ID_CRASH))
    alone = Change("crash on a huge id", 6, *HUGE_ID_CRASH)
    assert "answered 500" in failed(judge(finished_with(tmp_path / "alone", alone), [6]))["bad_input_gets_a_clear_4xx"]
    lost = failed(judge(finished_with(tmp_path / "greedy", greedy), [1, 6]))
    assert lost["bad_input_gets_a_clear_4xx"].startswith(
        "This check did not run: GET /api/notes/99999999999999999999 goes to the route GET /<path:p>,"
        " where GET /hello/Ada did not answer",
    )
    assert judge(finished_with(tmp_path / "beside"), [1]).status == "ok"  # an app graded after it is not touched


@pytest.mark.parametrize("hint", [
    None, 7, ["/hello/<name>"], "", "hello/<name>", "/notes", "/hello/<name>/", "/hello/<int:n>",
    "/hello/<regex('.*'):name>", "/hello/<name", "/hello/" + "x" * 300 + "<name>",
])
def test_a_route_the_stuck_request_does_not_match_is_not_taken(hint):
    assert route_of("GET /hello/Ada", hint) is None


def test_a_route_covers_its_own_method_only():
    route = route_of("GET /hello/Ada", "/hello/<name>")
    assert "GET /hello/Bob" in route and "POST /hello/Bob" not in route and "GET /notes" not in route
