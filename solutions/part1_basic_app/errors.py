"""Error pages: JSON under /api, an HTML page on the layout everywhere else."""

from flask import render_template, request
from werkzeug.exceptions import HTTPException

from .api import error_response


def init_app(app):
    """Register the app's error handlers."""
    # SOLUTION step 6
    app.register_error_handler(HTTPException, handle_http_error)
    # STARTER
    # TODO step 6 (notebooks/06_debug_and_deploy.ipynb): register
    # handle_http_error for every HTTPException (app.register_error_handler).
    pass
    # END SOLUTION


# SOLUTION step 6
def handle_http_error(error):
    """Any HTTP error (404, 405, 500, ...): JSON under /api, else the error page."""
    if request.path == "/api" or request.path.startswith("/api/"):
        return error_response(error)
    headers = {"Allow": ", ".join(error.valid_methods)} if getattr(error, "valid_methods", None) else {}
    return render_template("error.html", error=error), error.code, headers
# STARTER
# TODO step 6 (notebooks/06_debug_and_deploy.ipynb): write
# handle_http_error(error): under /api answer with api.error_response(error);
# elsewhere render templates/error.html with the error's code.
# END SOLUTION
