"""Serve a WSGI app in a background thread on a loopback port, and stop it cleanly.

Used by the notebooks (so that a cell never blocks the kernel), by the step-6 check and
by the browser tests. ``DevelopmentServer`` is Werkzeug's development server,
``WaitressServer`` the production server waitress.
"""

import threading

import waitress
from werkzeug.serving import make_server

POLL_SECONDS = 0.05


class DevelopmentServer:
    """Werkzeug's development server (the one ``flask run`` uses), without the reloader."""

    def __init__(self, app, host="127.0.0.1", port=0):
        self._server = make_server(host, port, app, threaded=True)
        self.url = f"http://{host}:{self._server.server_port}"
        self._thread = threading.Thread(target=self._server.serve_forever, args=(POLL_SECONDS,), name="workshop-server",
                                        daemon=True)
        self._thread.start()

    def stop(self):
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def __repr__(self):
        return f"<{type(self).__name__} {self.url}>"


class WaitressServer(DevelopmentServer):
    """waitress, a production WSGI server, refusing bodies larger than the app's MAX_CONTENT_LENGTH.

    With ``unix_socket`` (a path), it listens there instead of on a loopback port.
    """

    def __init__(self, app, host="127.0.0.1", port=0, threads=4, unix_socket=None):
        self._sockets = {}  # waitress's listening socket, open connections and wake-up trigger
        self._stopping = threading.Event()
        limit = getattr(app, "config", {}).get("MAX_CONTENT_LENGTH")
        options = {"max_request_body_size": limit + 1} if limit else {}  # waitress refuses a body of exactly its limit
        if unix_socket:
            options.update(unix_socket=unix_socket, unix_socket_perms="600")
        else:
            options.update(host=host, port=port)
        self._server = waitress.create_server(app, map=self._sockets, threads=threads, **options)
        self.url = f"unix:{unix_socket}" if unix_socket else f"http://{host}:{self._server.effective_port}"
        self._thread = threading.Thread(target=self._serve, name="workshop-waitress", daemon=True)
        self._thread.start()

    def _serve(self):
        """waitress's event loop, one short poll at a time, until stop() is called."""
        while self._sockets and not self._stopping.is_set():
            self._server.asyncore.loop(timeout=POLL_SECONDS, map=self._sockets, count=1)

    def stop(self):
        # The loop ends first, then the workers; only then are the sockets closed, from this
        # thread, so that no thread of waitress still uses a socket or the trigger being closed.
        self._stopping.set()
        self._server.pull_trigger()  # wakes the loop now, not at the end of its poll
        self._thread.join(timeout=5)
        self._server.task_dispatcher.shutdown()
        self._server.asyncore.close_all(self._sockets, ignore_all=True)
