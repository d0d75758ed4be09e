"""Small assertions with messages that tell a learner what happened and which file to look at."""

import re
from html.parser import HTMLParser
from urllib.parse import urlsplit

from werkzeug.http import HTTP_STATUS_CODES

from .. import APP_NAME
from ..places import files_text
from .bridge import RouteStuck
from .bridge import RuleStuck

ERROR_PAGE = f"{APP_NAME}/templates/error.html"
ERROR_HANDLERS = f"{APP_NAME}/errors.py"


class Failure(AssertionError):
    """A failed check that knows the learner's files to look at: ``where``."""

    def __init__(self, message, where=""):
        super().__init__(f"{message} (look at {where})" if where else message)
        self.where = where


def fail(message, response=None, where=()):
    """Raise a Failure naming the files in ``where``, then those that served ``response``
    (but for the error page, which the error handler renders, not the view that failed)."""
    sources = [f for f in getattr(response, "sources", ()) if f != ERROR_PAGE or ERROR_HANDLERS in where]
    raise Failure(message, files_text([*where, *sources]))


def that(condition, message, response=None, where=()):
    """Assert ``condition``, else fail with ``message`` (see ``fail``)."""
    if not condition:
        fail(message, response, where)


def body_text(response, limit=160):
    """The start of a response's body, for messages: a JSON error's text, an error page's explanation."""
    data = response.get_json(silent=True) if response.is_json else None
    if isinstance(data, dict) and "error" in data:
        return str(data["error"])[:limit]
    text = response.get_data(as_text=True)
    todo = re.search(r"TODO step \d[^<\"]*", text)
    if response.status_code >= 400 and todo:  # a part still to do: the TODO's own words
        text = todo.group(0)
    elif response.status_code >= 400:  # an error page: the paragraph that follows its heading
        explanation = re.search(r"</h1>.*?<p>(.*?)</p>", text, re.S) or re.search(r"<p>(.*?)</p>", text, re.S)
        text = explanation.group(1) if explanation else text
    text = re.sub(r"<[^>]+>", " ", text)
    return " ".join(text.split())[:limit]


def answered(client, *args, **kwargs):
    """``client.open(*args, **kwargs)``, or None when that request did not answer earlier in this run:
    for a check that needs the request only on its way (the check that was stopped says why)."""
    try:
        return client.open(*args, **kwargs)
    except RuleStuck:
        raise  # the route is the app's word: it may cost the app a check, never spare it one
    except RouteStuck:
        return None


def status(response, expected, request, where=()):
    """Assert the status code (one code, or a tuple of acceptable codes)."""
    codes = expected if isinstance(expected, tuple) else (expected,)
    if response.status_code in codes:
        return
    wanted = " or ".join(f"{c} {HTTP_STATUS_CODES.get(c, '')}".strip() for c in codes)
    said = body_text(response)
    fail(
        f"{request} answered {response.status_code} {HTTP_STATUS_CODES.get(response.status_code, '')}, expected"
        f" {wanted}."
        + (f' The app said: "{said}"' if said else ""),
        response, where,
    )


def succeeded(response, request, where=()):
    """Assert a 2xx or 3xx answer: a step towards what a check looks at, made tolerantly."""
    if not 200 <= response.status_code < 400:
        said = body_text(response)
        fail(
            f"{request} answered {response.status_code} {HTTP_STATUS_CODES.get(response.status_code, '')},"
            " expected a success (2xx) or a redirect (3xx)." + (f' The app said: "{said}"' if said else ""),
            response, where,
        )


def contains(response, text, request, why="", where=()):
    """Assert that the body holds ``text``."""
    that(
        text in response.get_data(as_text=True),
        f"{request}: the page should contain {text!r}{why}, but it does not. It begins: \"{body_text(response)}\"",
        response, where,
    )


def json_body(response, request, where=()):
    """The JSON body, asserting that there is one."""
    data = response.get_json(silent=True)
    that(
        response.is_json and data is not None,
        f"{request} should answer with JSON (Content-Type: application/json), "
        f"got {response.content_type or 'no Content-Type'}: \"{body_text(response)}\"",
        response, where,
    )
    return data


class FormParser(HTMLParser):
    """The forms of a page: their attributes and, by name, the attributes of their fields."""

    def __init__(self):
        super().__init__()
        self.forms = []

    def handle_starttag(self, tag, attrs):
        attrs = {name.lower(): value for name, value in attrs}
        if tag == "form":
            self.forms.append({**attrs, "fields": {}})
        elif tag in ("input", "textarea", "select", "button") and self.forms and attrs.get("name"):
            self.forms[-1]["fields"][attrs["name"]] = attrs


def forms(response):
    """The forms of an HTML response (see FormParser)."""
    parser = FormParser()
    parser.feed(response.get_data(as_text=True))
    return parser.forms


def posts_to(form, path, page):
    """Whether ``form``, on the page at ``page``, sends a POST to ``path`` (no action: to the page itself)."""
    action = urlsplit(form.get("action") or page).path
    return (form.get("method") or "get").lower() == "post" and action == path
