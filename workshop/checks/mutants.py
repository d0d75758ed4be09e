"""A pytest plugin that runs a learner's tests against deliberately broken versions of their app.

Loaded with ``-p workshop.checks.mutants``: after the normal run, the tests that passed are
run again against one mutant after another, with each Flask response altered after the app
made it, until a mutant is "caught": at least one of those tests fails against it (one is
all the step-5 check asks for). Mutants not tried, then or within MUTANTS_SECONDS, are left
out of the report. The outcome is written as JSON to the
file named by the environment variable WORKSHOP_MUTANTS_REPORT.
"""

import json
import os
import time

import flask
import pytest
from _pytest.runner import runtestprotocol


def created_is_200(response):
    if response.status_code == 201:
        response.status_code = 200


def errors_are_200(response):
    if response.status_code >= 400:
        response.status_code = 200


def notes_list_is_empty(response):
    if flask.request.path == "/api/notes" and flask.request.method == "GET" and response.status_code == 200:
        response.set_data("[]")


def html_is_not_escaped(response):
    if response.mimetype == "text/html" and not response.direct_passthrough:
        response.set_data(response.get_data(as_text=True).replace("&lt;", "<").replace("&gt;", ">"))


def flash_is_lost(response):
    """Applied by the patched ``flask.flash`` below, not to the response."""


def session_is_not_kept(response):
    if flask.request.path == "/login":
        response.headers.remove("Set-Cookie")


MUTANTS = {
    "POST /api/notes answers 200 instead of 201": created_is_200,
    "errors (400, 404, ...) answer 200": errors_are_200,
    "GET /api/notes always returns []": notes_list_is_empty,
    "HTML pages do not escape < and >": html_is_not_escaped,
    "flash messages are never shown": flash_is_lost,
    "signing in is forgotten at once": session_is_not_kept,
}

_active = []
_process_response = flask.Flask.process_response


def process_response(self, response):
    response = _process_response(self, response)
    for mutate in _active:
        mutate(response)
    return response


flask.Flask.process_response = process_response
_flash = flask.flash


def flash(*args, **kwargs):
    if flash_is_lost not in _active:
        _flash(*args, **kwargs)


flask.flash = flash


MUTANTS_SECONDS = 20
_failed, _passed = [], set()


def pytest_runtest_logreport(report):
    """Record the outcome of the normal run (the mutant runs are not logged)."""
    if report.failed:
        _failed.append(report.nodeid)
    elif report.when == "call" and report.passed:
        _passed.add(report.nodeid)


@pytest.hookimpl(wrapper=True)
def pytest_runtestloop(session):
    result = yield
    passing = [item for item in session.items if item.nodeid in _passed and item.nodeid not in _failed]
    deadline = time.monotonic() + MUTANTS_SECONDS
    caught = {}
    for name, mutate in MUTANTS.items():
        if not passing or time.monotonic() > deadline:
            break
        _active[:] = [mutate]
        caught[name] = any(failed(item) for item in passing)
        if caught[name]:
            break
    _active.clear()
    report = {"collected": len(session.items), "failed": _failed, "passed": len(passing), "caught": caught}
    with open(os.environ["WORKSHOP_MUTANTS_REPORT"], "w", encoding="utf-8") as f:
        json.dump(report, f)
    return result


def failed(item):
    """Run one test again, silently; whether it failed (as pytest-rerunfailures reruns a test)."""
    item._initrequest()
    return any(report.failed for report in runtestprotocol(item, log=False, nextitem=None))
