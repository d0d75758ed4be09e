"""The app process: the learner's app, driven by the judge over the bridge, and nothing else.

    python -I -m workshop.app_process.app_server APP_PARENT FD|tcp:PORT:TOKEN

FD is one end of a socket pair whose other end the judge holds (see workshop/wire.py); where
no socket can be handed down (Windows), the process connects to the judge's loopback PORT and
sends TOKEN first. A request's body follows its message as raw bytes ("body_bytes" of them).
The learner's code runs in one worker thread, one message at a time; the main thread
reads the judge's messages, so that it can still answer "where are you?" while the
learner's code loops. Each WSGI call is recorded exactly as the application made it
(start_response's arguments, the iterable, its chunks, close) and sent back for the
judge to replay: the judge holds the application to the WSGI rules, not this process.
What this process adds of its own (the files that served a request, where it failed)
is a hint for the judge's messages, never a verdict.
"""

import contextlib
import importlib
import io
import os
import pkgutil
import queue
import socket
import sys
import threading
import traceback
from pathlib import Path

from flask import session
from flask_wtf.csrf import generate_csrf
from werkzeug.exceptions import HTTPException

from .. import APP_NAME
from .. import forget_app
from .. import wire
from ..places import is_inside
from ..places import short_path
from . import tracing
from . import url_builders

MAX_BODY = 32 * 1024 * 1024  # what one answer may carry back


def load_package(app_parent):
    """Import ``part1_basic_app`` afresh from ``app_parent``."""
    forget_app()
    sys.path.insert(0, str(app_parent))
    try:
        package = importlib.import_module(APP_NAME)
    finally:
        sys.path.remove(str(app_parent))
    found = Path(package.__file__).resolve().parent
    if found != (Path(app_parent) / APP_NAME).resolve():
        raise ImportError(f"{APP_NAME} was found in {found}, not in {app_parent}")
    return package


def describe_error(exc, app_parent):
    """Say what an exception from the learner's code was and where it happened (no full stop at the end)."""
    said = exc.msg if isinstance(exc, SyntaxError) and exc.msg else str(exc)  # a SyntaxError's str names its place
    text = said.strip().splitlines()[0].rstrip(".") if said.strip() else ""
    return f"{type(exc).__name__}{': ' + text if text else ''}{location(exc, app_parent)}"


def location(exc, app_parent):
    """" (part1_basic_app/file.py, line N)": the innermost place in the learner's files it passed, or ""."""
    if isinstance(exc, SyntaxError) and exc.filename:
        return f" ({short_path(exc.filename, app_parent)}, line {exc.lineno})"
    return frame_place(traceback.extract_tb(exc.__traceback__), app_parent)


def frame_place(frames, app_parent):
    frames = [f for f in frames if is_inside(f.filename, app_parent)]
    return f" ({short_path(frames[-1].filename, app_parent)}, line {frames[-1].lineno})" if frames else ""


WRITES = ("os.remove", "os.rename", "os.replace", "os.mkdir", "os.rmdir", "os.chmod", "shutil.rmtree")


def watch_writes(allowed, attempts):
    """Note (in ``attempts``) where the code of this process tries to write outside the ``allowed``
    folders, with an audit hook: a hint for the judge's flags (the jail refuses the write itself)."""
    allowed = [os.path.realpath(folder) for folder in allowed]

    def hook(event, args):
        try:
            if event == "open" and isinstance(args[0], (str, bytes)):
                mode, flags = args[1], args[2]
                if isinstance(mode, str):
                    writing = any(c in mode for c in "wax+")
                else:
                    writing = bool(flags & (os.O_WRONLY | os.O_RDWR | os.O_CREAT))
            elif event in WRITES and isinstance(args[0], (str, bytes)):
                writing = True
            else:
                return
            path = os.path.realpath(os.fsdecode(args[0]))
            if writing and path != os.devnull and not any(path == a or path.startswith(a + os.sep) for a in allowed):
                if path not in attempts and len(attempts) < 20:
                    attempts.append(path)
        except Exception:  # an audit hook must never break the app
            pass

    sys.addaudithook(hook)


def add_probes(app, probes):
    """Routes the judge asks for, to observe the app from outside: a session write, a crash."""
    if "remember" in probes:
        def remember():
            session["name"] = "Ada"
            return ""
        app.add_url_rule("/workshop-remember", "workshop_remember", remember)
    if "crash" in probes:
        def crash():
            raise RuntimeError("a bug (the crash probe of the checks)")
        app.add_url_rule("/workshop-crash", "workshop_crash", crash)
        app.add_url_rule("/api/workshop-crash", "api_workshop_crash", crash)


def view_only(app):
    """A WSGI app that answers with the view alone, past the app's error handlers."""
    def application(environ, start_response):
        with app.request_context(environ):
            try:
                response = app.make_response(app.dispatch_request())
            except HTTPException as error:
                response = error.get_response()
            response = app.process_response(response)  # saves the session
        return response(environ, start_response)
    return application


def record(application, environ, app_parent):
    """Call a WSGI application and record, in order, everything it hands its server."""
    calls, size = [], 0

    def write(data):
        calls.append(["write", wire.typed(data)])

    def start_response(status, headers, exc_info=None):
        calls.append(["start", wire.typed(status), wire.typed(headers), exc_info is not None])
        return write

    try:
        result = application(environ, start_response)
        if type(result) in (bytes, str) or result is None:
            calls.append(["return", wire.typed(result)])
            return calls
        calls.append(["iterable", type(result).__name__, hasattr(result, "close")])
        try:
            for chunk in result:
                size += len(chunk) if isinstance(chunk, (bytes, str)) else 0
                calls.append(["chunk", wire.typed(chunk)])
                if size > MAX_BODY:
                    calls.append(["raise", f"the answer is larger than {MAX_BODY // 1024 // 1024} MB"])
                    break
        finally:
            if hasattr(result, "close"):
                result.close()
    except BaseException as exc:  # the learner's code may raise anything, SystemExit included
        request = f"{environ.get('REQUEST_METHOD', 'GET')} {environ.get('PATH_INFO', '/')}"[:120]
        calls.append(["raise", f"{describe_error(exc, app_parent)}, answering {request}", getattr(exc, "where", None)])
    return calls


def environ_from(message):
    """The WSGI environ the judge sent: its plain values, the body as a stream."""
    environ = {k: wire.untyped(v) for k, v in message.get("environ", {}).items()}
    environ["wsgi.input"] = io.BytesIO(message.get("body", b""))
    environ["wsgi.errors"] = sys.stderr
    return environ


def body_size(message):
    """The size of the raw body that follows ``message`` (0 when none does)."""
    size = message.get("body_bytes")
    return size if type(size) is int and size > 0 else 0


class AppServer:
    """The learner's package and the apps made from it, answering the judge's messages."""

    def __init__(self, app_parent, sock, templates=None):
        self.app_parent = Path(app_parent)
        self.sock = sock
        self.package = None
        self.apps = {}
        self.servers = {}
        self.templates = tracing.bytecode_cache(templates)
        self.attempts, self.reported = [], 0
        self.in_flight = None  # the app and a copy of the environ of the request the learner's code is answering
        self.route = None  # or its URL rule, matched before it (see op_request)
        self.jobs = queue.Queue()
        self.sending = threading.Lock()
        self.worker = threading.Thread(target=self.work, name="learner", daemon=True)

    def serve(self):
        """Read messages until the judge closes the bridge; then end at once."""
        self.worker.start()
        while True:
            try:
                message = wire.receive(self.sock)
                message["body"] = wire.read_exactly(self.sock, body_size(message))  # a request's, as sent
            except (wire.Closed, OSError):
                os._exit(0)
            if message.get("op") == "where":
                self.reply(message, {"where": self.where(), "route": self.route_in_flight()})
            else:
                self.jobs.put(message)

    def work(self):
        while True:
            message = self.jobs.get()
            handler = getattr(self, f"op_{message.get('op')}", None)
            try:
                answer = handler(message) if handler else {"ok": False, "error": "unknown operation"}
            except BaseException as exc:
                answer = {"ok": False, "error": describe_error(exc, self.app_parent)}
            self.reply(message, answer)

    def reply(self, message, answer):
        with self.sending:
            new, self.reported = self.attempts[self.reported:], len(self.attempts)
            try:
                wire.send(self.sock, {"re": message.get("seq"), **answer, **({"attempts": new} if new else {})})
            except OSError:
                os._exit(0)

    def where(self):
        """" (part1_basic_app/x.py, line N)": where the learner's code is running now, or ""."""
        frame = sys._current_frames().get(self.worker.ident)
        return frame_place(traceback.extract_stack(frame), self.app_parent) if frame else ""

    def route_in_flight(self):
        """The URL rule of the request in flight, or None: matched now, when the judge asks where a request is stuck,
        where the app's URL map is Werkzeug's own (matching it runs none of the learner's code)."""
        in_flight = self.in_flight
        return tracing.route(*in_flight) if in_flight else self.route

    def op_load(self, message):
        """Watch for writes outside the allowed folders; import the package and every module in it, then create an app
        once."""
        self.watch(message.get("allowed", []))
        try:
            self.package = load_package(self.app_parent)
        except BaseException as exc:
            return {"ok": False, "error": f"{APP_NAME} could not be imported: {describe_error(exc, self.app_parent)}"}
        try:
            for module in pkgutil.iter_modules(self.package.__path__, self.package.__name__ + "."):
                if not module.ispkg:
                    importlib.import_module(module.name)
            self.make(message.get("config", {}), ())
        except BaseException as exc:
            return {"ok": False,
                    "error": f"{APP_NAME} could not be imported or created: {describe_error(exc, self.app_parent)}"}
        return {"ok": True}

    def watch(self, allowed):
        """Record each attempt to write outside the app's folder and ``allowed``."""
        watch_writes([self.app_parent, *allowed], self.attempts)

    def make(self, config, probes):
        app = tracing.trace(self.package.create_app(config), self.templates)
        # Pages that call csrf_token() render before CSRFProtect is set up: only the CSRF check fails for it.
        app.jinja_env.globals.setdefault("csrf_token", generate_csrf)
        add_probes(app, probes)
        return app

    def op_create(self, message):
        config = {k: wire.untyped(v) for k, v in message.get("config", {}).items()}
        try:
            app = self.make(config, message.get("probes", ()))
        except BaseException as exc:
            return {"ok": False, "error": describe_error(exc, self.app_parent)}
        self.apps[len(self.apps)] = app
        return {"ok": True, "app": len(self.apps) - 1, "extensions": sorted(map(str, app.extensions))}

    def op_request(self, message):
        target = message.get("app")
        if target == "raw_wsgi":
            application, app = importlib.import_module(f"{APP_NAME}.raw_wsgi").application, None
        else:
            app = self.apps[target]
            application = view_only(app) if message.get("view_only") else app
        environ = environ_from(message)
        if app and tracing.plain_urls(app):
            self.in_flight = app, dict(environ)
        elif app:  # a converter, rule or map of the learner's: matched here, before the request
            self.route = tracing.route(app, environ)
        try:
            calls = record(application, environ, self.app_parent)
        finally:
            self.in_flight = self.route = None
        return {"ok": True, "calls": calls, "sources": tracing.sources(app) if app else []}

    def op_serve(self, message):
        """Serve an app under waitress on a Unix socket (or a loopback port) until op_unserve."""
        from ..servers import WaitressServer

        app, path, short = self.apps[message.get("app")], message.get("unix_socket"), contextlib.ExitStack()
        if path:
            server = WaitressServer(app, unix_socket=short.enter_context(wire.socket_path(path)))
        else:
            server = WaitressServer(app)
        self.servers[message.get("app")] = server, short
        return {"ok": True, "url": server.url}

    def op_unserve(self, message):
        server, short = self.servers.pop(message.get("app"), (None, None))
        if server:
            server.stop()
            short.close()
        return {"ok": True}


def main():
    app_parent, bridge = sys.argv[1], sys.argv[2]
    if bridge.startswith("tcp:"):
        _, port, token = bridge.split(":")
        sock = socket.create_connection(("127.0.0.1", int(port)))
        wire.send(sock, {"token": token})
    else:
        sock = socket.socket(fileno=int(bridge))
    url_builders.install()
    AppServer(app_parent, sock).serve()


if __name__ == "__main__":
    main()
