"""The rules for a note's fields, shared by the JSON API and the HTML form."""

TITLE_MAX = 200
BODY_MAX = 10_000
FIELDS = {"title", "body"}


def validate_note(data):
    """Return ``(fields, None)`` for a valid note, or ``(None, "what is wrong")``."""
    if not isinstance(data, dict):
        return None, "The body must be a JSON object with a title and an optional body."
    unknown = sorted(set(data) - FIELDS)
    if unknown:
        return None, f"Unknown field(s): {', '.join(map(str, unknown))}. Only title and body are allowed."
    title = data.get("title")
    body = data.get("body", "")
    if not isinstance(title, str) or not title.strip():
        return None, "A title is required: a non-empty string."
    if len(title) > TITLE_MAX:
        return None, f"The title is too long: at most {TITLE_MAX} characters."
    if not isinstance(body, str):
        return None, "The body must be a string."
    if len(body) > BODY_MAX:
        return None, f"The body is too long: at most {BODY_MAX} characters."
    if not is_text(title) or not is_text(body):
        return None, "The title and body must be valid Unicode text."
    return {"title": title.strip(), "body": body}, None


def is_text(value):
    """Whether a string can be stored as UTF-8 (JSON can smuggle in lone surrogates)."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True
