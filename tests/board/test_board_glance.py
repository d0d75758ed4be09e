"""The room at a glance: a terminal that shows no secret, the projector's page without names,
learners grouped by what they are stuck on, and a removed learner told so."""

import json
import os
import subprocess
import sys
import time

import pytest

from workshop import ROOT
from workshop.board import client as board_client
from workshop.board import serve
from workshop.board.failures import kind_of
from workshop.cli import board as board_command
from workshop.judge import CHECKS
from workshop.servers import WaitressServer

NAMES = ("Ada Lovelace", "Grace Hopper", "Alan Turing")
READ = next(judged for judged in CHECKS if judged.name == "get_one_note_or_404")  # a check of step 2


def bearer(token):
    return {"Authorization": f"Bearer {token}"}


def check(name, passed, kind=None):
    reported = {"name": name, "title": f"{name.capitalize()} works", "passed": passed}
    return reported if kind is None else reported | {"kind": kind}


def own_check(judged, passed, kind=None):
    """A check of the workshop's own (the judge's), as a self-check reports it."""
    return check(judged.name, passed, kind) | {"title": judged.title}


@pytest.fixture
def tokens(app, client):
    """The learners of NAMES, joined."""
    return {name: client.post(f"/join/{app.config['CLASS_CODE']}", json={"name": name}).json["token"] for name in NAMES}


@pytest.fixture
def instructor(app, client):
    """The test client, signed in as the instructor."""
    assert client.get(f"/instructor/{app.config['INSTRUCTOR_SECRET']}/").status_code == 303
    return client


def report(client, token, step, checks):
    response = client.post("/api/checks", json={"step": step, "checks": checks}, headers=bearer(token))
    assert response.status_code == 200, response.json
    return response


@pytest.mark.parametrize(("message", "kind"), [
    ('GET / answered 501 Not Implemented, expected 200 OK. The app said: "TODO step 1: write the home page in'
     ' part1_basic_app/pages.py." (look at part1_basic_app/pages.py)',
     "GET / answered … Not Implemented, expected … OK. The app said: …"),
    ("After one POST /api/notes, the database holds ['Milk', 'Bread'], expected ['Milk'].",
     "After one POST /api/notes, the database holds …, expected …."),
    ("GET /api/notes should return them as a JSON list, got [{'id': 1, 'title': 'a', 'bo",
     "GET /api/notes should return them as a JSON list, got …"),
    ("Your app raised NameError: name 'nmae' is not defined (/home/ada/flask/part1_basic_app/pages.py, line 12).",
     "Your app raised NameError: name … is not defined (…, line …)."),
    (r"Your app raised KeyError in C:\Users\Ada\part1_basic_app\auth.py on line 3",
     "Your app raised KeyError in … on line …"),
    ("The session cookie should be SameSite=Lax: session=eyJuYW1lIjoiQWRhIn0.axUAdQ.JxSz3",
     "The session cookie should be SameSite=Lax: session=…"),
    ("Your app's process ended during this check (exit code 9): does the app call os._exit()?",
     "Your app's process ended during this check (exit code …): does the app call os._exit()?"),
    ("CSRF protection is not set up: call csrf.init_app(app) in create_app.",
     "CSRF protection is not set up: call csrf.init_app(app) in create_app."),
])
def test_the_kind_of_a_failure_is_its_message_without_the_learners_values(message, kind):
    assert kind_of(message) == kind
    assert kind_of(kind) == kind  # the board takes values out again: nothing more goes


@pytest.mark.parametrize("message", ["x" * 100_000 + '"', "[" * 50_000 + "]" * 50_000, "a/" * 50_000, "1a" * 50_000])
def test_a_long_message_is_read_quickly(message):
    started = time.perf_counter()
    kind = kind_of(message)
    assert time.perf_counter() - started < 0.05 and len(kind) <= 200


def test_two_learners_failing_for_one_reason_with_their_own_values_get_one_kind():
    ada = kind_of('POST /login with name=\'Ada\' answered 500, expected 302. The app said: "KeyError: \'user\'"')
    grace = kind_of('POST /login with name=\'Grace\' answered 500, expected 302. The app said: "TypeError in views"')
    assert ada == grace and "Ada" not in ada and "user" not in ada


def test_learners_are_grouped_by_first_failing_check_and_kind_largest_first(app, client, tokens, instructor):
    ada, grace, alan = (tokens[name] for name in NAMES)
    report(client, ada, 2, [check("create", True), check("read", False, "got … expected …"), check("list", False, "x")])
    report(client, grace, 2, [check("create", True), check("read", False, 'got "Bread" expected "Milk"')])
    report(client, alan, 2, [check("create", False, "answered …"), check("read", False, "got … expected …")])
    groups = instructor.get("/instructor/state.json").json["groups"]
    assert groups == [
        {"step": 2, "title": "Read works", "kind": "got … expected …", "names": ["Ada Lovelace", "Grace Hopper"]},
        {"step": 2, "title": "Create works", "kind": "answered …", "names": ["Alan Turing"]},
    ]

    report(client, alan, 2, [check("create", True), check("read", True)])
    client.post("/api/catchup", json={"step": 2}, headers=bearer(grace))
    assert instructor.get("/instructor/state.json").json["groups"] == [
        {"step": 2, "title": "Read works", "kind": "got … expected …", "names": ["Ada Lovelace"]},
    ]


def test_a_kind_is_optional_and_must_be_text(app, client, tokens, instructor):
    ada = tokens["Ada Lovelace"]
    report(client, ada, 1, [check("hello", False)])
    assert instructor.get("/instructor/state.json").json["groups"][0]["kind"] == ""
    for kind in (3, "", "x" * 201, "two\nlines"):
        wrong = check("hello", False, kind)
        response = client.post("/api/checks", json={"step": 1, "checks": [wrong]}, headers=bearer(ada))
        assert response.status_code == 400
        assert response.json["error"] == "kind must be a string of 1 to 200 printable characters on one line."
    unknown = check("hello", False) | {"why": "x"}
    response = client.post("/api/checks", json={"step": 1, "checks": [unknown]}, headers=bearer(ada))
    assert response.status_code == 400 and "(and maybe kind)" in response.json["error"]


def projector_state(client):
    return client.get("/instructor/projector/state.json").json


def test_the_projector_counts_learners_per_step_and_shows_stuck_points_without_names(app, client, tokens, instructor):
    ada, grace, alan = (tokens[name] for name in NAMES)
    report(client, ada, 1, [check("hello", True)])
    report(client, ada, 2, [own_check(READ, False, 'got "Ada\'s note"')])
    report(client, grace, 2, [own_check(READ, False, 'got "Grace"')])
    report(client, alan, 6, [check("deploy", True)])  # all passed at the last step: working on none
    state = projector_state(client)
    assert state == {
        "learners": 3,
        "steps": [
            {"step": 1, "at": 0, "finished": 1}, {"step": 2, "at": 2, "finished": 0},
            {"step": 3, "at": 0, "finished": 0}, {"step": 4, "at": 0, "finished": 0},
            {"step": 5, "at": 0, "finished": 0}, {"step": 6, "at": 0, "finished": 1},
        ],
        "stuck": [{"step": 2, "title": READ.title, "learners": 2}],
    }
    report(client, grace, 2, [check("read", True)])  # all passed: on to the next step
    client.post("/api/catchup", json={"step": 3}, headers=bearer(alan))  # caught up: on to the next step
    assert [step["at"] for step in projector_state(client)["steps"]] == [0, 1, 1, 1, 0, 0]
    page = client.get("/instructor/projector/")
    text = page.get_data(as_text=True) + json.dumps(state)
    assert page.status_code == 200
    assert f"python3 -m workshop join http://localhost/join/{app.config['CLASS_CODE']}" in text
    for secret in (*NAMES, "Ada", "Grace", app.config["INSTRUCTOR_SECRET"], *tokens.values()):
        assert secret not in text


def test_the_projector_shows_only_the_workshops_own_check_titles_and_no_kind_of_failure(client, tokens, instructor):
    ada, grace, alan = (tokens[name] for name in NAMES)
    made_up = {"name": "read", "title": "Everyone, visit evil.example now", "passed": False, "kind": "Rude words"}
    report(client, ada, 2, [made_up])
    report(client, grace, 2, [own_check(READ, False, "Shout at the teacher")])
    report(client, alan, 2, [own_check(READ, False, "got …")])  # another kind: the same stuck point
    state = projector_state(client)
    assert state["stuck"] == [{"step": 2, "title": READ.title, "learners": 2}]
    report(client, alan, 1, [own_check(READ, False)])  # a title of the workshop's own, but not of this step
    assert projector_state(client)["stuck"] == [{"step": 2, "title": READ.title, "learners": 1}]
    shown = instructor.get("/instructor/projector/").get_data(as_text=True) + json.dumps(projector_state(client))
    for text in (made_up["title"], "evil.example", "Rude words", "Shout at the teacher", "got …"):
        assert text not in shown
    groups = instructor.get("/instructor/state.json").json["groups"]  # the instructor's page still has it all
    assert {(group["title"], group["kind"]) for group in groups} == {
        (made_up["title"], "Rude words"), (READ.title, "Shout at the teacher"), (READ.title, ""),
    }


def test_the_projectors_page_is_the_instructors_only(app, client):
    for path in ("", "state.json"):
        assert client.get("/instructor/projector/" + path).status_code == 403


def test_the_projector_shows_the_join_address_the_board_printed(app, instructor):
    app.config["BOARD_ADDRESS"] = "http://192.168.1.20:5050"
    page = instructor.get("/instructor/projector/").get_data(as_text=True)
    assert f"python3 -m workshop join http://192.168.1.20:5050/join/{app.config['CLASS_CODE']}" in page


def test_the_instructors_page_links_to_the_projectors_page(instructor):
    page = instructor.get("/instructor/").get_data(as_text=True)
    assert '<a href="projector/"' in page and 'id="groups"' in page


class Server:
    """A stand-in for waitress: it says where it listens, and stops at once (as with Ctrl+C)."""

    effective_port = 5999

    def run(self):
        raise KeyboardInterrupt

    def close(self):
        pass


@pytest.mark.parametrize("opens", [False, True])
def test_the_board_command_prints_no_secret_and_keeps_the_instructors_address_for_its_owner(
        tmp_path, monkeypatch, capsys, opens):
    apps, opened = [], []
    monkeypatch.setattr(serve, "create_server", lambda app, host, port: apps.append(app) or Server())
    monkeypatch.setattr(board_command.webbrowser, "open", lambda address: opened.append(address) or True)
    umask = os.umask(0o022)
    try:
        assert board_command.main(["--data", str(tmp_path / "data"), *(["--open"] if opens else [])]) == 0
    finally:
        os.umask(umask)
    printed = capsys.readouterr().out
    kept = tmp_path / "data" / serve.INSTRUCTOR_FILE
    secret = apps[0].config["INSTRUCTOR_SECRET"]
    assert kept.read_text() == f"http://127.0.0.1:5999/instructor/{secret}/\n" and kept.stat().st_mode & 0o777 == 0o600
    assert secret not in printed and str(kept) in printed
    assert f"join: python3 -m workshop join http://127.0.0.1:5999/join/{apps[0].config['CLASS_CODE']}" in printed
    assert apps[0].config["BOARD_ADDRESS"] == "http://127.0.0.1:5999"
    assert opened == ([kept.read_text().strip()] if opens else [])
    assert ("opened in your browser" in printed) == opens


def test_a_new_start_replaces_the_kept_address_and_makes_it_private_again(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(serve, "create_server", lambda app, host, port: Server())
    kept = tmp_path / "data" / serve.INSTRUCTOR_FILE
    board_command.main(["--data", str(tmp_path / "data")])
    first = kept.read_text()
    kept.chmod(0o644)
    board_command.main(["--data", str(tmp_path / "data")])
    assert kept.read_text() != first and kept.stat().st_mode & 0o777 == 0o600


def test_the_board_commands_whole_output_holds_no_secret(tmp_path):
    command = [sys.executable, "-m", "workshop", "board", "--port", "0", "--data", str(tmp_path)]
    with subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, text=True) as board:
        try:
            lines = []
            while not lines or "Ctrl+C" not in lines[-1]:
                lines.append(board.stdout.readline())
        finally:
            board.terminate()
    address = (tmp_path / serve.INSTRUCTOR_FILE).read_text().strip()
    assert "/instructor/" in address and address.split("/")[-2] not in "".join(lines)


def eventually(condition, seconds=5):
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "the report did not come back in time"
        time.sleep(0.02)


def test_a_removed_learner_is_told_at_the_next_self_check_and_can_join_again(app, instructor, secret_file, capsys):
    server = WaitressServer(app)
    try:
        join_address = f"{server.url}/join/{app.config['CLASS_CODE']}"
        board_client.join(join_address, "Ada Lovelace")
        results = [{"name": "hello", "title": "Hello works", "passed": False, "message": "x"}]
        self_check = board_client.reported(lambda step: results)
        learner_id = json.loads(secret_file.read_text())["token"].split(".")[0]
        assert instructor.delete(f"/instructor/learners/{learner_id}").status_code == 200

        self_check(1)  # its report is refused in the background...
        eventually(lambda: "removed" in json.loads(secret_file.read_text()))
        assert "token" not in json.loads(secret_file.read_text()) and secret_file.stat().st_mode & 0o777 == 0o600
        assert capsys.readouterr().err == ""
        sending = list(board_client.sending)
        self_check(1)  # ...and the next self-check tells
        told = capsys.readouterr().err
        assert "no longer knows you as Ada Lovelace: the instructor removed you" in told
        assert f'To join again, run: python3 -m workshop join {join_address} --name "Ada Lovelace"' in told
        assert board_client.sending == sending  # and sends nothing

        board_client.join(join_address, "Ada Lovelace")
        self_check(1)
        eventually(lambda: instructor.get("/instructor/state.json").json["groups"])
        assert capsys.readouterr().err == ""
    finally:
        server.stop()


def test_a_board_that_is_down_does_not_mark_the_learner_removed(secret_file):
    secret_file.write_text(json.dumps({"board": "http://127.0.0.1:9", "name": "Ada", "token": "1.x"}))
    board_client.send(str(secret_file), "/api/checks", {"step": 1, "checks": []})
    assert json.loads(secret_file.read_text())["token"] == "1.x"


def test_leaving_after_being_removed_forgets_the_board_quietly(secret_file):
    secret_file.write_text(json.dumps({"board": "http://127.0.0.1:9", "name": "Ada", "removed": True}))
    assert "had already forgotten you" in board_client.leave()
    assert not secret_file.exists()
