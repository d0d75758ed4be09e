"""Error pages: JSON under /api, an HTML page on the layout everywhere else."""

from flask import render_template, request
from werkzeug.exceptions import HTTPException

from .api import error_response


def init_app(app):
    """Register the app's error handlers."""
    # TODO step 6 (notebooks/06_debug_and_deploy.ipynb): register
    # handle_http_error for every HTTPException (app.register_error_handler).
    pass


# TODO step 6 (notebooks/06_debug_and_deploy.ipynb): write
# handle_http_error(error): under /api answer with api.error_response(error);
# elsewhere render templates/error.html with the error's code.
