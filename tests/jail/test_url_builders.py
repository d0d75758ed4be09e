"""URL rules compiled once per process (workshop/app_process/url_builders.py): the same URLs, less work."""

import pytest
from flask import Flask
from flask import url_for
from werkzeug.routing import BaseConverter
from werkzeug.routing import Map
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
    monkeypatch.setattr(Rule, "compile", Rule.compile)
    monkeypatch.setattr(url_builders, "_built", {})
    monkeypatch.setattr(url_builders, "_parsed", {})
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


RULES = [  # (rule text, its Rule's options, the map's options, a URL it matches)
    ("/hello/<name>", {}, {}, "/hello/Ada"),
    ("/api/notes/<int:note_id>", {}, {}, "/api/notes/7"),
    ("/v/<int(signed=True, min=2):n>/<float:x>", {}, {}, "/v/3/1.5"),
    ("/files/<path:rest>", {}, {}, "/files/a/b.txt"),
    ("/kind/<any(a, b):kind>/<uuid:id>", {}, {}, "/kind/b/d29b7a7c-5d29-4c4e-9c8a-33a7bd2e1c5b"),
    ("/code/<string(length=2):code>/", {}, {}, "/code/fr/"),
    ("/a//b/<x>", {}, {"merge_slashes": False}, "/a//b/1"),
    ("/a//b/<x>", {}, {}, "/a/b/1"),
    ("/user/<name>", {}, {}, "/user/ada"),
    ("/user/<name>", {"host": "<team>.example.org"}, {"host_matching": True}, "/user/ada"),
    ("/user/<name>", {"subdomain": "<team>"}, {}, "/user/ada"),
    ("/user/<name>", {"subdomain": "<org>"}, {}, "/user/ada"),
]


def parsed(rule):
    converters = {name: (type(c), {k: v for k, v in vars(c).items() if k != "map"}, c.map is rule.map)
                  for name, c in rule._converters.items()}
    return rule._parts, rule._trace, rule.arguments, converters


def bound_rule(text, options, map_options):
    rule = Rule(text, endpoint="e", **options)
    return rule, Map([rule], **map_options)


@pytest.mark.parametrize(("text", "options", "map_options", "url"), RULES)
def test_a_rule_compiled_again_is_the_rule_werkzeug_compiles(installed, monkeypatch, text, options, map_options, url):
    def adapter(rules):
        host = "ada.example.org" if map_options.get("host_matching") else "example.org"
        return rules.bind(host, subdomain="ada" if "subdomain" in options else None)

    monkeypatch.setattr(Rule, "compile", url_builders._parse)  # Werkzeug's own
    expected, werkzeug_rules = bound_rule(text, options, map_options)
    url_builders.install()
    bound_rule(text, options, map_options)  # parsed once
    parses = []
    monkeypatch.setattr(url_builders, "_parse", lambda rule: parses.append(rule))
    again, rules = bound_rule(text, options, map_options)
    assert parses == [], "parsed once"
    assert parsed(again) == parsed(expected)
    matched = adapter(rules).match(url)
    assert matched == adapter(werkzeug_rules).match(url)
    assert adapter(rules).build("e", matched[1]) == adapter(werkzeug_rules).build("e", matched[1])


def test_the_same_text_with_other_options_is_parsed_for_them(installed, monkeypatch):
    werkzeug = []
    monkeypatch.setattr(Rule, "compile", url_builders._parse)
    for text, options, map_options, _ in RULES:
        werkzeug.append(parsed(bound_rule(text, options, map_options)[0]))
    url_builders.install()
    assert [parsed(bound_rule(text, options, map_options)[0]) for text, options, map_options, _ in RULES] == werkzeug


def test_a_rule_on_a_map_with_converters_of_its_own_is_parsed_afresh(installed):
    class Twice(BaseConverter):
        regex = "[a-z]+"

        def to_python(self, value):
            return value * 2

    apps = []
    for converter in (None, Twice):
        app = Flask(__name__)
        if converter:
            app.url_map.converters["default"] = converter
        app.add_url_rule("/say/<word>", "say", lambda word: word)
        apps.append(app)
    assert [a.url_map.bind("x").match("/say/ab") for a in apps] == [("say", {"word": "ab"}), ("say", {"word": "abab"})]
