"""URL rules' builders compiled once per process (workshop/app_process/url_builders.py): the same URLs, less work."""

import pytest
from flask import Flask
from flask import url_for
from werkzeug.routing import Rule

from workshop.app_process import url_builders
from workshop.app_process import warmup

BUILT = [  # (endpoint, values, the URL)
    ("index", {}, "/"),
    ("hello", {"name": "<em>Ada b"}, "/hello/%3Cem%3EAda%20b"),
    ("note", {"note_id": 7, "full": "yes"}, "/api/notes/7?full=yes"),
    ("page", {}, "/notes/"),
    ("page", {"page": 3}, "/notes/page/3"),
    ("static", {"filename": "style.css", "v": 2}, "/static/style.css?v=2"),
]


def make_app(prefix=""):
    app = Flask(__name__)
    app.add_url_rule("/", "index", lambda: "")
    app.add_url_rule(f"{prefix}/hello/<name>", "hello", lambda name: name)
    app.add_url_rule(f"{prefix}/api/notes/<int:note_id>", "note", lambda note_id: "")

    def page(page):
        return ""

    app.add_url_rule(f"{prefix}/notes/", "page", page, defaults={"page": 1})
    app.add_url_rule(f"{prefix}/notes/page/<int:page>", "page", page)
    return app


def urls(app):
    with app.test_request_context():
        return [url_for(endpoint, **values) for endpoint, values, _ in BUILT]


@pytest.fixture
def installed(monkeypatch):
    monkeypatch.setattr(Rule, "_compile_builder", Rule._compile_builder)  # undone after the test
    monkeypatch.setattr(url_builders, "_built", {})
    url_builders.install()


def builders(app, endpoint):
    return [rule._build.__func__ for rule in app.url_map.iter_rules(endpoint)]


def test_apps_with_the_same_rules_share_their_builders(installed):
    first, second = make_app(), make_app()
    assert builders(first, "hello") == builders(second, "hello")
    assert builders(first, "note") == builders(second, "note")


def test_the_urls_built_are_those_werkzeug_builds(installed):
    expected = [url for _, _, url in BUILT]
    assert urls(make_app()) == expected
    assert urls(make_app()) == expected  # with the builders kept
    assert urls(make_app("/v2"))[1] == "/v2/hello/%3Cem%3EAda%20b"  # other rules, other builders


def test_a_default_that_fills_a_variable_is_compiled_afresh(installed):
    def app_with(default):
        app = Flask(__name__)
        app.add_url_rule("/tag/<tag>", "tag", lambda tag: tag, defaults={"tag": default})
        return app

    with app_with("a b").test_request_context():
        assert url_for("tag") == "/tag/a%20b"
    with app_with("c").test_request_context():
        assert url_for("tag") == "/tag/c"


def test_the_warm_up_serves_its_requests_and_keeps_the_workshop_apps_builders(installed, monkeypatch):
    assert warmup.warm() == [400, 200, 200, 201, 404, 405]  # CSRF refused, a page, a form, the API, errors
    compiled = []
    monkeypatch.setattr(url_builders, "_compile", lambda *args: compiled.append(args))
    app = Flask(__name__)
    for number, rule in enumerate(warmup.RULES):
        app.add_url_rule(rule, f"rule{number}", lambda **values: "")
    assert compiled == []
