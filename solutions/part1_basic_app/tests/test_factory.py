"""Tests of the application factory, create_app."""

# SOLUTION step 5
from part1_basic_app import create_app


def test_config():
    """create_app without a test config is not in testing mode; with one, it takes the test's settings."""
    assert not create_app().testing
    assert create_app({"TESTING": True}).testing


def test_the_session_cookie_is_hidden_from_scripts_and_other_sites(app):
    assert app.config["SESSION_COOKIE_HTTPONLY"]
    assert app.config["SESSION_COOKIE_SAMESITE"] == "Lax"
# STARTER
# TODO step 5 (notebooks/05_testing.ipynb): test create_app, for example that
# create_app({"TESTING": True}).testing is true and create_app().testing is not.
# END SOLUTION
