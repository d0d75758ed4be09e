"""The bridge's wire format between the judge and the app process: framed JSON messages.

Each message is a 4-byte big-endian length and a JSON object. Values that JSON cannot
carry are tagged (``typed``/``untyped``) so that what a WSGI application handed its server
arrives with its Python type intact: a ``str`` body stays a ``str``, a header value given
as an ``int`` stays an ``int``, and anything else arrives as an ``Opaque`` stand-in that
names its type. Nothing is ever unpickled or evaluated. Standard library only.
"""

import base64
import contextlib
import json
import os
import re
import struct
import time

HEADER = struct.Struct(">I")
MB = 1024 * 1024
MAX_BYTES = 64 * MB  # a message larger than this ends the conversation (the judge asks for less, see receive)
MAX_DEPTH = 20
MAX_NESTING = 3 * MAX_DEPTH + 10  # JSON arrays and objects inside each other: a typed dict takes three levels
STRINGS = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"')
INNERMOST = re.compile(rb"\[\]|\{\}")
NOT_BRACKETS = bytes(set(range(256)) - set(b"[]{}"))


class Closed(Exception):
    """The other end closed the connection, or broke the format."""


class OverCap(Closed):
    """A message larger, or nested deeper, than its kind allows; the text names the cap."""


class Opaque:
    """A value of a type that cannot cross the bridge: its type name and (short) repr."""

    def __init__(self, type_name, text):
        self.type_name, self.text = type_name, text

    def __repr__(self):
        return self.text


def send(sock, message):
    """Send one message (a JSON-able dict) on ``sock``."""
    data = json.dumps(message, ensure_ascii=True).encode("ascii")
    sock.sendall(HEADER.pack(len(data)) + data)


def receive(sock, max_bytes=MAX_BYTES, deadline=None):
    """The next message from ``sock``, whole by ``deadline`` (a time.monotonic(); else the socket's own
    timeout per read): raises Closed at its end, OverCap over ``max_bytes`` or MAX_NESTING, socket.timeout."""
    size = HEADER.unpack(read_exactly(sock, HEADER.size, deadline))[0]
    if size > max_bytes:
        raise OverCap(f"a message of {size} bytes, over the cap of {max_bytes // MB} MB on a message")
    return loads(read_exactly(sock, size, deadline))


def answer_until_closed(sock, handlers):
    """Answer each message on ``sock`` with ``handlers[op](message)`` until the other end closes it; then end this
    process at once (how a warm worker stops)."""
    while True:
        try:
            message = receive(sock)
        except (Closed, OSError):
            os._exit(0)
        handler = handlers.get(message.get("op"))
        answer = handler(message) if handler else {"error": "unknown operation"}
        send(sock, {"re": message.get("seq"), **answer})


def loads(data):
    """The JSON object in ``data``; Closed if it is not one, OverCap if nested deeper than MAX_NESTING."""
    if too_deep(data, MAX_NESTING):
        raise OverCap(f"JSON nested deeper than the cap of {MAX_NESTING} levels")
    try:
        message = json.loads(data)
    except (ValueError, RecursionError) as exc:
        raise Closed(f"a message that is not JSON ({exc})") from None
    if not isinstance(message, dict):
        raise Closed("a message that is not an object")
    return message


def too_deep(data, levels):
    """Whether the JSON text ``data`` nests arrays and objects deeper than ``levels``, found without parsing
    it: its strings taken out, its brackets kept, then the innermost pairs removed once per level."""
    brackets = STRINGS.sub(b"", data).translate(None, NOT_BRACKETS)
    for _ in range(levels):
        brackets, removed = INNERMOST.subn(b"", brackets)
        if not brackets or not removed:
            return False  # as deep as allowed, or unbalanced (then not JSON)
    return bool(brackets)


def read_exactly(sock, size, deadline=None):
    chunks, left = [], size
    while left:
        if deadline is not None:
            sock.settimeout(max(0.001, deadline - time.monotonic()))  # what already arrived is still read
        chunk = sock.recv(min(left, MB))
        if not chunk:
            raise Closed("the connection was closed")
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


@contextlib.contextmanager
def socket_path(path):
    """``path`` of a Unix socket in a form short enough to bind or connect to (a few folders deep
    in a temporary folder it may be longer than the 107 bytes allowed): through /proc/self/fd."""
    if len(os.fsencode(path)) < 100 or not os.path.isdir("/proc/self/fd"):
        yield path
        return
    folder = os.open(os.path.dirname(path), os.O_RDONLY)
    try:
        yield f"/proc/self/fd/{folder}/{os.path.basename(path)}"
    finally:
        os.close(folder)


def pack_bytes(data):
    return base64.b64encode(data).decode("ascii")


def unpack_bytes(text):
    return base64.b64decode(text) if isinstance(text, str) else b""


def typed(value, depth=0):
    """``value`` as JSON that keeps its exact type (see ``untyped``)."""
    kind = type(value)
    if value is None or kind in (bool, int, float):
        return value
    if kind is str:
        return {"str": value}
    if kind is bytes:
        return {"bytes": pack_bytes(value)}
    if kind in (list, tuple) and depth < MAX_DEPTH:
        return {kind.__name__: [typed(item, depth + 1) for item in value[:1000]]}
    if kind is dict and depth < MAX_DEPTH:
        return {"dict": [[typed(k, depth + 1), typed(v, depth + 1)] for k, v in list(value.items())[:1000]]}
    try:
        text = repr(value)[:200]
    except Exception:  # a learner's __repr__ may raise
        text = f"<{kind.__name__}>"
    return {"other": kind.__name__, "repr": text}


def untyped(value, depth=0):
    """The value that ``typed`` described, rebuilt without running anything."""
    if value is None or type(value) in (bool, int, float):
        return value
    if not isinstance(value, dict) or len(value) > 2 or depth > MAX_DEPTH:
        return Opaque("unknown", "<unknown>")
    if "str" in value:
        return str(value["str"])
    if "bytes" in value:
        return unpack_bytes(value["bytes"])
    if "list" in value or "tuple" in value:
        items = [untyped(item, depth + 1) for item in (value.get("list") or value.get("tuple") or [])]
        return items if "list" in value else tuple(items)
    if "dict" in value:
        pairs = [pair for pair in value["dict"] if isinstance(pair, list) and len(pair) == 2]
        result = {}
        for k, v in pairs:
            key = untyped(k, depth + 1)
            result[key if isinstance(key, (str, bytes, int, float)) else repr(key)] = untyped(v, depth + 1)
        return result
    return Opaque(str(value.get("other", "unknown"))[:60], str(value.get("repr", "<unknown>"))[:200])
