"""The learner's side of the class board, with the standard library only (Linux, macOS, Windows).

``join`` keeps the learner's token in ``SECRET_FILE``, a git-ignored file in the workshop
folder. While it exists, every self-check and catch-up is reported to the board by a
background process: the step and each check's name, title and pass/fail, nothing else. A
board that is down or slow never changes a self-check, and nothing waits for it.
"""

import functools
import json
import os
import subprocess
import sys
import urllib.parse
from pathlib import Path

from .. import ROOT

SECRET_FILE = ROOT / ".class-board.json"
TIMEOUT = 3  # seconds for one request to the board
MAX_TITLE = 200
sending = []  # the child processes sending reports (kept to be reaped when they end)


class BoardError(Exception):
    """The board could not be reached, or said no; the message says why."""


def call(method, url, body=None, token=None):
    """Send ``body`` as JSON to the board; return its JSON answer."""
    import urllib.error  # here, not above: importing it costs every self-check 50 ms, joined or not
    import urllib.request

    # Straight to the board, even where a proxy is configured: the board is on the class's network.
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    headers = {"Content-Type": "application/json", "Accept": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    data = None if body is None else json.dumps(body).encode("utf-8")
    try:
        with opener.open(urllib.request.Request(url, data, headers, method=method), timeout=TIMEOUT) as response:
            return json.load(response)
    except urllib.error.HTTPError as error:
        with error:
            try:
                said = json.load(error)["error"]
            except (ValueError, KeyError, TypeError):
                said = error.reason
        raise BoardError(f"the board answered {error.code}: {said}") from None
    except (OSError, ValueError) as error:  # URLError, refused, timed out, not JSON
        raise BoardError(f"cannot reach the board at {url} ({getattr(error, 'reason', error)})") from None


def joined_board():
    """What ``join`` kept (board, name, token), or None before joining."""
    try:
        return json.loads(SECRET_FILE.read_text(encoding="utf-8"))
    except (OSError, ValueError):  # not there, or not what join wrote
        return None


def join(address, name):
    """Join the board at ``address`` (``http://HOST:PORT/join/CODE``) as ``name``; return what to tell."""
    parts = urllib.parse.urlsplit(address.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc or "/join/" not in parts.path:
        raise BoardError("this is not a join address: the instructor's looks like http://HOST:PORT/join/CODE")
    joined = joined_board()
    if joined:
        raise BoardError(f"you already joined the class board at {joined['board']} as {joined['name']};"
                         " to join again, first run: python3 -m workshop leave")
    answer = call("POST", address.strip(), {"name": name})
    board = f"{parts.scheme}://{parts.netloc}"
    descriptor = os.open(SECRET_FILE, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)  # readable by you only
    with open(descriptor, "w", encoding="utf-8") as f:
        json.dump({"board": board, "name": answer["name"], "token": answer["token"]}, f)
    return (
        f"You joined the class board at {board} as {answer['name']}. From now on, each self-check sends it"
        " the step and which checks pass (no code, no file names). To stop: python3 -m workshop leave"
    )


def leave():
    """Delete the learner's data on the board, and the local file; return what to tell."""
    joined = joined_board()
    if not joined:
        SECRET_FILE.unlink(missing_ok=True)
        return "You have not joined a class board: there is nothing to leave."
    try:
        call("DELETE", joined["board"] + "/api/learner", token=joined["token"])
    finally:
        SECRET_FILE.unlink()
    return f"You left the class board at {joined['board']}: it no longer holds anything about {joined['name']}."


def join_from_notebook(address, name):
    """The optional cell of notebook 00: join when there is an address, else say what it is for."""
    if not address.strip():
        print("No class board address: nothing to do. In a live session, paste the join address"
              " your instructor shows between the quotes, put your name, and run this cell again.")
        return
    try:
        print(join(address, name))
    except BoardError as error:
        print(f"Could not join: {error}.")


def send_in_background(path, body):
    """POST ``body`` to the board's ``path`` from a child process, if this learner joined a board.

    A process rather than a thread: nothing waits for it, and it carries on after
    ``workshop check`` ends. Never raises: a report is a courtesy.
    """
    if not SECRET_FILE.exists():
        return
    try:
        child = subprocess.Popen(
            [sys.executable, "-m", __name__, json.dumps([str(SECRET_FILE), path, body])],
            cwd=ROOT, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            creationflags=getattr(subprocess, "CREATE_NO_WINDOW", 0),  # no console window flashes on Windows
        )
    except (OSError, ValueError):
        return
    sending[:] = [report for report in sending if report.poll() is None] + [child]


def send(secret_file, path, body):
    """What the child process does: send one report, and keep quiet whatever happens."""
    try:
        joined = json.loads(Path(secret_file).read_text(encoding="utf-8"))
        call("POST", joined["board"] + path, body, joined["token"])
    except Exception:
        pass


def report_checks(step, results):
    """Report a self-check: its step and, per check, the name, title and whether it passed."""
    try:
        checks = [{"name": str(r["name"]), "title": str(r["title"])[:MAX_TITLE], "passed": bool(r["passed"])} for r in results]
    except (TypeError, KeyError):
        return
    send_in_background("/api/checks", {"step": step, "checks": checks})


def report_catchup(step):
    """Report that the learner's app was brought to its state after ``step``."""
    send_in_background("/api/catchup", {"step": step})


def reported(run):
    """Decorate the self-check's ``run(step, ...)`` so that each of its results is reported too."""

    @functools.wraps(run)
    def run_and_report(step, *args, **kwargs):
        results = run(step, *args, **kwargs)
        report_checks(step, results)
        return results

    return run_and_report


if __name__ == "__main__":
    send(*json.loads(sys.argv[1]))
