"""Error pages: JSON under /api, an HTML page on the layout everywhere else."""

from flask import render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import BadRequest, HTTPException

from .api import error_response


def init_app(app):
    """Register the app's error handlers."""
    app.register_error_handler(CSRFError, handle_csrf_error)
    # TODO step 6 (notebooks/06_debug_and_deploy.ipynb): register
    # handle_http_error for every HTTPException (app.register_error_handler).


def handle_csrf_error(error):
    """A form post without the page's CSRF token (step 4): 400, on the error page, saying why."""
    refused = BadRequest(
        "This form has expired or was sent from another site, so nothing was saved."
        " Go back, reload the page and send the form again."
    )
    return render_template("error.html", error=refused), 400


# TODO step 6 (notebooks/06_debug_and_deploy.ipynb): write
# handle_http_error(error): under /api answer with api.error_response(error);
# elsewhere render templates/error.html with the error's code.
