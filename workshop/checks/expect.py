"""Small assertions with messages that tell a learner what happened."""

import re

from werkzeug.http import HTTP_STATUS_CODES


def body_text(response, limit=160):
    """The start of a response's body, for messages (the error text of a JSON error)."""
    if response.is_json and isinstance(response.get_json(silent=True), dict) and "error" in response.get_json():
        return str(response.get_json()["error"])[:limit]
    text = response.get_data(as_text=True)
    paragraphs = re.findall(r"<p>(.*?)</p>", text, re.S)
    if response.status_code >= 400 and paragraphs:  # an error page: its explanation
        text = paragraphs[-1]
    text = re.sub(r"<[^>]+>", " ", text)
    return " ".join(text.split())[:limit]


def status(response, expected, request):
    """Assert the status code (one code, or a tuple of acceptable codes)."""
    codes = expected if isinstance(expected, tuple) else (expected,)
    if response.status_code in codes:
        return
    wanted = " or ".join(f"{c} {HTTP_STATUS_CODES.get(c, '')}".strip() for c in codes)
    said = body_text(response)
    raise AssertionError(
        f"{request} answered {response.status_code} {HTTP_STATUS_CODES.get(response.status_code, '')}, expected {wanted}."
        + (f' The app said: "{said}"' if said else "")
    )


def contains(response, text, request, why=""):
    """Assert that the body holds ``text``."""
    body = response.get_data(as_text=True)
    assert text in body, f"{request}: the page should contain {text!r}{why}, but it does not. It begins: \"{body_text(response)}\""


def json_body(response, request):
    """The JSON body, asserting that there is one."""
    data = response.get_json(silent=True)
    assert response.is_json and data is not None, (
        f"{request} should answer with JSON (Content-Type: application/json), "
        f"got {response.content_type or 'no Content-Type'}: \"{body_text(response)}\""
    )
    return data
