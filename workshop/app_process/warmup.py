"""Flask, Werkzeug, Jinja and Flask-WTF made ready once in the warm worker, before it forks any child.

A library sets much of itself up on first use: Werkzeug compiles each URL rule's builder, Jinja its lexer and
the parts of a template's runtime, Flask its JSON provider and session serializer, Flask-WTF its token's
signer; and each child that does it writes to memory it shares with the worker (copy on write). ``warm()``
serves a few requests of a small app of the workshop's own, with the URL rules of the workshop's app, before the
worker forks: each app process and each run of the learner's tests starts with those ready. pytest registers
its plugins once too (pytest_start.py). It runs no learner's code, and keeps nothing of that app.
"""

import contextlib
import sqlite3

from flask import Blueprint
from flask import flash
from flask import Flask
from flask import jsonify
from flask import redirect
from flask import render_template
from flask import request
from flask import session
from flask import url_for
from flask_wtf.csrf import CSRFProtect
from jinja2 import DictLoader

from . import pytest_start
from . import url_builders

RULES = (  # the workshop's app's (see solutions/part1_basic_app): their builders are made once
    "/", "/hello/<name>", "/api/notes", "/api/notes/<int:note_id>", "/notes", "/login", "/logout",
)
TEMPLATES = {  # a layout and a page, in a style of their own (the learner edition holds no line of the solution)
    "layout.html": (
        '<a href="{{ url_for("static", filename="style.css") }}"></a>|{{ csrf_token() }}|{{ session.get("name") }}'
        '{{ get_flashed_messages()|join(", ") }}{% block main %}{% endblock %}'
    ),
    "page.html": '{% extends "layout.html" %}{% block main %}{{ name }}{% for n in notes %}{{ n.title }}'
                 "{% else %}-{% endfor %}{% endblock %}",
}


def warm():
    """Serve a few requests of a small app of the workshop's own, then let it go, and register pytest's plugins for
    the runs of step 5 (pytest_start.py): the requests' status codes."""
    url_builders.install()
    pytest_start.prepare()
    client = warmup_app().test_client()
    refused = client.post("/login", data={"name": "Ada"})  # no CSRF token
    page = client.get("/hello/<Ada>")
    token = page.text.split("|")[1]
    answers = [refused, page, client.post("/notes", data={"title": "Eggs", "csrf_token": token}, follow_redirects=True),
               client.post("/api/notes", json={"title": "Milk"}), client.get("/missing"), client.delete("/")]
    with contextlib.closing(sqlite3.connect(":memory:")) as db:
        db.executescript("CREATE TABLE note (id INTEGER PRIMARY KEY, title TEXT); INSERT INTO note (title) VALUES (1);")
        db.execute("SELECT * FROM note").fetchall()
    return [answer.status_code for answer in answers]


def warmup_app():
    app = Flask("workshop_warmup", root_path="/")
    app.config.update(SECRET_KEY="warm-up", TESTING=True)
    app.jinja_loader = DictLoader(TEMPLATES)
    pages = Blueprint("pages", "workshop_warmup")
    api = Blueprint("api", "workshop_warmup", url_prefix="/api")
    CSRFProtect(app).exempt(api)

    def page(**values):
        if request.path.startswith("/api"):
            return jsonify(values), 201, {"Location": url_for("api.rule3", note_id=1)}
        if request.method == "POST":
            flash("Added.")
            return redirect(url_for("pages.rule0"), 303)
        return render_template("page.html", name=values.get("name"), notes=[{"title": "<b>"}])

    for number, rule in enumerate(RULES):
        blueprint, rule = (api, rule.removeprefix("/api")) if rule.startswith("/api") else (pages, rule)
        blueprint.add_url_rule(rule or "/", f"rule{number}", page, methods=["GET", "POST"])

    @app.errorhandler(404)
    def not_found(error):
        session["name"] = "Ada"
        return page(name=error.description), 404

    app.register_blueprint(pages)
    app.register_blueprint(api)
    return app
