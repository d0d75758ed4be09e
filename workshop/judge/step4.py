"""Step 4, sessions: signing in and out with Flask's signed session cookie."""

import re
from urllib.parse import urlsplit

from . import expect
from . import source
from .core import check
from .notes import stored_notes
from .sessions import session_transaction
from .sessions import session_value
from .sessions import sessions_set
from .sessions import signing_key

AUTH_PY = "part1_basic_app/auth.py"
BASE_HTML = "part1_basic_app/templates/base.html"
CONFIG_PY = "part1_basic_app/__init__.py"
AUTH = f"{AUTH_PY}, TODO step 4"
NAV = f"{BASE_HTML}, TODO step 4"
CONFIG = f"{CONFIG_PY}, TODO step 4"
HTML_NAME = "<b>Ada</b>"
NAME_MAX = 50
ELSEWHERE = "https://elsewhere.example/page"


def sign_in(client, name="Ada"):
    """Sign in through POST /login; if that does not work, write the name into the session directly."""
    response = client.post("/login", data={"name": name})
    if session_value(client) != name:
        with session_transaction(client) as session:
            session["name"] = name
    return response


def on_the_layout(client):
    """The first of the app's pages that is on the layout (the others are another check's business)."""
    for url in ("/", "/notes", "/hello/Bob"):
        response = expect.answered(client, url)
        if response is not None and "/static/style.css" in response.get_data(as_text=True):
            return url, response
    expect.fail("No page of the app extends base.html: first make pages_use_the_layout pass.", response, [BASE_HTML])


def login_outcome(app, data):
    """POST /login answered by its view alone, past the app's error handlers: (status, what it said,
    session['name'])."""
    response = app.view_client().post("/login", data=data)
    stored = sessions_set(response, app.config["SECRET_KEY"])
    return response.status_code, expect.body_text(response), stored[-1].get("name") if stored else None


def sign_in_form(response):
    return next((f for f in expect.forms(response) if expect.posts_to(f, "/login", response.request.path)), None)


@check(4, AUTH)
def login_stores_the_name(client):
    """POST /login with a name starts a fresh session holding it and redirects to /, never elsewhere; GET does not."""
    client.get("/login?name=Mallory")
    expect.that(
        session_value(client) != "Mallory",
        "GET /login?name=Mallory signed Mallory in: a link on any site could sign a visitor in. Sign in with POST only"
        " (@bp.post), reading request.form.", where=[AUTH_PY],
    )
    with session_transaction(client) as session:
        session["left_over"] = "from an earlier visit"
    response = client.post(f"/login?next={ELSEWHERE}", data={"name": "Ada"}, headers={"Referer": ELSEWHERE})
    expect.status(response, (302, 303), "POST /login with name='Ada'", [AUTH_PY])
    location = urlsplit(response.headers.get("Location", ""))
    expect.that(
        location.path == "/" and location.netloc in ("", "localhost"),
        f"POST /login should redirect to the home page /, not to {location.geturl() or 'nowhere'}"
        + (" (a next= or Referer sent by another site must not choose where to go)." if location.netloc else "."),
        response,
    )
    name = session_value(client)
    expect.that(name == "Ada", f"After POST /login with name=Ada, session['name'] is {name!r}, expected 'Ada'.",
                response)
    expect.that(
        session_value(client, "left_over") is None,
        "POST /login kept what the session held before: start a fresh session with session.clear() before storing the"
        " name.",
        response,
    )


@check(4, NAV)
def greeting_on_every_page(client):
    """The nav shows a sign-in form; once signed in, "Signed in as" the name, as text, and a sign-out form instead."""
    with session_transaction(client) as session:
        session["visited"] = True  # a session that holds something, but no name
    url, before = on_the_layout(client)
    expect.that("Signed in as" not in before.get_data(as_text=True),
                f"Before signing in, {url} should not say \"Signed in as\".", before, [BASE_HTML])
    form = sign_in_form(before)
    expect.that(form and "name" in form["fields"],
                "Before signing in, the nav should have a form that POSTs a field \"name\" to /login.", before,
                [BASE_HTML])
    login = sign_in(client, HTML_NAME)
    first, second = client.get(url), client.get(url)  # the page on the layout, which answered
    if HTML_NAME in first.get_data(as_text=True) and HTML_NAME not in second.get_data(as_text=True):
        expect.fail(
            f"The message flashed by POST /login put the name {HTML_NAME!r} into the page as HTML: let Jinja escape it"
            " (no Markup).",
            login, [AUTH_PY],
        )
    for url in ("/", "/notes", "/hello/Bob"):
        response = expect.answered(client, url)
        page = response.get_data(as_text=True) if response is not None else ""
        if response is None or response.status_code == 501 or "/static/style.css" not in page:
            continue  # a page still to do, or not on the layout: other checks report it
        request = f"GET {url} after signing in as {HTML_NAME}"
        expect.status(response, 200, request, [BASE_HTML])
        expect.contains(response, "Signed in as", request, " (in the nav of base.html)", [BASE_HTML])
        expect.that(
            HTML_NAME not in response.get_data(as_text=True),
            f"{request} put the name into the page as HTML: let Jinja escape it (no |safe).", response, [BASE_HTML],
        )
        expect.contains(response, "&lt;b&gt;Ada&lt;/b&gt;", request, " (the name, escaped)", [BASE_HTML])
        expect.that(
            any(expect.posts_to(f, "/logout", url) for f in expect.forms(response)),
            f"{request}: the nav should have a sign-out form that POSTs to /logout.", response, [BASE_HTML],
        )
        expect.that(
            not sign_in_form(response),
            f"{request}: the nav still shows the sign-in form; show it only when nobody is signed in ({{% else %}}).",
            response, [BASE_HTML],
        )


@check(4, AUTH)
def logout_forgets(client):
    """POST /logout forgets the name and redirects to /; a GET does not sign out."""
    sign_in(client)
    client.get("/logout")
    expect.that(
        session_value(client) == "Ada",
        "GET /logout signed the visitor out: a link or an image on any site could do that."
        " Sign out with POST only (@bp.post).",
        where=[AUTH_PY],
    )
    response = client.post("/logout")
    expect.status(response, (302, 303), "POST /logout", [AUTH_PY])
    location = response.headers.get("Location", "")
    expect.that(urlsplit(location).path == "/",
                f"POST /logout should redirect to the home page /, not to {location or 'nowhere'}.", response)
    expect.that(session_value(client) is None, "After POST /logout, session['name'] should be gone (session.clear()).",
                response)


@check(4, AUTH)
def login_refuses_a_bad_name(app):
    """POST /login with an empty or too long name answers 400 and signs nobody in; a name of 50 characters is fine."""
    status, said, signed_in = login_outcome(app, {"name": "x" * NAME_MAX})
    expect.that(
        signed_in == "x" * NAME_MAX,
        f"POST /login with a name of {NAME_MAX} characters answered {status} and signed nobody in: names of 1 to"
        f" NAME_MAX ({NAME_MAX}) characters are fine, refuse only longer ones (len(name) > NAME_MAX)."
        f" The app said: \"{said}\"",
        where=[AUTH_PY],
    )
    for name in ("", "   ", "x" * (NAME_MAX + 1), None):
        if name is None:
            request = "POST /login without a name field"
        else:
            request = f"POST /login with name={name[:12]!r}{'...' if len(name) > 12 else ''}"
        status, said, signed_in = login_outcome(app, {} if name is None else {"name": name})
        expect.that(
            status == 400,
            f"{request} answered {status}, expected 400 Bad Request: abort(400, ...). The app said: \"{said}\"",
            where=[AUTH_PY],
        )
        expect.that(signed_in is None, f"{request} signed someone in.", where=[AUTH_PY])


@check(4, CONFIG)
def session_cookie_is_httponly_and_samesite(make_app):
    """The session cookie is set HttpOnly and SameSite=Lax."""
    cookie = remembered_cookie(make_app(probes=("remember",)))
    expect.that(cookie, "A view that stores something in the session should set the session cookie.", where=[CONFIG_PY])
    expect.that(
        "HttpOnly" in cookie,
        "The session cookie should be HttpOnly (SESSION_COOKIE_HTTPONLY=True), so that no script can read it:"
        f" {cookie[:40]}...",
        where=[CONFIG_PY],
    )
    expect.that(
        "SameSite=Lax" in cookie,
        f"The session cookie should be SameSite=Lax (SESSION_COOKIE_SAMESITE=\"Lax\"): {cookie[:40]}...",
        where=[CONFIG_PY],
    )


def remembered_cookie(app):
    """The Set-Cookie header of the session that a view of ``app`` stored something in ("" if none)."""
    response = app.test_client().get("/workshop-remember")
    return next((v for v in response.headers.getlist("Set-Cookie") if v.startswith("session=")), "")


@check(4, CONFIG)
def tampered_cookie_means_signed_out(make_app, client, app_parent):
    """The session is signed with a secret key kept out of the code: a changed cookie means signed out."""
    cookie = remembered_cookie(make_app(probes=("remember",), defaults=False, TESTING=True))
    value = cookie.split(";", 1)[0].removeprefix("session=")
    key = signing_key(value, source.constants(app_parent))
    expect.that(
        key is None,
        f"create_app uses the SECRET_KEY {key!r}, written in the code: a key in the code is public,"
        " so anyone could sign a session cookie. Keep it in instance/config.py or FLASK_SECRET_KEY.",
        where=[CONFIG_PY],
    )
    with session_transaction(client) as session:
        session["name"] = "Ada"
    value = client.get_cookie("session").value
    forged = value[:-3] + ("A" if value[-3] != "A" else "B") + value[-2:]  # breaks the signature
    client.set_cookie("session", forged)
    url, response = on_the_layout(client)
    expect.that(
        "Signed in as" not in response.get_data(as_text=True),
        "A tampered session cookie must not keep the visitor signed in.", response, [CONFIG_PY],
    )
    expect.that(
        sign_in_form(response),
        f"GET {url} with a tampered session cookie should show the visitor signed out: the sign-in form of the nav.",
        response, [BASE_HTML],
    )


CSRF = "part1_basic_app/__init__.py and the forms of templates/base.html, notes.html, TODO step 4"
NOTES_HTML = "part1_basic_app/templates/notes.html"
ERRORS_PY = "part1_basic_app/errors.py"
# (page, the form's action, its fields): the forms a visitor posts, in the order a visitor would
FORMS: tuple[tuple[str, str, dict[str, str]], ...] = (
    ("/notes", "/notes", {"title": "Real", "body": ""}), ("/", "/login", {"name": "Ada"}), ("/", "/logout", {}),
)
FORM_TEMPLATES = {"/notes": NOTES_HTML, "/login": BASE_HTML, "/logout": BASE_HTML}


def form_token(client, page, action):
    """The csrf_token of the form on ``page`` that posts to ``action``; None when there is no such form."""
    response = expect.answered(client, page)
    if response is None:
        return None  # a page that did not answer earlier: the check that was stopped says so
    form = next((f for f in expect.forms(response) if expect.posts_to(f, action, page)), None)
    if form is None:
        return None  # a form still to do: the checks of its step report it
    token = form["fields"].get("csrf_token", {}).get("value")
    expect.that(
        token, f'The form on {page} that posts to {action} has no CSRF token: add'
        ' <input type="hidden" name="csrf_token" value="{{ csrf_token() }}"> to it.', response,
        [FORM_TEMPLATES[action]],
    )
    return token


def answers(app, with_tokens):
    """The response to each form post, sent with the token of its form (or, without CSRF protection, without one)."""
    client = app.test_client()
    responses = {}
    for page, action, fields in FORMS:
        token = form_token(client, page, action) if with_tokens else ""
        if token is not None:
            responses[action] = client.post(action, data={**fields, "csrf_token": token} if token else fields)
    return responses


@check(4, CSRF)
def forms_need_the_csrf_token(make_app):
    """With CSRF protection on, a form post without the page's token answers 400 and changes nothing."""
    app = make_app(WTF_CSRF_ENABLED=True)
    client = app.test_client()
    for data, what in (({}, "without a CSRF token"), ({"csrf_token": "forged"}, "with a forged CSRF token")):
        for url, fields in (("/notes", {"title": "Planted", "body": ""}), ("/login", {"name": "Mallory"})):
            response = client.post(url, data={**fields, **data})
            if response.status_code != 400 and "csrf" not in app.extensions:  # the app's own word: only for the message
                expect.fail("CSRF protection is not set up: call csrf.init_app(app) in create_app.", where=[CONFIG_PY])
            expect.status(response, 400, f"POST {url} {what}", [CONFIG_PY])
            expect.that(
                "/static/style.css" in response.get_data(as_text=True)
                and re.search(r"expired|another site", response.get_data(as_text=True)),
                f"POST {url} {what} should answer the error page, on the layout, saying that the form expired or came"
                " from another site.",
                response, [ERRORS_PY],
            )
    expect.that(stored_notes(app) == [], "A form post without a valid CSRF token must store nothing.",
                where=[CONFIG_PY])
    expect.that(session_value(client) is None, "A sign-in without a valid CSRF token must sign nobody in.",
                where=[CONFIG_PY])
    unprotected_app = make_app()
    unprotected = answers(unprotected_app, with_tokens=False)
    for action, response in answers(app, with_tokens=True).items():
        status, without = response.status_code, unprotected[action].status_code
        said = expect.body_text(response)
        unknown = "Unknown field" in said
        expect.that(
            status == without,
            f"POST {action} with the token of its form answered {status}, but {without} without CSRF protection: "
            + (f"the view refused the form's csrf_token field (\"{said}\"): read only the fields it needs"
               " from request.form."
               if unknown else "the token in the form is not the one csrf_token() makes."),
            response, [] if unknown else [FORM_TEMPLATES[action]],
        )
    api = {name: a.test_client().post("/api/notes", json={"title": "By the API"}).status_code
           for name, a in (("on", app), ("off", unprotected_app))}
    expect.that(
        api["on"] == api["off"],
        f"POST /api/notes answered {api['on']} with CSRF protection on, {api['off']} without: exempt the JSON API with"
        " csrf.exempt(api.bp).",
        where=[CONFIG_PY],
    )
