"""A pytest plugin that runs a learner's tests against a deliberately broken version of their app.

Loaded with ``-p workshop.app_process.mutants`` in the jail, with the name of one of ``MUTANTS`` in
the environment variable WORKSHOP_MUTANT (empty: the app as it is). The variable is read and
removed when pytest imports the plugin, before any of the learner's files is imported, and
each Flask response is altered after the app made it. The judge starts one pytest run per
mutant and reads only its exit code: a run that fails has "caught" its mutant. The judge reads the names of
``MUTANTS``: Flask is imported where a run needs it, not at the top.
"""

import os


def created_is_200(response):
    if response.status_code == 201:
        response.status_code = 200


def errors_are_200(response):
    if response.status_code >= 400:
        response.status_code = 200


def notes_list_is_empty(response):
    from flask import request

    if request.path == "/api/notes" and request.method == "GET" and response.status_code == 200:
        response.set_data("[]")


def html_is_not_escaped(response):
    if response.mimetype == "text/html" and not response.direct_passthrough:
        response.set_data(response.get_data(as_text=True).replace("&lt;", "<").replace("&gt;", ">"))


def flash_is_lost(response):
    """Applied by the patched ``flask.flash`` below, not to the response."""


def session_is_not_kept(response):
    from flask import request

    if request.path == "/login":
        response.headers.remove("Set-Cookie")


MUTANTS = {
    "POST /api/notes answers 200 instead of 201": created_is_200,
    "errors (400, 404, ...) answer 200": errors_are_200,
    "GET /api/notes always returns []": notes_list_is_empty,
    "HTML pages do not escape < and >": html_is_not_escaped,
    "flash messages are never shown": flash_is_lost,
    "signing in is forgotten at once": session_is_not_kept,
}

_chosen = os.environ.pop("WORKSHOP_MUTANT", "")
_active = []


def choose(name):
    """Apply the mutant ``name`` ("" for none) in this run: for a run forked from the warm worker,
    which imported the plugin before the run's environment existed."""
    global _chosen
    _chosen = name


def pytest_configure(config):
    """Patch Flask, and apply the mutant of this run."""
    import flask

    if _chosen:
        _active.append(MUTANTS[_chosen])
    process_response, flash = flask.Flask.process_response, flask.flash

    def mutated_response(self, response):
        response = process_response(self, response)
        for mutate in _active:
            mutate(response)
        return response

    def lost_flash(*args, **kwargs):
        if flash_is_lost not in _active:
            flash(*args, **kwargs)

    flask.Flask.process_response = mutated_response
    flask.flash = lost_flash
