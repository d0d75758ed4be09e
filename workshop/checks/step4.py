"""Step 4, sessions: signing in and out with Flask's signed session cookie."""

import re

from . import expect
from .core import check
from .step3 import stored_notes

AUTH = "part1_basic_app/auth.py, TODO step 4"
NAV = "part1_basic_app/templates/base.html, TODO step 4"
CONFIG = "part1_basic_app/__init__.py, TODO step 4"


def sign_in(client, name="Ada"):
    response = client.post("/login", data={"name": name})
    expect.status(response, (302, 303), f"POST /login with name={name!r}")
    location = response.headers.get("Location", "")
    assert location in ("/", "http://localhost/"), f"POST /login should redirect to the home page /, not to {location or 'nowhere'}."
    return response


def signed_in_name(client):
    with client.session_transaction() as session:
        return session.get("name")


@check(4, AUTH)
def login_stores_the_name(client):
    """POST /login with a name keeps it in the session and redirects to /."""
    sign_in(client)
    assert signed_in_name(client) == "Ada", f"After POST /login with name=Ada, session['name'] is {signed_in_name(client)!r}, expected 'Ada'."


@check(4, NAV)
def greeting_on_every_page(client):
    """Once signed in, every page says "Signed in as" and the name; before, none does."""
    expect.status(client.get("/"), 200, "GET /")
    assert "Signed in as" not in client.get("/").get_data(as_text=True), "Before signing in, / should not say \"Signed in as\"."
    sign_in(client)
    for url in ("/", "/notes", "/hello/Bob"):
        response = client.get(url)
        expect.status(response, 200, f"GET {url}")
        expect.contains(response, "Signed in as", f"GET {url} after signing in", " (in the nav of base.html)")
        expect.contains(response, "Ada", f"GET {url} after signing in as Ada")


@check(4, AUTH)
def logout_forgets(client):
    """POST /logout clears the session and redirects to /."""
    sign_in(client)
    response = client.post("/logout")
    expect.status(response, (302, 303), "POST /logout")
    assert signed_in_name(client) is None, "After POST /logout, session['name'] should be gone (session.clear())."
    assert "Signed in as" not in client.get("/").get_data(as_text=True), "After signing out, / still says \"Signed in as\"."


@check(4, AUTH)
def login_refuses_a_bad_name(client):
    """POST /login with an empty or too long name answers 400 and signs nobody in."""
    sign_in(client, "Ada")
    for name in ("", "   ", "x" * 51):
        expect.status(client.post("/login", data={"name": name}), 400, f"POST /login with name={name[:12]!r}{'...' if len(name) > 12 else ''}")
    expect.status(client.post("/login", data={}), 400, "POST /login without a name field")


@check(4, CONFIG)
def session_cookie_is_httponly_and_samesite(client):
    """The session cookie is set HttpOnly and SameSite=Lax."""
    cookie = next((v for v in sign_in(client).headers.getlist("Set-Cookie") if v.startswith("session=")), None)
    assert cookie, "POST /login should set the session cookie."
    assert "HttpOnly" in cookie, f"The session cookie should be HttpOnly: {cookie[:40]}..."
    assert "SameSite=Lax" in cookie, f"The session cookie should be SameSite=Lax (SESSION_COOKIE_SAMESITE): {cookie[:40]}..."


@check(4, AUTH)
def tampered_cookie_means_signed_out(client):
    """A session cookie changed by the visitor is rejected: signed out, not an error."""
    sign_in(client)
    value = client.get_cookie("session").value
    forged = value[:-3] + ("A" if value[-3] != "A" else "B") + value[-2:]  # breaks the signature
    client.set_cookie("session", forged)
    response = client.get("/")
    expect.status(response, 200, "GET / with a tampered session cookie")
    assert "Signed in as" not in response.get_data(as_text=True), "A tampered session cookie must not keep the visitor signed in."


CSRF = "part1_basic_app/__init__.py and the forms of templates/base.html, notes.html, TODO step 4"


def form_token(client, url, action):
    """The csrf_token field of the form on page ``url`` that posts to ``action``."""
    response = client.get(url)
    expect.status(response, 200, f"GET {url}")
    forms = re.findall(r"<form\b[^>]*>.*?</form>", response.get_data(as_text=True), re.S | re.I)
    form = next((f for f in forms if re.search(rf"action=[\"']?{re.escape(action)}[\"'\s>]", f)), None)
    assert form, f"GET {url} should have a form that posts to {action}."
    field = next((tag for tag in re.findall(r"<input\b[^>]*>", form) if re.search(r"name=[\"']?csrf_token\b", tag)), "")
    value = re.search(r"value=[\"']([^\"']+)", field)
    assert value, f'The form that posts to {action} has no CSRF token: add <input type="hidden" name="csrf_token" value="{{{{ csrf_token() }}}}"> to it.'
    return value[1]


@check(4, CSRF)
def forms_need_the_csrf_token(make_app, package):
    """With CSRF protection on, a form post without the page's token answers 400 and changes nothing."""
    app = make_app(WTF_CSRF_ENABLED=True)
    client = app.test_client()
    for data, what in (({}, "without a CSRF token"), ({"csrf_token": "forged"}, "with a forged CSRF token")):
        response = client.post("/notes", data={"title": "Planted", **data})
        expect.status(response, 400, f"POST /notes {what} (call csrf.init_app(app) in create_app)")
        expect.contains(response, "/static/style.css", f"POST /notes {what}", " (the error page, on the layout)")
        assert re.search(r"expired|another site", response.get_data(as_text=True)), f"POST /notes {what}: the error page should say that the form expired or came from another site."
        expect.status(client.post("/login", data={"name": "Mallory", **data}), 400, f"POST /login {what}")
    assert stored_notes(app, package) == [], "A form post without a valid CSRF token must store nothing."
    assert signed_in_name(client) is None, "A sign-in without a valid CSRF token must sign nobody in."
    expect.status(client.post("/notes", data={"title": "Real", "csrf_token": form_token(client, "/notes", "/notes")}), (302, 303), "POST /notes with the token of the page's form")
    expect.status(client.post("/login", data={"name": "Ada", "csrf_token": form_token(client, "/", "/login")}), (302, 303), "POST /login with the token of the page's form")
    expect.status(client.post("/logout", data={"csrf_token": form_token(client, "/", "/logout")}), (302, 303), "POST /logout with the token of the page's form")
    assert [n["title"] for n in stored_notes(app, package)] == ["Real"], "POST /notes with the page's CSRF token should store the note."
    expect.status(client.post("/api/notes", json={"title": "By the API"}), 201, "POST /api/notes with CSRF protection on (exempt the API: csrf.exempt(api.bp))")
