"""Serve a WSGI app in a background thread on a loopback port, and stop it cleanly.

Used by the notebooks (so that a cell never blocks the kernel), by the step-6 check and
by the browser tests. ``DevelopmentServer`` is Werkzeug's development server,
``WaitressServer`` the production server waitress.
"""

import threading

import waitress
from werkzeug.serving import make_server


class DevelopmentServer:
    """Werkzeug's development server (the one ``flask run`` uses), without the reloader."""

    def __init__(self, app, host="127.0.0.1", port=0):
        self._server = make_server(host, port, app, threaded=True)
        self.url = f"http://{host}:{self._server.server_port}"
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.05,), name="workshop-server", daemon=True)
        self._thread.start()

    def stop(self):
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def __repr__(self):
        return f"<{type(self).__name__} {self.url}>"


class WaitressServer(DevelopmentServer):
    """waitress, a production WSGI server."""

    def __init__(self, app, host="127.0.0.1", port=0, threads=4):
        self._sockets = {}  # waitress's listening socket, open connections and wake-up trigger
        self._server = waitress.create_server(app, map=self._sockets, host=host, port=port, threads=threads)
        self.url = f"http://{host}:{self._server.effective_port}"
        self._thread = threading.Thread(target=self._server.run, name="workshop-waitress", daemon=True)
        self._thread.start()

    def stop(self):
        # Close every socket from waitress's own thread; with none left, its loop ends.
        self._server.trigger.pull_trigger(lambda: [s.close() for s in list(self._sockets.values())])
        self._thread.join(timeout=5)
        self._server.task_dispatcher.shutdown()
