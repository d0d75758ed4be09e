"""The results channel: how a checks process tells its parent what each check found.

Every event is one JSON line in a file of its own (never stdout or stderr), written and
flushed the moment it happens, and signed with a key that the parent sends on the
child's standard input before the learner's app is imported. A print, a log line or an
``atexit`` hook cannot reach it, a timeout or a crash loses only what had not happened
yet, and a line written without the key is reported as an anomaly, never believed.
"""

import hashlib
import hmac
import json
import secrets
from dataclasses import dataclass, field


def new_key():
    """A fresh secret key for one run of the checks."""
    return secrets.token_hex(32)


def sign(key, payload):
    return hmac.new(key.encode(), payload.encode(), hashlib.sha256).hexdigest()


class Writer:
    """The checks process's end: ``send(kind, **data)`` appends one signed event."""

    def __init__(self, path, key):
        self._file = open(path, "a", encoding="utf-8")
        self._key = key

    def close(self):
        self._file.close()

    def send(self, kind, **data):
        payload = json.dumps({"kind": kind, **data}, ensure_ascii=True, sort_keys=True)
        self._file.write(json.dumps({"event": payload, "mac": sign(self._key, payload)}) + "\n")
        self._file.flush()


@dataclass
class Transcript:
    """What the parent learned: results by check name, and what went wrong on the way."""

    results: dict = field(default_factory=dict)
    running: str = None  # the check that started and never reported
    app_error: str = None  # the app could not be imported or created
    done: bool = False
    anomalies: list = field(default_factory=list)


def read(path, key, known):
    """The Transcript of a results file; ``known`` are the names of the checks that exist."""
    transcript = Transcript()
    try:
        with open(path, encoding="utf-8", errors="replace") as file:
            lines = file.read().splitlines()
    except FileNotFoundError:
        return transcript
    for number, line in enumerate(lines, 1):
        event = verified(line, key)
        if event is None:
            transcript.anomalies.append(f"line {number} of the results was not written by the checks")
            continue
        take(transcript, event, known)
    return transcript


def verified(line, key):
    """The event of a correctly signed line, else None."""
    try:
        wrapper = json.loads(line)
        payload, mac = wrapper["event"], wrapper["mac"]
        if not (isinstance(payload, str) and isinstance(mac, str) and hmac.compare_digest(mac, sign(key, payload))):
            return None
        event = json.loads(payload)
    except (ValueError, TypeError, KeyError):
        return None
    return event if isinstance(event, dict) else None


def take(transcript, event, known):
    kind = event.get("kind")
    if kind == "start":
        transcript.running = event.get("name")
    elif kind == "result":
        name = event.get("name")
        if name not in known:
            transcript.anomalies.append(f"a result for a check that does not exist: {str(name)[:60]}")
        elif name in transcript.results:
            transcript.anomalies.append(f"the check {name} was reported twice")
        elif not isinstance(event.get("seconds"), (int, float)):
            transcript.anomalies.append(f"the result of {name} has no timing")
        else:
            transcript.results[name] = event
        transcript.running = None
    elif kind == "app_error":
        transcript.app_error = str(event.get("message", ""))
    elif kind == "done":
        transcript.done = True
