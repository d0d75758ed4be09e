"""The live class board: joining, reporting, leaving, the instructor's view, and what it refuses."""

import contextlib
import csv
import io
import json
import os
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import requests

from workshop import ROOT
from workshop.board import client as board_client
from workshop.board import instructor as board_instructor
from workshop.board import learners as board_learners
from workshop.board import names
from workshop.board import serve
from workshop.board.app import create_app
from workshop.board.db import OlderBoard
from workshop.board.ratelimit import RateLimit
from workshop.catchup import catch_up
from workshop.cli import join
from workshop.cli import leave
from workshop.selfcheck import run
from workshop.servers import WaitressServer


def checks(*passed):
    """A self-check's checks, passing or failing in this order."""
    return [{"name": f"check_{i}", "title": f"Check {i} works", "passed": p} for i, p in enumerate(passed)]


def bearer(token):
    return {"Authorization": f"Bearer {token}"}


class Learners:
    """What learners do on the board, through the test client."""

    def __init__(self, client, code):
        self.client = client
        self.code = code

    def join(self, name):
        return self.client.post(f"/join/{self.code}", json={"name": name})

    def token(self, name):
        response = self.join(name)
        assert response.status_code == 201, response.json
        return response.json["token"]

    def report(self, token, step, results):
        return self.client.post("/api/checks", json={"step": step, "checks": results}, headers=bearer(token))

    def catch_up(self, token, step):
        return self.client.post("/api/catchup", json={"step": step}, headers=bearer(token))

    def leave(self, token):
        return self.client.delete("/api/learner", headers=bearer(token))


@pytest.fixture
def learners(client, app):
    return Learners(client, app.config["CLASS_CODE"])


class Instructor:
    """What the instructor does: open the board's address, then read the page, the live state, the
    export, and remove learners."""

    def __init__(self, client, secret):
        self.client = client
        assert client.get(f"/instructor/{secret}/").status_code == 303

    def get(self, path=""):
        return self.client.get("/instructor/" + path)

    def remove(self, path):
        return self.client.delete("/instructor/learners/" + path)

    def state(self):
        return self.get("state.json").json

    def export(self):
        return list(csv.reader(io.StringIO(self.get("export.csv").get_data(as_text=True))))


@pytest.fixture
def instructor(client, app):
    return Instructor(client, app.config["INSTRUCTOR_SECRET"])


def test_the_instructor_sees_each_learners_latest_verdict_per_step(learners, instructor):
    ada, bob = learners.token("Ada"), learners.token("bob")
    assert learners.report(ada, 1, checks(True, False)).json == {"step": 1, "passed": 1, "total": 2}
    learners.report(bob, 1, checks(True, True))
    learners.report(ada, 2, checks(True, False, False))
    learners.report(ada, 2, checks(True, True, False))
    state = instructor.state()
    assert [(learner["name"], learner["steps"]) for learner in state["learners"]] == [
        ("Ada", {"1": {"passed": 1, "total": 2}, "2": {"passed": 2, "total": 3}}),
        ("bob", {"1": {"passed": 2, "total": 2}}),
    ]
    assert state["finished"] == {"1": 1, "2": 0, "3": 0, "4": 0, "5": 0, "6": 0}
    # Ada's latest self-check is step 2's: what fails there is what fails "now".
    assert state["failing"] == [{"step": 2, "title": "Check 2 works", "learners": 1}]
    assert state["stuck"] == []


def test_the_checks_failing_most_come_first(learners, instructor):
    for name, results in [("Ada", checks(False, False)), ("Bob", checks(True, False)), ("Cy", checks(True, True))]:
        learners.report(learners.token(name), 3, results)
    assert instructor.state()["failing"] == [
        {"step": 3, "title": "Check 1 works", "learners": 2},
        {"step": 3, "title": "Check 0 works", "learners": 1},
    ]


def test_failing_the_same_check_for_long_puts_a_learner_on_the_stuck_list(app, learners, instructor):
    app.config["STUCK_SECONDS"] = 1
    ada = learners.token("Ada")
    learners.report(ada, 2, checks(True, False))
    assert instructor.state()["stuck"] == []
    time.sleep(1.1)
    learners.report(ada, 2, checks(False, False))  # check 1 still fails: it has failed since the first report
    assert [(s["name"], s["step"], s["title"]) for s in instructor.state()["stuck"]] == [("Ada", 2, "Check 1 works")]
    learners.report(ada, 2, checks(False, True))
    assert instructor.state()["stuck"] == []
    learners.report(ada, 2, checks(False, False))  # failing again: a new start
    assert instructor.state()["stuck"] == []


def test_catching_up_is_shown_and_takes_a_learner_off_the_stuck_list(app, learners, instructor):
    app.config["STUCK_SECONDS"] = 0
    ada = learners.token("Ada")
    learners.report(ada, 3, checks(False))
    assert len(instructor.state()["stuck"]) == 1
    assert learners.catch_up(ada, 3).json == {"caught_up": 3}
    state = instructor.state()
    assert (state["stuck"], state["failing"], state["learners"][0]["caught_up"]) == ([], [], 3)
    assert instructor.export()[-1][1:4] == ["Ada", "catch-up", "3"]


def test_the_export_has_the_latest_reports_and_keeps_formulas_out_of_spreadsheets(learners, instructor):
    ada = learners.token("-Ada")
    learners.report(ada, 1, checks(True, False))
    learners.report(ada, 1, checks(True, True))
    header, *rows = instructor.export()
    assert header == ["time (UTC)", "learner", "event", "step", "checks passed", "checks"]
    assert [row[1:] for row in rows] == [
        ["'-Ada", "self-check", "1", "1", "2"],
        ["'-Ada", "self-check", "1", "2", "2"],
    ]
    assert instructor.get("export.csv").headers["Content-Disposition"].startswith("attachment;")


def test_leaving_deletes_everything_about_the_learner_and_nothing_else(app, learners, instructor):
    ada, bob = learners.token("Ada"), learners.token("Bob")
    learners.report(ada, 1, checks(False))
    learners.catch_up(ada, 1)
    learners.report(bob, 1, checks(False))
    assert learners.leave(ada).json == {"left": "Ada"}
    with contextlib.closing(sqlite3.connect(app.config["DATABASE"])) as db:
        for table in ("event", "result", "failing"):
            assert db.execute(f"SELECT DISTINCT learner_id FROM {table}").fetchall() == [(int(bob.split(".")[0]),)]
    assert [learner["name"] for learner in instructor.state()["learners"]] == ["Bob"]
    assert [row[1] for row in instructor.export()[1:]] == ["Bob"]
    assert learners.report(ada, 1, checks(True)).status_code == 401
    assert learners.token("Ada")  # the name is free again


def test_a_restarted_board_keeps_its_join_address_learners_results_and_open_pages(
    tmp_path, app, client, learners, instructor
):
    ada = learners.token("Ada")
    learners.report(ada, 2, checks(True, False))
    learners.catch_up(ada, 1)
    before = (instructor.state(), instructor.export())

    restarted = create_app({"DATABASE": app.config["DATABASE"]})
    assert restarted.config["CLASS_CODE"] == app.config["CLASS_CODE"]
    assert restarted.config["INSTRUCTOR_SECRET"] != app.config["INSTRUCTOR_SECRET"]  # printed anew, kept as a hash
    open_page = restarted.test_client()
    open_page.set_cookie("board_instructor", client.get_cookie("board_instructor", path="/instructor").value,
                         path="/instructor")
    assert (open_page.get("/instructor/state.json").json, open_page.get("/instructor/export.csv").data) == (
        before[0], instructor.get("export.csv").data)
    again = Instructor(restarted.test_client(), restarted.config["INSTRUCTOR_SECRET"])
    assert (again.state(), again.export()) == before
    assert restarted.test_client().get(f"/instructor/{app.config['INSTRUCTOR_SECRET']}/").status_code == 403
    assert Learners(restarted.test_client(),
                    restarted.config["CLASS_CODE"]).report(ada, 2, checks(True, True)).status_code == 200


@pytest.mark.parametrize(("taken", "name"), [
    ("Ada", " Ada "),
    ("Ada", "ADA"),
    ("Ada Lovelace", "Ada   Lovelace"),
    ("Chlo\u00e9", "Chloe\u0301"),  # composed and decomposed é
    ("Ada", "\uff21da"),  # a fullwidth A
    ("Stra\u00dfe", "STRASSE"),
])
def test_a_name_already_on_the_board_is_refused_without_saying_whose(learners, taken, name):
    learners.token(taken)
    response = learners.join(name)
    assert response.status_code == 409
    assert response.json == {"error": "This name is taken on the board: add an initial."}


@pytest.mark.parametrize(("name", "shown"), [
    ("Zo\u00eb", "Zo\u00eb"),
    ("Chloe\u0301", "Chlo\u00e9"),
    ("Jean-Luc  O\u2019Brien", "Jean-Luc O\u2019Brien"),
    ("J. R. R.", "J. R. R."),
    ("Ada 2", "Ada 2"),
    ("\u0410\u0434\u0430", "\u0410\u0434\u0430"),  # all in Cyrillic
    ("\u5c71\u7530 \u306f\u306a\u3053", "\u5c71\u7530 \u306f\u306a\u3053"),  # Han and Hiragana, as Japanese is written
    ("Nguye\u0302\u0303n", "Nguy\u1ec5n"),
    ("\u0915\u094d\u0937\u093f\u0924\u093f", "\u0915\u094d\u0937\u093f\u0924\u093f"),
])
def test_names_in_any_script_join_as_they_are_written(learners, name, shown):
    response = learners.join(name)
    assert (response.status_code, response.json["name"]) == (201, shown)


@pytest.mark.parametrize(("name", "error"), [
    ("\u3164", "a letter or a digit"),  # Hangul filler: looks blank
    ("\u2800\u2800", "a letter or a digit"),  # blank Braille patterns
    ("...", "a letter or a digit"),
    ("Ada \u3164", "letters, digits, spaces"),
    ("\u0410da", "one script"),  # a Cyrillic A beside Latin letters
    ("A\u03b4a", "one script"),  # a Greek delta
    ("a" + "\u0301" * 30, "3 accents"),
    ("Ada: step 3, \u201cx\u201d, for 99 min", "letters, digits, spaces"),
    ("<b>Ada</b>", "letters, digits, spaces"),
])
def test_names_that_look_blank_alike_or_like_something_else_are_refused(learners, name, error):
    response = learners.join(name)
    assert response.status_code == 400
    assert error in response.json["error"]


@pytest.mark.parametrize(("authorization", "error"), [
    (None, "Send your learner's token"),
    ("Basic QWRhOnNlY3JldA==", "Send your learner's token"),
    ("Bearer", "Send your learner's token"),
    ("Bearer 1", "This token is not a learner's"),
    ("Bearer 1.wrong-secret", "This token is not a learner's"),
    ("Bearer 2.wrong-secret", "This token is not a learner's"),
    ("Bearer 99999999999999999999.x", "This token is not a learner's"),
    ("Bearer \u0661.x", "This token is not a learner's"),  # an Arabic-Indic digit one
    ("Bearer .", "This token is not a learner's"),
])
def test_a_report_without_a_valid_learner_token_is_refused(client, learners, instructor, authorization, error):
    learners.token("Ada")
    headers = {"Authorization": authorization} if authorization else {}
    for response in (
        client.post("/api/checks", json={"step": 1, "checks": checks(True)}, headers=headers),
        client.post("/api/catchup", json={"step": 1}, headers=headers),
        client.delete("/api/learner", headers=headers),
    ):
        assert response.status_code == 401
        assert response.json["error"].startswith(error)
        assert response.headers["WWW-Authenticate"] == "Bearer"
    assert instructor.state()["learners"] == [{"id": 1, "name": "Ada", "caught_up": None, "steps": {}, "burst": 1}]


def test_a_learner_cannot_write_as_another(client, learners, instructor):
    ada, bob = learners.token("Ada"), learners.token("Bob")
    bob_id, ada_secret = bob.split(".")[0], ada.split(".")[1]
    assert learners.report(f"{bob_id}.{ada_secret}", 1, checks(False)).status_code == 401
    assert learners.leave(f"{bob_id}.{ada_secret}").status_code == 401
    smuggled = client.post("/api/checks", json={"step": 1, "checks": checks(False), "learner": int(bob_id)},
                           headers=bearer(ada))
    assert smuggled.status_code == 400
    assert [(learner["name"], learner["steps"])
            for learner in instructor.state()["learners"]] == [("Ada", {}), ("Bob", {})]


def test_the_class_code_only_joins_and_only_the_instructors_secret_reads(app, client, learners, instructor):
    code, secret = app.config["CLASS_CODE"], app.config["INSTRUCTOR_SECRET"]
    ada = learners.token("Ada")
    wrong = client.post("/join/" + secret, json={"name": "Eve"})
    assert (wrong.status_code, wrong.json["error"]) == (403,
                                                        "This is not the join address of this board: copy it again"
                                                        " from the instructor.")
    assert learners.report(code, 1, checks(True)).status_code == 401
    assert learners.report(f"1.{code}", 1, checks(True)).status_code == 401
    for path in ("", "state.json", "export.csv"):
        assert instructor.get(path).status_code == 200
    stranger = app.test_client()
    for not_the_secret in (code, ada, ada.split(".")[1], secret[:-1], secret + "x", "%00"):
        response = stranger.get(f"/instructor/{not_the_secret}/")
        assert (response.status_code, response.json) == (403,
                                                         {"error": "This is not the instructor's address of this"
                                                                   " board: it writes a new one at each start."})
        assert "Set-Cookie" not in response.headers
    stranger.set_cookie("board_instructor", secret, path="/instructor")
    assert stranger.get("/instructor/state.json").status_code == 403
    assert [learner["name"] for learner in instructor.state()["learners"]] == ["Ada"]


def test_a_flood_from_one_learner_is_slowed_without_slowing_the_others(app, learners):
    ada, bob = learners.token("Ada"), learners.token("Bob")
    answers = [learners.report(ada, 1, checks(True)) for _ in range(app.config["REPORTS_BURST"] + 10)]
    assert [a.status_code for a in answers].count(429) >= 5
    refused = next(a for a in answers if a.status_code == 429)
    assert refused.headers["Retry-After"] == "1" and "Too many reports" in refused.json["error"]
    assert learners.report(bob, 1, checks(True)).status_code == 200


def too_deep():
    return "[" * 5000 + "]" * 5000


BAD_REQUESTS = [  # (method, path, token?, request arguments, status)
    ("POST", "/join/{code}", False, {"data": "x" * 17_000, "content_type": "application/json"}, 413),
    ("POST", "/api/checks", True, {"data": "x" * 17_000, "content_type": "application/json"}, 413),
    ("POST", "/join/{code}", False, {}, 415),
    ("POST", "/join/{code}", False, {"data": "name=Eve", "content_type": "application/x-www-form-urlencoded"}, 415),
    ("POST", "/join/{code}", False, {"data": "", "content_type": "application/json"}, 400),
    ("POST", "/join/{code}", False, {"data": "{", "content_type": "application/json"}, 400),
    ("POST", "/join/{code}", False, {"data": b"\xff\xfe\x00", "content_type": "application/json"}, 400),
    ("POST", "/join/{code}", False, {"data": too_deep(), "content_type": "application/json"}, 400),
    ("POST", "/join/{code}", False, {"json": "Eve"}, 400),
    ("POST", "/join/{code}", False, {"json": ["Eve"]}, 400),
    ("POST", "/join/{code}", False, {"json": {}}, 400),
    ("POST", "/join/{code}", False, {"json": {"name": "Eve", "admin": True}}, 400),
    ("POST", "/join/{code}", False, {"json": {"name": None}}, 400),
    ("POST", "/join/{code}", False, {"json": {"name": 42}}, 400),
    ("POST", "/join/{code}", False, {"json": {"name": "   "}}, 400),
    ("POST", "/join/{code}", False, {"json": {"name": "x" * 41}}, 400),
    ("POST", "/join/{code}", False, {"json": {"name": "Eve\nAdmin"}}, 400),
    ("POST", "/join/{code}", False, {"json": {"name": "Eve\u202e"}}, 400),
    ("POST", "/join/{code}", False, {"data": '{"name": "\\ud800"}', "content_type": "application/json"}, 400),
    ("POST", "/api/checks", True, {"json": {"step": 1}}, 400),
    ("POST", "/api/checks", True, {"json": {"step": 1, "checks": []}}, 400),
    ("POST", "/api/checks", True, {"json": {"step": 1, "checks": checks(*[True] * 61)}}, 400),
    ("POST", "/api/checks", True, {"json": {"step": 1, "checks": "all passed"}}, 400),
    ("POST", "/api/checks", True, {"json": {"step": 1, "checks": [None]}}, 400),
    ("POST", "/api/checks", True, {"json": {"step": 1, "checks": [{"name": "a", "title": "A"}]}}, 400),
    ("POST", "/api/checks", True, {"json": {"step": 1, "checks": [{"name": "a", "title": "A", "passed": 1}]}}, 400),
    ("POST", "/api/checks", True,
     {"json": {"step": 1, "checks": [{"name": "a", "title": "A", "passed": True, "message": "x"}]}}, 400),
    ("POST", "/api/checks", True, {"json": {"step": 1, "checks": [{"name": "a", "title": "x" * 201, "passed": True}]}},
     400),
    ("POST", "/api/checks", True, {"json": {"step": 1, "checks": [{"name": ["a"], "title": "A", "passed": True}]}},
     400),
    ("POST", "/api/checks", True, {"json": {"step": 1, "checks": checks(True) + checks(False)}}, 400),
    ("POST", "/api/checks", True, {"json": {"step": 0, "checks": checks(True)}}, 400),
    ("POST", "/api/checks", True, {"json": {"step": 7, "checks": checks(True)}}, 400),
    ("POST", "/api/checks", True, {"json": {"step": True, "checks": checks(True)}}, 400),
    ("POST", "/api/checks", True, {"json": {"step": "1", "checks": checks(True)}}, 400),
    ("POST", "/api/checks", True, {"json": {"step": 1.0, "checks": checks(True)}}, 400),
    ("POST", "/api/checks", True, {"json": {"step": 10 ** 30, "checks": checks(True)}}, 400),
    ("POST", "/api/catchup", True, {"json": {"step": -1}}, 400),
    ("POST", "/api/catchup", True, {"json": {}}, 400),
    ("GET", "/api/checks", True, {}, 405),
    ("PUT", "/join/{code}", False, {"json": {"name": "Eve"}}, 405),
    ("POST", "/instructor/state.json", False, {}, 405),
    ("DELETE", "/instructor/learners/99999999999999999999", False, {}, 404),
    ("DELETE", "/instructor/learners/999/burst", False, {}, 404),
    ("POST", "/join/%ff%fe", False, {"json": {"name": "Eve"}}, 403),
    ("POST", "/join/\u00e9t\u00e9", False, {"json": {"name": "Eve"}}, 403),
    ("GET", "/instructor/%ff/", False, {}, 403),
    ("GET", "/instructor/" + "x" * 5000 + "/", False, {}, 403),
    ("GET", "/", False, {}, 404),
    ("GET", "/api/learners", True, {}, 404),
    ("GET", "/instructor/x/y", False, {}, 404),
]


def test_bad_requests_get_a_clear_4xx_in_json_and_lose_nothing(app, client, learners, instructor):
    app.extensions["board.reports"] = RateLimit(burst=1000, per_second=1)  # the sweep is no flood
    ada = learners.token("Ada")
    learners.report(ada, 1, checks(True, False))
    before = (instructor.state(), instructor.export())
    for method, path, with_token, arguments, status in BAD_REQUESTS:
        path = path.format(code=app.config["CLASS_CODE"], secret=app.config["INSTRUCTOR_SECRET"])
        headers = bearer(ada) if with_token else {}
        response = client.open(path, method=method, headers=headers, **arguments)
        assert (response.status_code, response.is_json) == (status, True), (method, path, arguments)
        assert isinstance(response.json["error"], str) and response.json["error"], (method, path)
    assert (instructor.state(), instructor.export()) == before


def test_the_instructors_page_loads_its_script_and_styles_from_the_board_only(instructor):
    response = instructor.get()
    assert response.status_code == 200
    assert response.headers["Content-Security-Policy"] == "default-src 'self'"
    assert response.headers["Referrer-Policy"] == "no-referrer"
    page = response.get_data(as_text=True)
    assert '<script src="/static/board.js" defer></script>' in page
    assert 'data-state-url="state.json"' in page


def test_the_instructors_address_sets_a_cookie_and_leads_to_a_clean_one(app):
    secret, client = app.config["INSTRUCTOR_SECRET"], app.test_client()
    signed_in = client.get(f"/instructor/{secret}/")
    assert (signed_in.status_code, signed_in.headers["Location"]) == (303, "/instructor/")
    cookie = signed_in.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie and "Path=/instructor" in cookie
    assert secret not in cookie
    for path in ("", "state.json", "export.csv"):
        response = client.get("/instructor/" + path)
        assert response.status_code == 200 and secret not in response.get_data(as_text=True)
        stranger = app.test_client().get("/instructor/" + path)
        assert (stranger.status_code, stranger.json) == (
            403,
            {"error": "Open the instructor's address that the board wrote to instructor-address.txt in its folder when"
                      " it started."})


def test_the_boards_folder_and_files_are_its_owners_only(tmp_path):
    umask = os.umask(0o022)
    try:
        app = create_app({"DATABASE": str(tmp_path / "board" / "board.sqlite")})
        Learners(app.test_client(), app.config["CLASS_CODE"]).token("Ada")
    finally:
        os.umask(umask)
    folder = tmp_path / "board"
    assert folder.stat().st_mode & 0o777 == 0o700
    assert {path.name: path.stat().st_mode & 0o777 for path in folder.iterdir()} == {
        name: 0o600 for name in ("board.sqlite", "board.sqlite-wal", "board.sqlite-shm")}


def test_the_board_keeps_no_secret_it_need_not_read_back(app, client, learners, instructor):
    token = learners.token("Ada")
    cookie = client.get_cookie("board_instructor", path="/instructor").value
    folder = os.path.dirname(app.config["DATABASE"])
    stored = b"".join(Path(entry.path).read_bytes() for entry in os.scandir(folder))
    for secret in (app.config["INSTRUCTOR_SECRET"], token.split(".")[1], cookie):
        assert secret.encode() not in stored


def test_no_log_line_carries_a_secret(app, client, learners, instructor, monkeypatch, caplog):
    def broken(*args):
        raise RuntimeError("a bug")

    learners.token("Ada")
    monkeypatch.setattr(names, "shown", broken)
    monkeypatch.setattr(board_instructor, "finished", broken)
    assert learners.join("Bob").status_code == 500
    assert instructor.get("state.json").status_code == 500
    assert "RuntimeError: a bug" in caplog.text
    for secret in (app.config["CLASS_CODE"], app.config["INSTRUCTOR_SECRET"]):
        assert secret not in caplog.text


def join_from(client, code, address, name):
    return client.post(f"/join/{code}", json={"name": name}, environ_base={"REMOTE_ADDR": address})


def test_joins_from_one_address_are_slowed_while_others_still_join(app, client):
    code = app.config["CLASS_CODE"]
    answers = [join_from(client, code, "10.0.0.66", f"Bot {i}") for i in range(40)]
    assert [a.status_code for a in answers] == [201] * 30 + [429] * 10
    assert answers[-1].headers["Retry-After"] == "2" and "Too many joins" in answers[-1].json["error"]
    assert join_from(client, code, "10.0.0.7", "Ada").status_code == 201


def test_the_instructor_removes_a_learner(learners, instructor):
    ada = learners.token("Ada")
    learners.token("Bob")
    learners.report(ada, 1, checks(False))
    ada_id = instructor.state()["learners"][0]["id"]
    removed = instructor.remove(f"{ada_id}")
    assert (removed.status_code, removed.json) == (200, {"removed": ["Ada"]})
    assert [learner["name"] for learner in instructor.state()["learners"]] == ["Bob"]
    assert learners.report(ada, 1, checks(True)).status_code == 401
    assert instructor.remove(f"{ada_id}").status_code == 404


def test_the_instructor_removes_everyone_who_joined_in_a_burst(app, client, instructor):
    code = app.config["CLASS_CODE"]
    join_from(client, code, "10.0.0.1", "Ada")
    for i in range(5):
        join_from(client, code, "10.0.0.66", f"Bot {i}")
    join_from(client, code, "10.0.0.66", "Bob")
    with contextlib.closing(sqlite3.connect(app.config["DATABASE"])) as db, db:  # Bob joined later, from the same room
        db.execute("UPDATE learner SET joined = joined + 600 WHERE name = 'Bob'")
    bursts = {learner["name"]: learner["burst"] for learner in instructor.state()["learners"]}
    assert bursts == {"Ada": 1, "Bob": 1, **{f"Bot {i}": 5 for i in range(5)}}
    bot = next(learner["id"] for learner in instructor.state()["learners"] if learner["name"] == "Bot 3")
    removed = instructor.remove(f"{bot}/burst")
    assert sorted(removed.json["removed"]) == [f"Bot {i}" for i in range(5)]
    assert [learner["name"] for learner in instructor.state()["learners"]] == ["Ada", "Bob"]


def test_a_full_board_says_so_on_the_instructors_page(app, learners, instructor):
    app.config["MAX_LEARNERS"] = 2
    learners.token("Ada")
    assert instructor.state()["full"] is False
    learners.token("Bob")
    assert (learners.join("Cy").status_code, instructor.state()["full"]) == (403, True)


def orphans(database):
    """Rows that belong to no learner on the board."""
    with contextlib.closing(sqlite3.connect(database)) as db:
        tables = "SELECT name FROM sqlite_master WHERE type = 'table' AND sql LIKE '%learner_id%'"
        orphaned = "SELECT COUNT(*) FROM {} WHERE learner_id NOT IN (SELECT id FROM learner)"
        return {table: db.execute(orphaned.format(table)).fetchone()[0] for (table,) in db.execute(tables).fetchall()}


def test_a_report_racing_its_learners_leave_leaves_nothing_behind(app, instructor):
    app.extensions["board.joins"] = RateLimit(burst=1000, per_second=1)
    server = WaitressServer(app, threads=4)
    join_address = f"{server.url}/join/{app.config['CLASS_CODE']}"
    report = {"step": 1, "checks": checks(False, True)}

    def race(token):
        start = threading.Barrier(2)

        def send(method, path, body=None):
            start.wait()
            requests.request(method, server.url + path, json=body, headers=bearer(token), timeout=5)

        racers = [threading.Thread(target=send, args=("POST", "/api/checks", report)),
                  threading.Thread(target=send, args=("DELETE", "/api/learner"))]
        for racer in racers:
            racer.start()
        for racer in racers:
            racer.join()

    try:
        for i in range(300):
            race(requests.post(join_address, json={"name": f"Learner {i}"}, timeout=5).json()["token"])
    finally:
        server.stop()
    assert set(orphans(app.config["DATABASE"]).values()) == {0}
    assert instructor.get("state.json").status_code == 200


def test_the_instructors_page_skips_results_it_cannot_place(app, learners, instructor):
    learners.report(learners.token("Ada"), 1, checks(False))
    # as an older board could have left them
    with contextlib.closing(sqlite3.connect(app.config["DATABASE"])) as db, db:
        db.execute("INSERT INTO result (learner_id, step, passed, total) VALUES (999, 1, 0, 1)")
        db.execute("INSERT INTO failing (learner_id, step, name, title, since) VALUES (999, 1, 'x', 'X works', 0)")
        db.execute("INSERT INTO event (learner_id, at, kind, step, passed, total) VALUES (999, 0, 'check', 1, 0, 1)")
    state = instructor.state()
    assert [learner["name"] for learner in state["learners"]] == ["Ada"]
    assert [f["learners"] for f in state["failing"]] == [1]
    assert [row[1] for row in instructor.export()[1:]] == ["Ada"]


def test_a_folder_of_an_older_board_is_refused_plainly(tmp_path):
    with contextlib.closing(sqlite3.connect(tmp_path / "board.sqlite")) as db:
        db.execute("CREATE TABLE verdict (learner_id INTEGER)")
    with pytest.raises(OlderBoard, match="made by an older version of the board: delete its folder"):
        create_app({"DATABASE": str(tmp_path / "board.sqlite")})


def test_the_export_keeps_each_learners_latest_reports(learners, instructor, monkeypatch):
    monkeypatch.setattr(board_learners, "HISTORY", 3)
    ada, bob = learners.token("Ada"), learners.token("Bob")
    for passed in range(5):
        learners.report(ada, 1, checks(*[True] * passed, False))
    learners.report(bob, 2, checks(True))
    assert [row[1:5] for row in instructor.export()[1:]] == [
        ["Ada", "self-check", "1", "2"], ["Ada", "self-check", "1", "3"], ["Ada", "self-check", "1", "4"],
        ["Bob", "self-check", "2", "1"],
    ]


def largest_report(index):
    """A self-check as large as the board takes, its checks named anew each time."""
    return [{"name": f"check_{index}_{i}".ljust(60, "x"), "title": f"Check {index}.{i} works".ljust(160, "y"),
             "passed": False}
            for i in range(60)]


def test_what_the_board_keeps_per_learner_is_bounded(app, client, learners):
    app.extensions["board.reports"] = RateLimit(burst=10_000, per_second=1)
    app.extensions["board.joins"] = RateLimit(burst=1000, per_second=1)
    assert len(json.dumps({"step": 1, "checks": largest_report(49)})) < app.config["MAX_CONTENT_LENGTH"]
    tokens = [learners.token(f"Learner {i}") for i in range(100)]
    for index in range(50):
        for token in tokens:
            assert learners.report(token, 1 + index % 6, largest_report(index)).status_code == 200
    folder = os.path.dirname(app.config["DATABASE"])
    size = sum(entry.stat().st_size for entry in os.scandir(folder))
    assert size < 5_000_000, f"{size / 1e6:.1f} MB"


# The learner's side: the client, against the board served by waitress.


@pytest.fixture
def board_url(app):
    server = WaitressServer(app)
    yield server.url
    server.stop()


def eventually(condition, seconds=5):
    """Wait until ``condition()`` is true (a background report is on its way)."""
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "the board did not get the report in time"
        time.sleep(0.02)


def test_joining_and_leaving_from_the_command_line(app, board_url, secret_file, instructor, capsys):
    address = f"{board_url}/join/{app.config['CLASS_CODE']}"
    assert join.main([address, "--name", "Ada"]) == 0
    assert f"You joined the class board at {board_url} as Ada." in capsys.readouterr().out
    kept = json.loads(secret_file.read_text(encoding="utf-8"))
    assert kept["board"] == board_url and kept["token"].startswith("1.")
    if os.name == "posix":
        assert secret_file.stat().st_mode & 0o777 == 0o600
    assert [learner["name"] for learner in instructor.state()["learners"]] == ["Ada"]
    assert join.main([address, "--name", "Ada"]) == 1
    assert f"you already joined the class board at {board_url} as Ada" in capsys.readouterr().out

    assert leave.main([]) == 0
    assert "it no longer holds anything about Ada" in capsys.readouterr().out
    assert not secret_file.exists() and instructor.state()["learners"] == []
    assert leave.main([]) == 0
    assert "You have not joined a class board" in capsys.readouterr().out


def test_the_secret_file_is_git_ignored_in_the_workshop_folder():
    default = board_client.SECRET_FILE
    assert default.parent == ROOT
    for path in (default, default.with_name(f"{default.name}.1234")):  # and what keep() writes it through
        assert subprocess.run(["git", "check-ignore", "-q", str(path)], cwd=ROOT).returncode == 0


def test_the_secret_file_is_written_whole_or_not_at_all(secret_file, monkeypatch):
    board_client.keep(secret_file, {"board": "http://127.0.0.1:1", "token": "1.old"})

    def dump_half(joined, file):
        file.write('{"board": ')
        raise OSError("disk full")

    monkeypatch.setattr(board_client.json, "dump", dump_half)
    with pytest.raises(OSError):
        board_client.keep(secret_file, {"board": "http://127.0.0.1:1", "token": "1.new"})
    assert json.loads(secret_file.read_text(encoding="utf-8"))["token"] == "1.old"  # a reader never sees half
    assert [path.name for path in secret_file.parent.iterdir()] == [secret_file.name]


def closed_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.parametrize(("address", "said"), [
    ("http://127.0.0.1:{port}/notes", "this is not a join address"),
    ("ftp://127.0.0.1:{port}/join/x", "this is not a join address"),
    ("http://127.0.0.1:{port}/join/x", "cannot reach the board at"),
])
def test_joining_a_wrong_address_says_why_and_keeps_nothing(secret_file, capsys, address, said):
    assert join.main([address.format(port=closed_port()), "--name", "Ada"]) == 1
    assert capsys.readouterr().out.startswith(f"Could not join: {said}")
    assert not secret_file.exists()


def test_joining_with_a_wrong_code_tells_the_boards_answer(board_url, secret_file, capsys):
    assert join.main([f"{board_url}/join/not-the-code", "--name", "Ada"]) == 1
    assert "the board answered 403: This is not the join address of this board" in capsys.readouterr().out


def test_the_notebook_cell_without_an_address_explains_and_does_nothing(secret_file, capsys):
    board_client.join_from_notebook("", "Ada")
    assert "No class board address: nothing to do." in capsys.readouterr().out
    assert not secret_file.exists()


def test_notebook_00_joins_no_board_as_committed():
    notebook = json.loads((ROOT / "notebooks" / "00_setup_check.ipynb").read_text(encoding="utf-8"))
    calls = [line for cell in notebook["cells"] for line in cell["source"] if "join_from_notebook(" in line]
    assert calls[-1:] == ['join_from_notebook("", name="")'], (
        "the optional join cell is committed with an empty address"
    )


def test_self_checks_and_catch_ups_reach_the_board_once_joined(app, board_url, secret_file, instructor, tmp_path):
    board_client.join(f"{board_url}/join/{app.config['CLASS_CODE']}", "Ada")
    board_client.report_checks(4, [
        {"step": 4, "name": "login", "title": "Signing in works", "where": "auth.py", "passed": False,
         "message": "KeyError: 'user'"},
    ])
    eventually(lambda: instructor.state()["learners"][0]["steps"])
    assert instructor.state()["failing"] == [{"step": 4, "title": "Signing in works", "learners": 1}]
    catch_up(4, tmp_path)
    eventually(lambda: instructor.state()["learners"][0]["caught_up"] == 4)


def test_a_report_holds_the_step_and_each_checks_title_and_verdict_only(monkeypatch):
    sent = []
    monkeypatch.setattr(board_client, "send_in_background", lambda *args: sent.append(args))
    results = [{"step": 2, "name": "create", "title": "POST /api/notes creates a note", "where": "/home/ada/api.py",
                "passed": False,
                "message": 'POST /api/notes answered 500. The app said: "secret" (look at /home/ada/api.py)',
                "seconds": 0.1}]
    board_client.reported(lambda step: results)(2)
    assert sent == [("/api/checks", {
        "step": 2, "checks": [{"name": "create", "title": "POST /api/notes creates a note", "passed": False,
                               "kind": "POST /api/notes answered …. The app said: …"}],
    })]


class SilentBoard:
    """A board that accepts connections and never answers."""

    def __init__(self):
        self.socket = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.socket.getsockname()[1]}"


@pytest.mark.parametrize("board", ["down", "silent"])
def test_a_board_down_or_silent_costs_a_self_check_less_than_a_tenth_of_a_second(secret_file, board):
    silent = SilentBoard() if board == "silent" else None
    address = silent.url if silent else f"http://127.0.0.1:{closed_port()}"
    secret_file.write_text(json.dumps({"board": address, "name": "Ada", "token": "1.x"}))
    results = [{"step": 1, "name": f"check_{i}", "title": "A check", "where": "x", "passed": i % 2 == 0, "message": ""}
               for i in range(10)]
    expected = json.loads(json.dumps(results))
    self_check = board_client.reported(lambda step: results)
    try:
        costs = []
        for _ in range(3):  # the best of three: this machine may be busy with other work
            started = time.perf_counter()
            assert self_check(1) is results and results == expected
            costs.append(time.perf_counter() - started)
        time.sleep(0.5)  # the reports are on their way, or have failed
    finally:
        if silent:
            silent.socket.close()
    assert min(costs) < 0.1


def test_a_self_check_gives_the_same_verdicts_with_the_board_down(starter_parent, secret_file):
    alone = run(1, starter_parent)
    secret_file.write_text(json.dumps({"board": f"http://127.0.0.1:{closed_port()}", "name": "Ada", "token": "1.x"}))
    reporting = run(1, starter_parent)

    def verdicts(results):
        return [(r["name"], r["passed"], r["message"]) for r in results]

    assert verdicts(reporting) == verdicts(alone) and not all(r["passed"] for r in alone)


@contextlib.contextmanager
def board_command(data):
    """``python -m workshop board`` on a free port; its first four lines."""
    command = [sys.executable, "-m", "workshop", "board", "--port", "0", "--data", str(data)]
    with subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, text=True) as board:
        try:
            yield [board.stdout.readline().strip() for _ in range(4)]
        finally:
            board.terminate()


def test_the_board_command_prints_both_addresses_and_restarts_with_them(tmp_path, secret_file):
    with board_command(tmp_path / "data") as lines:
        assert lines[0].startswith("join: python3 -m workshop join http://127.0.0.1:")
        address = (tmp_path / "data" / serve.INSTRUCTOR_FILE).read_text().strip()
        assert lines[1].startswith("instructor: ") and address.startswith("http://127.0.0.1:")
        assert address not in lines[1]
        assert "no other computer can reach it" in lines[2] and str(tmp_path / "data") in lines[3]
        board_client.join(lines[0].split()[-1], "Ada")
        instructor = requests.Session()
        page = instructor.get(address, timeout=5)
        assert (page.status_code, page.url) == (200, address.rsplit("/", 2)[0] + "/")
    with board_command(tmp_path / "data") as again:
        assert urlsplit(again[0].split()[-1]).path == urlsplit(lines[0].split()[-1]).path
        state = instructor.get(page.url.replace(urlsplit(page.url).netloc,
                                                urlsplit(again[0].split()[-1]).netloc) + "state.json", timeout=5)
        assert [learner["name"] for learner in state.json()["learners"]] == ["Ada"]


def test_the_board_says_plainly_who_can_reach_it():
    assert "no other computer can reach it" in serve.who_can_reach("127.0.0.1", 5050)
    for host in ("0.0.0.0", "0", "::", "192.168.1.20"):
        said = serve.who_can_reach(host, 5050)
        assert "anyone who can reach this computer on port 5050" in said and "plain HTTP" in said
    for host in ("0", "::", "0.0.0.0"):
        assert "every network interface" in serve.who_can_reach(host, 5050)


@pytest.mark.parametrize("host", ["0", "0.0.0.0", "::"])
def test_listening_everywhere_gives_learners_this_computers_addresses(host):
    addresses = serve.addresses_for_learners(host)
    assert addresses and host not in addresses
    for address in addresses:
        assert address not in ("0", "0.0.0.0", "[::]") and urlsplit(f"http://{address}:5050/").port == 5050


def test_a_large_body_is_refused_before_it_is_read(tmp_path):
    with board_command(tmp_path) as lines:
        join_address = urlsplit(lines[0].split()[-1])
        with socket.create_connection((join_address.hostname, join_address.port), timeout=5) as connection:
            connection.sendall(f"POST {join_address.path} HTTP/1.1\r\nHost: board\r\nContent-Type: application/json\r\n"
                               f"Content-Length: 200000000\r\n\r\n".encode())
            assert connection.recv(100).startswith(b"HTTP/1.1 413")


def test_idle_connections_do_not_lock_learners_out(tmp_path):
    with board_command(tmp_path) as lines:
        join_address = lines[0].split()[-1]
        where = urlsplit(join_address)
        idle = [socket.create_connection((where.hostname, where.port), timeout=5) for _ in range(110)]
        try:
            assert requests.post(join_address, json={"name": "Ada"}, timeout=3).status_code == 201
        finally:
            for connection in idle:
                connection.close()


def test_a_port_in_use_is_said_plainly(tmp_path):
    with socket.create_server(("127.0.0.1", 0)) as taken:
        port = taken.getsockname()[1]
        command = [sys.executable, "-m", "workshop", "board", "--port", str(port), "--data", str(tmp_path)]
        board = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert board.returncode == 1 and board.stdout.startswith(f"Cannot listen on 127.0.0.1 port {port}")


def test_a_board_killed_during_a_flood_of_reports_loses_none_it_acknowledged(tmp_path):
    command = [sys.executable, "-m", "workshop", "board", "--port", "0", "--data", str(tmp_path)]
    with subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, text=True) as board:
        join_address = board.stdout.readline().split()[-1]
        tokens = {f"Learner {i}": requests.post(join_address, json={"name": f"Learner {i}"}, timeout=5).json()["token"]
                  for i in range(10)}
        acknowledged = dict.fromkeys(tokens, 0)

        def flood(name):
            for _ in range(200):
                try:
                    answer = requests.post(join_address.split("/join/")[0] + "/api/checks",
                                           json={"step": 1, "checks": checks(False)},
                                           headers=bearer(tokens[name]), timeout=3)
                except requests.RequestException:
                    return  # the board is gone
                acknowledged[name] += answer.status_code == 200

        floods = [threading.Thread(target=flood, args=(name,)) for name in tokens]
        for thread in floods:
            thread.start()
        time.sleep(1.5)
        board.kill()
        for thread in floods:
            thread.join()
    with board_command(tmp_path):
        instructor = requests.Session()
        page = instructor.get((tmp_path / serve.INSTRUCTOR_FILE).read_text().strip(), timeout=5)
        export = instructor.get(page.url + "export.csv", timeout=5).text
    kept = Counter(row[1] for row in csv.reader(io.StringIO(export)))
    assert sum(acknowledged.values()) > 100  # a flood indeed
    assert all(kept[name] >= count for name, count in acknowledged.items()), (kept, acknowledged)
