"""The home page and a greeting: the first routes of the app."""

from flask import Blueprint, render_template

bp = Blueprint("pages", __name__)


@bp.route("/hello/<name>")
def hello(name):
    # Jinja escapes the name, so <script> in it is shown, not run
    return render_template("hello.html", who=name)


@bp.route("/")
def index():
    return render_template("index.html", greeting="Hello, Flask!")
