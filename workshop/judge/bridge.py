"""The judge's end of the bridge: the learner's app in a process of its own, driven over WSGI.

``AppProcess`` starts the app process (workshop/app_process/app_server.py) in its jail, with a
socket pair as the bridge, and keeps time from outside: a message not answered by the
deadline of the current check makes the judge ask where the app is stuck, end the whole
process tree and raise ``CheckTimeout``; the next check starts a fresh process. An
``AppHandle`` is one app made by ``create_app(config)`` in that process: a WSGI callable
that forwards each request over the bridge and replays what the app answered, so that
Werkzeug's test client, ``wsgiref.validate`` and the checks use it as if it were local.
No learner code ever runs in the judge's process.
"""

import contextlib
import http.client
import itertools
import os
import secrets
import socket
import sys
import threading
import time

from werkzeug.test import Client

from .. import wire
from ..early import SERVE
from ..jail import sandbox
from .routes import route_of
from .worker import WorkerDied

START_SECONDS = 10  # Python, Flask and the app starting, on a busy machine
PASS_FDS = os.name == "posix" and hasattr(socket, "AF_UNIX")  # else the app process connects to a loopback port
WHERE_SECONDS = 1  # how long a stuck app may take to say where it is
FRAME_BYTES = 2 * wire.MB  # one message from the app process: a whole answer, its body base64-encoded
BODY_BYTES = wire.MB  # the body of an answer fetched from waitress
FETCH_SECONDS = 2  # for a whole answer from waitress: a check has 5 s for two of them


class CheckTimeout(BaseException):
    """The app did not answer within the check's time: most likely an endless loop.

    A BaseException, so that no ``except Exception`` of a check turns it into a verdict.
    """


class AppError(Exception):
    """The learner's app raised (or could not be made); ``where`` names the files that served the request."""

    def __init__(self, text, where=None):
        super().__init__(text)
        self.where = where


class RouteStuck(Exception):
    """A request to a path that did not answer earlier in this run: the check that needs it cannot run."""


class RuleStuck(RouteStuck):
    """A request to the route of one that did not answer, by the app's word: it fails even a check that needs it
    only on its way, so that a false route can only cost the app checks."""


class AppDied(Exception):
    """The app process ended while the judge waited for it."""


class AppProcess:
    """The app process of one run of the checks, restarted after it was stopped or died."""

    def __init__(self, app_parent, jail, env, limits, load_config, worker=None):
        self.app_parent, self.jail, self.env, self.limits = app_parent, jail, env, limits
        self.worker = worker  # the warm worker to fork the app process from, if any (see worker.py)
        self.early = None  # an app process started before the judge, to take over first (see early.py)
        self.load_config = load_config
        self.writes_outside = []  # where the app tried to write outside its folders, as it says (a hint)
        self.process = self.sock = self.pid = self.process_returncode = None
        self.seq = itertools.count()
        self.deadline, self.seconds = None, None
        self.checking = None  # the title of the check running, if any
        self.events = []  # (what happened to the process, the check it happened in), for the flags
        self.stuck = {}  # "METHOD /path" of each request that did not answer: why, for the checks that need it again
        self.stuck_routes = []  # (Route, why) of the requests that did not answer, where the app said their route
        self.route = None  # the URL rule of the request that did not answer last, as the app process says (a hint)

    @property
    def running(self):
        return self.sock is not None

    def start(self):
        """Start the process and load the app; raises AppError when it cannot be imported or created."""
        self.set_deadline(START_SECONDS)
        command = [sys.executable, "-I", "-B", "-c", SERVE, str(self.jail.code), str(self.app_parent)]
        taken, self.early = self.early and self.early.take(self.limits), None
        if self.worker is not None:
            try:
                self.sock, self.pid = self.worker.fork_app(self.app_parent, self.env, START_SECONDS)
            except WorkerDied as exc:
                raise AppError(str(exc)) from None
        elif taken:
            self.sock, self.process, self.token = taken
        elif PASS_FDS:
            self.sock, app_end = socket.socketpair()
            try:
                self.process, self.token = sandbox.spawn(
                    [*command, str(app_end.fileno())], self.app_parent, self.env, self.limits, self.jail,
                    pass_fds=(app_end.fileno(),))
            finally:
                app_end.close()
        else:
            self.sock = self.connect(command)
        try:
            allowed = [str(self.jail.writable or self.env["TMPDIR"]), self.env["TMPDIR"]]
            answer = self.ask({"op": "load", "config": self.load_config, "allowed": allowed})
        except CheckTimeout as stopped:
            raise CheckTimeout(f"importing the app or create_app() {stopped}") from None
        except AppDied as died:
            raise AppError(f"the app's process ended while it was imported ({died}): does the app call sys.exit() or"
                           " os._exit()?") from None
        except wire.OverCap as over:
            raise AppError(f"the app's process sent {over} while it was imported") from None
        if not answer.get("ok"):
            self.stop()
            raise AppError(str(answer.get("error", "the app could not be loaded"))[:1000])

    def connect(self, command):
        """Start the app process with a loopback port to connect to (where no socket can be handed down);
        the connection that first sends the process's secret token is the bridge."""
        token = secrets.token_hex(16)
        with socket.create_server(("127.0.0.1", 0)) as listener:
            listener.settimeout(START_SECONDS)
            address = f"tcp:{listener.getsockname()[1]}:{token}"
            self.process, self.token = sandbox.spawn([*command, address], self.app_parent, self.env, self.limits,
                                                     self.jail)
            while True:
                try:
                    sock, _ = listener.accept()
                except TimeoutError:
                    self.stop("stopped")
                    raise CheckTimeout(f"did not connect within {START_SECONDS} s") from None
                sock.settimeout(START_SECONDS)
                try:
                    if wire.receive(sock, FRAME_BYTES, time.monotonic() + START_SECONDS).get("token") == token:
                        return sock
                except (wire.Closed, OSError):
                    pass
                sock.close()

    def set_deadline(self, seconds):
        self.seconds, self.deadline = seconds, time.monotonic() + seconds

    def ask(self, message, body=b""):
        """Send ``message`` (and ``body``, its raw bytes right after it), wait for its answer until the deadline; the
        answer."""
        if not self.running:
            raise AppDied("it was stopped earlier in this check")
        seq = next(self.seq)
        try:
            wire.send(self.sock, {**message, "seq": seq, **({"body_bytes": len(body)} if body else {})})
            if body:
                self.sock.sendall(body)
            while True:
                answer = wire.receive(self.sock, FRAME_BYTES, self.deadline)
                self.note_writes(answer.get("attempts"))
                if answer.get("re") == seq:
                    return answer
        except wire.OverCap:
            self.stop("stopped")
            raise
        except TimeoutError:
            where = self.where()
            self.stop("stopped")
            stopped = CheckTimeout(f"did not finish within {self.seconds:g} s: is there an endless loop?{where}")
            stopped.seconds, stopped.where = self.seconds, where
            raise stopped from None
        except (wire.Closed, OSError) as exc:
            self.stop("died")
            code = f"; exit code {self.process_returncode}" if self.process_returncode is not None else ""
            raise AppDied(f"{exc}{code}") from None

    def note_writes(self, attempts):
        for path in attempts if isinstance(attempts, list) else []:
            if isinstance(path, str) and path not in self.writes_outside and len(self.writes_outside) < 20:
                self.writes_outside.append(path[:200])

    def where(self):
        """Where the app's code is running now, as the app process says (a hint), or ""."""
        self.route = None
        try:
            wire.send(self.sock, {"op": "where"})
            deadline = time.monotonic() + WHERE_SECONDS
            while True:
                answer = wire.receive(self.sock, FRAME_BYTES, deadline)
                if "where" in answer:
                    self.route = answer.get("route")
                    return str(answer["where"])[:300]
        except (TimeoutError, wire.Closed, OSError):
            return ""

    def stop(self, event=None):
        """End the app process and everything it started."""
        if event:
            self.events.append((event, self.checking))
        if self.sock is not None:
            self.sock.close()
            self.sock = None
        if self.process is not None:
            sandbox.end_everything(self.process, self.token)
            self.process_returncode = self.process.returncode
            self.process = None
        if self.pid is not None:
            self.worker.kill(self.pid)
            self.pid = None

    def refuse_stuck(self, request):
        """Raise RouteStuck if ``request`` ("METHOD /path") did not answer earlier in this run, RuleStuck if it
        goes to the route of one that did."""
        if request in self.stuck:
            raise RouteStuck(self.stuck[request])
        for route, why in self.stuck_routes:
            if request in route:
                raise RuleStuck(f"{request} goes to the route {route}, where {why}")

    def create(self, config, probes=()):
        """A new app made with ``create_app(config)`` in the app process, as an AppHandle."""
        answer = self.ask({"op": "create", "config": {k: wire.typed(v) for k, v in config.items()},
                           "probes": list(probes)})
        if not answer.get("ok"):
            raise AppError(str(answer.get("error", "create_app failed"))[:1000])
        return AppHandle(self, answer.get("app"), config, answer.get("extensions", []))


class Bridge:
    """A WSGI callable that forwards each call to ``target`` in the app process and replays its answer."""

    def __init__(self, process, target, view_only=False):
        self.process, self.target, self.view_only = process, target, view_only
        self.sources = []

    def __call__(self, environ, start_response):
        length = int(environ.get("CONTENT_LENGTH") or 0)
        body = environ["wsgi.input"].read(length) if length > 0 else b""
        plain = {k: wire.typed(v)
                 for k, v in environ.items() if type(v) in (str, bool, int, tuple) and k != "wsgi.input"}
        request = f"{environ.get('REQUEST_METHOD', 'GET')} {environ.get('PATH_INFO') or '/'}"
        self.process.refuse_stuck(request)
        checking = self.process.checking
        try:
            answer = self.process.ask({
                "op": "request", "app": self.target, "view_only": self.view_only, "environ": plain,
            }, body)
        except CheckTimeout as stopped:
            self.process.stuck[request] = (
                f"{request} did not answer within {stopped.seconds:g} s in the check “{checking}”{stopped.where}")
            route = route_of(request, self.process.route)
            self.process.stuck_routes += [(route, self.process.stuck[request])] if route else []
            raise
        if not answer.get("ok"):
            raise AppError(str(answer.get("error", "the request failed"))[:1000])
        self.sources.extend(str(s) for s in answer.get("sources", []) if isinstance(s, str))
        return replay(answer.get("calls") or [], start_response)


class AppHandle(Bridge):
    """One app in the app process: call it as WSGI, or get a test client for it."""

    def __init__(self, process, app_id, config, extensions):
        super().__init__(process, app_id)
        self.config = config
        self.extensions = [str(e) for e in extensions]  # a hint: what the app says it set up

    def test_client(self):
        return JudgeClient(self)

    def view_client(self):
        """A test client whose requests are answered by the view alone, past the app's error handlers."""
        return JudgeClient(Bridge(self.process, self.target, view_only=True))

    @contextlib.contextmanager
    def served(self, scratch):
        """Serve the app under waitress in the app process; yields ``fetch(path)``: (status, body)."""
        unix_socket = os.path.join(scratch, "waitress.sock") if hasattr(socket, "AF_UNIX") else None
        answer = self.process.ask({"op": "serve", "app": self.target, "unix_socket": unix_socket})
        if not answer.get("ok"):
            raise AppError(str(answer.get("error", "waitress could not serve the app"))[:1000])
        try:
            url = str(answer.get("url", ""))
            yield lambda path: self.process.refuse_stuck(f"GET {path}") or fetch(unix_socket, url, path)
        except (OSError, wire.OverCap):
            self.process.stop()  # its server may be stuck in the answer: the next check starts a fresh process
            raise
        finally:
            if self.process.running:
                self.process.ask({"op": "unserve", "app": self.target})


class JudgeClient(Client):
    """Werkzeug's test client on a bridged app; each response carries ``sources``, the app's hint
    of the learner's files that served it."""

    def open(self, *args, **kwargs):
        self.application.sources = []
        response = super().open(*args, **kwargs)
        response.sources = list(dict.fromkeys(self.application.sources))
        return response

    @property
    def config(self):
        return getattr(self.application, "config", {})


def replay(calls, start_response):
    """Make, in the same order, the calls the application made: the judge's copy of its answer."""
    calls, writer = [c for c in calls if isinstance(c, list) and c], None
    end = next((position for position, call in enumerate(calls) if call[0] in ("return", "iterable")), len(calls))
    for call in calls[:end]:
        writer = perform(call, start_response, writer)
    if end == len(calls):
        return []
    if calls[end][0] == "return":
        return wire.untyped(calls[end][1] if len(calls[end]) > 1 else None)
    return Replayed(calls[end + 1:], start_response, writer)


def perform(call, start_response, writer):
    """Do one recorded call; the write() callable start_response returned, if it was that call."""
    kind = call[0]
    if kind == "start":
        status, headers = (wire.untyped(v) for v in (call + [None, None])[1:3])
        if len(call) > 3 and call[3] is True:
            error = AppError("the app called start_response with exc_info: it failed after it had started to answer")
            return start_response(status, headers, (AppError, error, None))
        return start_response(status, headers)
    if kind == "write" and callable(writer):
        writer(wire.untyped(call[1]))
    elif kind == "raise":
        raise AppError(str(call[1])[:1000] if len(call) > 1 else "an exception", call[2] if len(call) > 2 else None)
    return writer


class Replayed:
    """The iterable the application returned, replayed: its chunks, and the calls made while it was iterated."""

    def __init__(self, calls, start_response, writer):
        self.calls, self.start_response, self.writer = calls, start_response, writer

    def __iter__(self):
        writer = self.writer
        for call in self.calls:
            if call[0] == "chunk":
                yield wire.untyped(call[1])
            else:
                writer = perform(call, self.start_response, writer)

    def close(self):
        pass


class UnixHTTPConnection(http.client.HTTPConnection):
    """An HTTP connection over a Unix socket."""

    def __init__(self, path, timeout):
        super().__init__("localhost", timeout=timeout)
        self.path = path

    def connect(self):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.settimeout(self.timeout)
        with wire.socket_path(self.path) as path:
            self.sock.connect(path)


def fetch(unix_socket, url, path, timeout=FETCH_SECONDS):
    """GET ``path`` from a server on ``unix_socket`` (or at ``url``): the status and the body.

    The whole answer must arrive within ``timeout`` (else TimeoutError), its body within BODY_BYTES (else wire.OverCap).
    """
    if unix_socket:
        connection = UnixHTTPConnection(unix_socket, timeout)
    else:
        connection = http.client.HTTPConnection(url.removeprefix("http://").split("/")[0], timeout=timeout)
    sockets, late = [], threading.Event()
    watchdog = threading.Timer(timeout, cut, (sockets, late))
    watchdog.start()
    try:
        connection.request("GET", path)
        sockets.append(connection.sock)  # the response keeps reading it after the connection let it go
        response = connection.getresponse()
        body = response.read(BODY_BYTES + 1)
    except TimeoutError:  # the socket's own timeout may fire just before the watchdog
        late.set()
    except (OSError, http.client.HTTPException):
        if not late.is_set():
            raise
    finally:
        watchdog.cancel()
        connection.close()
    if late.is_set():
        raise TimeoutError(f"the answer did not arrive whole within {timeout:g} s")
    if len(body) > BODY_BYTES:
        raise wire.OverCap(f"an answer from waitress over the cap of {BODY_BYTES // wire.MB} MB on an HTTP body")
    return response.status, body.decode("utf-8", "replace")


def cut(sockets, late):
    """End a connection whose answer is late: its reads return at once."""
    late.set()
    for sock in sockets:
        with contextlib.suppress(OSError):
            sock.shutdown(socket.SHUT_RDWR)
