"""Error pages: JSON under /api, an HTML page on the layout everywhere else."""

from flask import render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import BadRequest, HTTPException

from .api import error_response


def init_app(app):
    """Register the app's error handlers."""
    app.register_error_handler(CSRFError, handle_csrf_error)
    app.register_error_handler(HTTPException, handle_http_error)


def handle_csrf_error(error):
    """A form post without the page's CSRF token (step 4): 400, on the error page, saying why."""
    refused = BadRequest(
        "This form has expired or was sent from another site, so nothing was saved."
        " Go back, reload the page and send the form again."
    )
    return render_template("error.html", error=refused), 400


def handle_http_error(error):
    """Under /api an error is JSON; everywhere else it is the error page."""
    if request.path == "/api" or request.path.startswith("/api/"):
        return error_response(error)
    headers = {"Allow": ", ".join(error.valid_methods)} if getattr(error, "valid_methods", None) else {}
    return render_template("error.html", error=error), error.code, headers
