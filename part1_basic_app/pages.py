"""The home page and a greeting: the first routes of the app."""

from flask import Blueprint, abort

bp = Blueprint("pages", __name__)


@bp.get("/")
def index():
    """The home page."""
    # TODO step 1 (notebooks/01_hello_flask.ipynb): return a short HTML greeting
    # that contains "Hello, Flask!".
    abort(501, "TODO step 1: write the home page in part1_basic_app/pages.py.")


@bp.get("/hello/<name>")
def hello(name):
    """Greet someone by the name given in the URL."""
    # TODO step 1 (notebooks/01_hello_flask.ipynb): return "Hello, <name>!" with
    # the name escaped by markupsafe.escape, so that HTML in it shows as text.
    abort(501, "TODO step 1: write the greeting in part1_basic_app/pages.py.")
