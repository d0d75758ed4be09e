"""Notes: the small Flask app that the workshop builds, one step at a time."""

import os
import secrets

from flask import Flask
from flask_wtf.csrf import CSRFProtect

csrf = CSRFProtect()  # refuses form posts without the page's token, once create_app calls init_app


def create_app(test_config=None):
    """Create and configure an instance of the app (the application factory)."""
    app = Flask(__name__, instance_relative_config=True)
    app.config.from_mapping(
        DATABASE=os.path.join(app.instance_path, "notes.sqlite"),
        MAX_CONTENT_LENGTH=1024 * 1024,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_HTTPONLY=True,
    )

    if test_config is None:
        # instance/config.py, then FLASK_* environment variables (FLASK_SECRET_KEY=...)
        app.config.from_pyfile("config.py", silent=True)
        app.config.from_prefixed_env()
    else:
        app.config.from_mapping(test_config)

    if not app.config.get("SECRET_KEY"):
        app.logger.warning(
            "No SECRET_KEY is configured: using a random one for this process, so"
            " sessions end when the server restarts and fail between several worker"
            " processes. Set FLASK_SECRET_KEY or put SECRET_KEY in instance/config.py."
        )
        app.config["SECRET_KEY"] = secrets.token_hex()

    os.makedirs(app.instance_path, exist_ok=True)

    from . import db, errors
    from . import api, auth, notes, pages

    db.init_app(app)
    errors.init_app(app)
    app.register_blueprint(pages.bp)
    app.register_blueprint(api.bp)
    app.register_blueprint(notes.bp)
    app.register_blueprint(auth.bp)
    csrf.init_app(app)
    csrf.exempt(api.bp)

    return app
