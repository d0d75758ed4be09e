"""The home page and a greeting: the first routes of the app."""

from flask import Blueprint, render_template

bp = Blueprint("pages", __name__)


def greet(name=None):
    if name is None:
        return render_template("index.html")
    return render_template("hello.html", name=name)


bp.add_url_rule("/", "index", greet)
bp.add_url_rule("/hello/<name>", "hello", greet)
