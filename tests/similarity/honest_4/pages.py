"""The home page and a greeting: the first routes of the app."""

from flask import Blueprint, render_template

bp = Blueprint("pages", __name__)


@bp.get("/")
def index():
    """The home page."""
    page = render_template("index.html")
    return page


@bp.get("/hello/<name>")
def hello(name):
    """Greet someone by the name given in the URL."""
    page = render_template("hello.html", person=name)
    return page
