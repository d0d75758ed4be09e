"""The board's application factory."""

import os

from flask import Flask
from flask import jsonify
from flask import request
from werkzeug.exceptions import HTTPException

from .. import ROOT

DATA_FOLDER = ROOT / "class-board"  # git-ignored; deleting it forgets the session


class Board(Flask):
    def log_exception(self, exc_info):
        """Log an error with the view's name, not the path: paths carry the class code or a secret."""
        self.logger.error(f"Exception in {request.endpoint} [{request.method}]", exc_info=exc_info)


def create_app(config=None):
    """Create the board; ``config`` overrides the defaults (the tests' and the command's settings)."""
    app = Board(__name__, instance_path=str(DATA_FOLDER))
    app.config.from_mapping(
        DATABASE=os.path.join(app.instance_path, "board.sqlite"),
        MAX_CONTENT_LENGTH=16 * 1024,  # a report of a few dozen checks is about 2 KB
        STUCK_SECONDS=180,  # failing the same check for longer than this puts a learner on the stuck list
        REFRESH_SECONDS=3,  # how often the instructor's page asks for news
        MAX_LEARNERS=500,
        JOINS_BURST=30,  # joins from one computer at once...
        JOINS_PER_SECOND=0.5,  # ...and after that: about 30 a minute
        BURST_SECONDS=60,  # learners who joined from one computer this close together joined in one burst
        REPORTS_BURST=20,  # a learner may send this many reports at once...
        REPORTS_PER_SECOND=1.0,  # ...and this many per second after that
    )
    app.config.from_mapping(config or {})

    from . import db
    from . import instructor
    from . import learners
    from . import projector
    from .ratelimit import RateLimit

    db.init_app(app)
    app.extensions["board.reports"] = RateLimit(app.config["REPORTS_BURST"], app.config["REPORTS_PER_SECOND"])
    app.extensions["board.joins"] = RateLimit(app.config["JOINS_BURST"], app.config["JOINS_PER_SECOND"])
    app.register_error_handler(HTTPException, error_response)
    app.after_request(secure_headers)
    app.register_blueprint(learners.bp)
    app.register_blueprint(instructor.bp)
    app.register_blueprint(projector.bp)
    return app


def error_response(error):
    """Answer every HTTP error with JSON: ``{"error": "what is wrong"}``."""
    response = jsonify(error=error.description)
    response.status_code = error.code
    for name, value in error.get_headers():  # Allow, WWW-Authenticate, Retry-After
        if name != "Content-Type":
            response.headers[name] = value
    return response


def secure_headers(response):
    """No page of the board runs another site's code, and no address leaks through a Referer."""
    response.headers["Content-Security-Policy"] = "default-src 'self'"
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "no-store"
    return response
