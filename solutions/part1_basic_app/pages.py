"""The home page and a greeting: the first routes of the app."""

# SOLUTION step 3
from flask import Blueprint, render_template
# SOLUTION step 1
from flask import Blueprint
from markupsafe import escape
# STARTER
from flask import Blueprint, abort
# END SOLUTION

bp = Blueprint("pages", __name__)


@bp.get("/")
def index():
    """The home page."""
    # SOLUTION step 3
    return render_template("index.html")
    # SOLUTION step 1
    return "<h1>Notes</h1><p>Hello, Flask!</p>"
    # STARTER
    # TODO step 1 (notebooks/01_hello_flask.ipynb): return a short HTML greeting
    # that contains "Hello, Flask!".
    abort(501, "TODO step 1: write the home page in part1_basic_app/pages.py.")
    # END SOLUTION


@bp.get("/hello/<name>")
def hello(name):
    """Greet someone by the name given in the URL."""
    # SOLUTION step 3
    return render_template("hello.html", name=name)
    # SOLUTION step 1
    return f"<p>Hello, {escape(name)}!</p>"
    # STARTER
    # TODO step 1 (notebooks/01_hello_flask.ipynb): return "Hello, <name>!" with
    # the name escaped by markupsafe.escape, so that HTML in it shows as text.
    abort(501, "TODO step 1: write the greeting in part1_basic_app/pages.py.")
    # END SOLUTION
