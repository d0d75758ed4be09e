"""Which of the learner's files served a request: its view's module, the templates it rendered,
the file where it crashed. The app process sends them to the judge with each answer, as a hint
for its messages ("where to look" follows the request that failed), never as a verdict; and the
URL rule a request matched, for the judge to refuse the later requests to a view that looped."""

import contextlib
import functools
import inspect
import os
import tempfile
import traceback
import types
from pathlib import Path

from flask import got_request_exception
from flask import request
from flask import request_started
from flask import template_rendered
from jinja2 import BytecodeCache
from werkzeug.routing import Map
from werkzeug.routing import Rule

from ..places import files_text

KEY = "workshop.sources"


class MemoryBytecodeCache(BytecodeCache):
    """Compiled templates kept in memory, shared by the apps of one run: their code objects, as they are (nothing
    to unmarshal), each for the source it was compiled from."""

    def __init__(self):
        self.codes = {}

    def load_bytecode(self, bucket):
        checksum, code = self.codes.get(bucket.key, (None, None))
        if checksum == bucket.checksum:
            bucket.code = code

    def dump_bytecode(self, bucket):
        self.codes[bucket.key] = bucket.checksum, bucket.code


class SharedBytecodeCache(MemoryBytecodeCache):
    """Compiled templates kept in memory and in ``folder`` too, for the other processes of the same run of the
    checks (its app process, the runs of the learner's tests, each with a copy of the app of its own): each
    template is compiled once a run. A file is named after the template alone (the copies' paths differ) and
    holds the checksum of the source it was compiled from, as Jinja's own file cache does."""

    def __init__(self, folder):
        super().__init__()
        self.folder = Path(folder)

    def get_cache_key(self, name, filename=None):
        return super().get_cache_key(name)

    def load_bytecode(self, bucket):
        super().load_bytecode(bucket)
        if bucket.code is None:
            try:
                with open(self.folder / bucket.key, "rb") as file:
                    bucket.load_bytecode(file)
            except Exception:  # none yet, or not one the other processes wrote: compiled here
                bucket.reset()

    def dump_bytecode(self, bucket):
        super().dump_bytecode(bucket)
        with contextlib.suppress(OSError):
            self.folder.mkdir(exist_ok=True)
            fd, written = tempfile.mkstemp(dir=self.folder)
            with open(fd, "wb") as file:
                bucket.write_bytecode(file)
            os.replace(written, self.folder / bucket.key)  # whole, for a process reading it at the same time


def bytecode_cache(folder=None):
    """Where the apps of a process keep their compiled templates: in memory, and in ``folder`` if it is given."""
    return SharedBytecodeCache(folder) if folder else MemoryBytecodeCache()


def trace(app, templates):
    """Record the files that serve each request of ``app`` in ``sources(app)``; compile its
    templates once for all the apps that share ``templates``."""
    app.extensions[KEY] = []
    app.jinja_env.bytecode_cache = templates
    return app


def sources(app):
    """The learner's files that served the requests since the last call, and start afresh."""
    found, app.extensions[KEY] = app.extensions.get(KEY, []), []
    return found


def learner_file(filename, app):
    """``filename`` as "part1_basic_app/...", or None if it is not one of the app's files."""
    return relative_to_parent(filename, app.root_path) if filename else None


@functools.lru_cache(maxsize=1024)
def relative_to_parent(filename, package):
    """``filename`` as "package/...", or None if it is not inside the ``package`` folder."""
    package = Path(package).resolve()
    try:
        return f"{package.name}/{Path(filename).resolve().relative_to(package).as_posix()}"
    except (ValueError, OSError):
        return None


def add(app, filename):
    """Record one of the learner's files as serving the current request of ``app``."""
    name = learner_file(filename, app)
    if name and name not in app.extensions[KEY]:
        app.extensions[KEY].append(name)


def view_file(app, endpoint):
    """The file that defines the view of ``endpoint`` (a function or a class-based view)."""
    view = app.view_functions.get(endpoint)
    if type(view) is types.FunctionType:
        return function_file(view)
    return source_file(view) if view else None


@functools.lru_cache(maxsize=1024)
def function_file(view):
    """``source_file`` of a function, found once for all the apps that register it (a function is hashed and
    compared by identity)."""
    return source_file(view)


def source_file(view):
    view = getattr(view, "view_class", None) or inspect.unwrap(view)
    try:
        return inspect.getsourcefile(view)
    except TypeError:
        return None


def plain_urls(app):
    """Whether ``app`` matches URLs with Werkzeug's own map, rules and converters only."""
    urls = app.url_map
    return (type(urls) is Map and urls.converters == Map.default_converters
            and all(type(rule) is Rule for rule in urls.iter_rules()))


def route(app, environ):
    """The URL rule (as written, "/hello/<name>") that the request of ``environ`` matches in ``app``, or None."""
    try:
        urls = app.url_map.bind_to_environ(environ, server_name=app.config.get("SERVER_NAME"))
        rule, _ = urls.match(return_rule=True)
    except Exception:  # no rule (404, 405, a redirect), or a converter of the learner's that failed
        return None
    return rule.rule


def on_request_started(sender, **extra):
    if KEY in sender.extensions and request.endpoint:
        add(sender, view_file(sender, request.endpoint))


def on_template_rendered(sender, template, context, **extra):
    if KEY in sender.extensions:
        add(sender, template.filename)


def on_exception(sender, exception, **extra):
    """Record the learner's file where the exception was raised; without one (a view that returned
    something Flask cannot use), give the exception a ``where``: the files that served the request."""
    if KEY not in sender.extensions:
        return
    for frame in reversed(traceback.extract_tb(exception.__traceback__)):
        if learner_file(frame.filename, sender):
            add(sender, frame.filename)
            return
    if sender.extensions[KEY] and not hasattr(exception, "where"):
        exception.where = files_text(sender.extensions[KEY])


request_started.connect(on_request_started)
template_rendered.connect(on_template_rendered)
got_request_exception.connect(on_exception)
