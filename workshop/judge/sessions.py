"""The session cookie, opened and signed by the judge with the key it gave the app.

Flask's session serializer needs only the secret key and the session interface's settings
(its salt, key derivation, digest and JSON tags), so the judge makes the same serializer from
those and reads and writes the app's signed cookie without running any of the app's code.
"""

import contextlib
import zlib
from http.cookies import SimpleCookie

from itsdangerous import BadPayload
from itsdangerous import BadSignature
from itsdangerous import Serializer
from itsdangerous import URLSafeTimedSerializer
from itsdangerous.encoding import base64_decode

from .. import wire

COOKIE = "session"
STEPS = (3, 4)  # those whose checks open the session cookie: its flashed messages, the name signed in
PAYLOAD_BYTES = 64 * 1024  # a session's JSON, once decompressed: a browser keeps 4 kB of cookie


class CappedSerializer(URLSafeTimedSerializer):
    """The URL-safe serializer, refusing a payload that is (or decompresses to) over PAYLOAD_BYTES
    or nests deeper than wire.MAX_NESTING, without decompressing more than that."""

    def load_payload(self, payload, *args, **kwargs):
        compressed = payload.startswith(b".")
        try:
            data = base64_decode(payload[1:] if compressed else payload)
            if compressed:
                decompressor = zlib.decompressobj()
                data = decompressor.decompress(data, PAYLOAD_BYTES + 1)
        except Exception as exc:
            raise BadPayload("the payload could not be decoded", original_error=exc) from None
        if len(data) > PAYLOAD_BYTES:
            raise wire.OverCap(f"a session cookie over the cap of {PAYLOAD_BYTES // 1024} kB on its data, decompressed")
        if wire.too_deep(data, wire.MAX_NESTING):
            raise wire.OverCap(f"a session cookie nested deeper than the cap of {wire.MAX_NESTING} levels")
        return Serializer.load_payload(self, data, *args, **kwargs)  # past the mixin's decompression


def import_flask():
    """Import Flask's session interface now, not as the first check opens a cookie: a judge that waits for its app
    process to start imports it meanwhile."""
    import flask.sessions  # noqa: F401


def serializer(secret_key):
    """The serializer that Flask's session interface signs the cookie with, for ``secret_key``."""
    from flask.sessions import SecureCookieSessionInterface as interface  # Flask, once a check opens a cookie

    return CappedSerializer(
        secret_key, salt=interface.salt, serializer=interface.serializer,
        signer_kwargs={"key_derivation": interface.key_derivation, "digest_method": interface.digest_method},
    )


def opened(value, secret_key):
    """The session a cookie value holds (a dict), or None when it is not signed with ``secret_key``."""
    try:
        data = serializer(secret_key).loads(value)
    except (BadSignature, ValueError, TypeError):
        return None
    return data if isinstance(data, dict) else None


def signing_key(value, keys):
    """The first of ``keys`` that signed the session cookie ``value`` as Flask signs it, or None: its signature
    checked alone, without opening the cookie with each key."""
    signed, _, signature = value.encode("utf-8", "replace").rpartition(b".")
    return next((key for key in keys if signed and serializer(key).make_signer().verify_signature(signed, signature)),
                None)


def secret_of(client):
    return client.config.get("SECRET_KEY")


def session_of(client):
    """The session in the client's cookie jar ({} when there is none or it is not the app's)."""
    cookie = client.get_cookie(COOKIE)
    return (opened(cookie.value, secret_of(client)) or {}) if cookie else {}


def session_value(client, key="name"):
    return session_of(client).get(key)


@contextlib.contextmanager
def session_transaction(client):
    """Edit the client's session, as Flask's ``client.session_transaction()`` does."""
    data = session_of(client)
    yield data
    client.set_cookie(COOKIE, serializer(secret_of(client)).dumps(dict(data)))


def sessions_set(response, secret_key):
    """The sessions that ``response`` (and the redirects before it) set, in order."""
    found = []
    for answer in [*getattr(response, "history", ()), response]:
        for header in answer.headers.getlist("Set-Cookie"):
            morsel = SimpleCookie(header).get(COOKIE) if header.startswith(COOKIE + "=") else None
            data = opened(morsel.value, secret_key) if morsel else None
            if data is not None:
                found.append(data)
    return found


def flashed(response, secret_key):
    """The messages flashed while answering ``response`` (Flask keeps them in the session)."""
    return [message for data in sessions_set(response, secret_key) for _, message in data.get("_flashes", [])][:100]
