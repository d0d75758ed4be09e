"""Error pages: JSON under /api, an HTML page on the layout everywhere else."""

from flask import render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import BadRequest, HTTPException

from . import api


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
    """Step 6: one handler for every HTTP error."""
    path = request.path
    is_api = path == "/api" or path.startswith("/api/")
    if is_api:
        return api.error_response(error)
    page = render_template("error.html", error=error)
    headers = {}
    allowed = getattr(error, "valid_methods", None)
    if allowed:
        headers["Allow"] = ", ".join(allowed)
    return page, error.code, headers
