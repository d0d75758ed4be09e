"""The learner's side of the class board, with the standard library only (Linux, macOS, Windows).

``join`` keeps the learner's token in ``SECRET_FILE``, a git-ignored file in the workshop
folder. While it exists, every self-check and catch-up is reported to the board by a
background process: the step and each check's name, title and pass/fail, and for a failing
check the kind of failure (its message with the learner's values taken out, see ``failures``),
nothing else. A board that is down or slow never changes a self-check, and nothing waits for it.
A learner whom the board no longer knows (removed by the instructor) is told at the next
self-check, with the command to join again.
"""

import functools
import json
import os
import subprocess
import sys
import urllib.parse
from pathlib import Path

from .. import ROOT
from .failures import kind_of

SECRET_FILE = ROOT / ".class-board.json"
TIMEOUT = 3  # seconds for one request to the board
MAX_TITLE = 200
sending = []  # the child processes sending reports (kept to be reaped when they end)


class BoardError(Exception):
    """The board could not be reached, or said no; the message says why, ``status`` the HTTP status if any."""

    def __init__(self, message, status=None):
        super().__init__(message)
        self.status = status


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
        raise BoardError(f"the board answered {error.code}: {said}", error.code) from None
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
    if joined and not joined.get("removed"):
        raise BoardError(f"you already joined the class board at {joined['board']} as {joined['name']};"
                         " to join again, first run: python3 -m workshop leave")
    answer = call("POST", address.strip(), {"name": name})
    board = f"{parts.scheme}://{parts.netloc}"
    keep(SECRET_FILE, {"board": board, "name": answer["name"], "token": answer["token"], "join": address.strip()})
    return (
        f"You joined the class board at {board} as {answer['name']}. From now on, each self-check sends it"
        " the step, which checks pass and, without your own values, why the others fail (no code, no file names)."
        " To stop: python3 -m workshop leave"
    )


def keep(secret_file, joined):
    """Write what ``join`` keeps to ``secret_file``, readable by you only, whole or not at all: a self-check that
    reports in the background may read it meanwhile."""
    secret_file = Path(secret_file)
    partial = secret_file.with_name(f"{secret_file.name}.{os.getpid()}")
    descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        with open(descriptor, "w", encoding="utf-8") as f:
            json.dump(joined, f)
        os.replace(partial, secret_file)
    finally:
        partial.unlink(missing_ok=True)


def leave():
    """Delete the learner's data on the board, and the local file; return what to tell."""
    joined = joined_board()
    if not joined:
        SECRET_FILE.unlink(missing_ok=True)
        return "You have not joined a class board: there is nothing to leave."
    if joined.get("removed"):
        SECRET_FILE.unlink()
        return f"The class board at {joined['board']} had already forgotten you: nothing more is sent to it."
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


def removed_notice(joined):
    """What a learner whom the board refused is told, with the command to join again."""
    again = joined.get("join") or "JOIN_ADDRESS"
    return (
        f"The class board at {joined['board']} no longer knows you as {joined['name']}: the instructor removed you,"
        " or started a new board. Nothing is sent to it any more. To join again, run:"
        f' python3 -m workshop join {again} --name "{joined["name"]}" (or the join cell of notebook 00);'
        " to stop this message: python3 -m workshop leave"
    )


def send_in_background(path, body):
    """POST ``body`` to the board's ``path`` from a child process, if this learner joined a board.

    A process rather than a thread: nothing waits for it, and it carries on after
    ``workshop check`` ends. Never raises: a report is a courtesy. A learner the board
    refused before is told so instead (on stderr, so that a command's output stays as it is).
    """
    if not SECRET_FILE.exists():
        return
    joined = joined_board()
    if joined and joined.get("removed"):
        print(removed_notice(joined), file=sys.stderr)
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
    """What the child process does: send one report, and keep quiet whatever happens. When the
    board no longer knows the learner's token, note it in ``secret_file`` for the next self-check."""
    try:
        joined = json.loads(Path(secret_file).read_text(encoding="utf-8"))
        try:
            call("POST", joined["board"] + path, body, joined["token"])
        except BoardError as error:
            if error.status != 401:
                raise
            forget_token(Path(secret_file), joined["token"])
    except Exception:
        pass


def forget_token(secret_file, token):
    """Mark ``secret_file`` as refused by its board, unless it holds another token by now (joined anew)."""
    joined = json.loads(secret_file.read_text(encoding="utf-8"))
    if joined.get("token") == token:
        keep(secret_file, {key: value for key, value in joined.items() if key != "token"} | {"removed": True})


def report_checks(step, results):
    """Report a self-check: its step and, per check, the name, title and whether it passed, and
    for a failing check the kind of failure."""
    try:
        checks = [{"name": str(r["name"]), "title": str(r["title"])[:MAX_TITLE], "passed": bool(r["passed"])}
                  for r in results]
        for check, result in zip(checks, results, strict=True):
            kind = "" if check["passed"] else kind_of(result.get("message", ""))
            if kind:
                check["kind"] = kind
    except (TypeError, KeyError, AttributeError):
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
