"""Step 4, sessions: signing in and out with Flask's signed session cookie."""

from . import expect
from .core import check

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
