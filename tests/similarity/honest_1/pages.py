"""The home page and a greeting: the first routes of the app."""

from flask import Blueprint, render_template

bp = Blueprint("pages", __name__)


@bp.get("/")
def index():
    """The home page."""
    return render_template("index.html")


@bp.get("/hello/<name>")
def hello(name):
    """Greet someone by the name given in the URL."""
    return render_template("hello.html", name=name)
