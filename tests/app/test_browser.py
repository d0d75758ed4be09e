"""The reference app in a real browser, served by a production WSGI server (waitress)."""

import shutil

import pytest

from workshop import APP_NAME
from workshop import forget_app
from workshop import SOLUTION_DIR
from workshop.app_process.app_server import load_package
from workshop.servers import DevelopmentServer
from workshop.servers import WaitressServer

pytest_plugins = ["helpers.browser_support"]

pytestmark = pytest.mark.slow  # minutes, not seconds: .ci/run runs it with one Python only


@pytest.fixture(scope="module")
def solution_parent(tmp_path_factory):
    """A copy of the solution package, so that its instance folder is a temporary one too."""
    parent = tmp_path_factory.mktemp("solution")
    shutil.copytree(
        SOLUTION_DIR / APP_NAME, parent / APP_NAME,
        ignore=shutil.ignore_patterns("tests", "__pycache__"),
    )
    return parent


@pytest.fixture
def base_url(solution_parent, tmp_path):
    """The solution app with an empty database, served by waitress on a free loopback port."""
    try:
        app = load_package(solution_parent).create_app(
            {"SECRET_KEY": "browser-tests", "DATABASE": str(tmp_path / "notes.sqlite")}
        )
    finally:
        forget_app()
    server = WaitressServer(app)
    yield server.url
    server.stop()


def expect_layout(page, title):
    """The page is on the layout: its title, and the nav with its links."""
    assert page.title() == f"{title} · Notes"
    nav = page.locator("nav")
    assert nav.get_by_role("link", name="Home").get_attribute("href") == "/"
    assert nav.get_by_role("link", name="Notes").get_attribute("href") == "/notes"


def submit(page, button):
    """Click a form's submit button; return the response to the POST."""
    with page.expect_response(lambda r: r.request.method == "POST") as posted:
        button.click()
    return posted.value


def test_home_page_renders_on_the_layout_with_its_stylesheet(page, expect):
    responses = []
    page.on("response", lambda response: responses.append(response))
    assert page.goto("/").status == 200
    expect_layout(page, "Home")
    expect(page.locator("h1")).to_have_text("Hello, Flask!")
    page.get_by_role("link", name="your notes").click()
    expect(page).to_have_title("Notes · Notes")
    assert [(r.url, r.status) for r in responses if r.status >= 400] == []
    assert any(r.url.endswith("/static/style.css") for r in responses)
    rules = page.evaluate("[...document.styleSheets].reduce((n, sheet) => n + sheet.cssRules.length, 0)")
    assert rules > 0, "the stylesheet is loaded"


@pytest.mark.parametrize("name", ["<script>alert('script')", "<img src=x onerror=alert('img')>"])
def test_hello_shows_html_in_the_name_as_text_and_never_runs_it(page, dialogs, name):
    assert page.goto("/hello/" + name).status == 200
    assert dialogs == [], "a script from the URL ran"
    expect_layout(page, "Hello")
    assert page.locator("h1").inner_text() == f"Hello, {name}!"
    assert page.locator("main img, main script").count() == 0


def test_adding_a_note_redirects_flashes_once_and_is_in_the_api(page, expect):
    page.goto("/notes")
    expect_layout(page, "Notes")
    expect(page.locator("ul.notes")).to_have_text("No notes yet.")
    page.get_by_role("textbox", name="Title", exact=True).fill("Buy milk")
    page.get_by_role("textbox", name="Body", exact=True).fill("Two litres, semi-skimmed.")
    posted = submit(page, page.get_by_role("button", name="Add note"))
    assert (posted.status, posted.header_value("location")) == (303, "/notes")
    expect(page.locator("p.flash")).to_have_text(["Added the note “Buy milk”."])
    expect(page.locator("ul.notes li strong")).to_have_text(["Buy milk"])

    assert page.reload().request.method == "GET"
    expect(page.locator("ul.notes li strong")).to_have_text(["Buy milk"])
    expect(page.locator("p.flash")).to_have_count(0)

    api = page.request.get("/api/notes")
    assert api.status == 200
    assert [(n["title"], n["body"]) for n in api.json()] == [("Buy milk", "Two litres, semi-skimmed.")]


def test_an_invalid_note_shows_the_error_and_keeps_what_was_typed(page, expect):
    page.goto("/notes")
    page.get_by_role("textbox", name="Title", exact=True).fill("   ")
    page.get_by_role("textbox", name="Body", exact=True).fill("A body without a title.")
    posted = submit(page, page.get_by_role("button", name="Add note"))
    assert posted.status == 400
    expect(page.get_by_role("alert")).to_have_text("A title is required: a non-empty string.")
    expect_layout(page, "Notes")
    expect(page.get_by_role("textbox", name="Title", exact=True)).to_have_value("   ")
    expect(page.get_by_role("textbox", name="Body", exact=True)).to_have_value("A body without a title.")
    expect(page.locator("ul.notes")).to_have_text("No notes yet.")
    assert page.request.get("/api/notes").json() == []


def test_signing_in_greets_on_every_page_until_signing_out(page, expect):
    nav = page.locator("nav")
    page.goto("/")
    expect(nav.locator(".user")).to_have_count(0)
    nav.get_by_role("textbox", name="Name", exact=True).fill("Ada")
    assert submit(page, nav.get_by_role("button", name="Sign in")).status == 303
    expect(page.locator("p.flash")).to_have_text(["Welcome, Ada!"])
    expect(nav.locator(".user")).to_have_text("Signed in as Ada")

    nav.get_by_role("link", name="Notes").click()
    expect(page).to_have_title("Notes · Notes")
    expect(nav.locator(".user")).to_have_text("Signed in as Ada")
    page.goto("/hello/you")
    expect(nav.locator(".user")).to_have_text("Signed in as Ada")
    expect(nav.get_by_role("button", name="Sign in")).to_have_count(0)

    [cookie] = page.context.cookies()
    assert (cookie["name"], cookie["httpOnly"], cookie["sameSite"]) == ("session", True, "Lax")

    assert submit(page, nav.get_by_role("button", name="Sign out")).status == 303
    expect(page.locator("p.flash")).to_have_text(["You are signed out."])
    page.goto("/notes")
    expect(nav.locator(".user")).to_have_count(0)
    expect(nav.get_by_role("button", name="Sign in")).to_have_count(1)


def test_an_unknown_page_shows_the_404_page_on_the_layout(page, expect):
    response = page.goto("/no/such/page")
    assert response.status == 404
    expect_layout(page, "404 Not Found")
    expect(page.locator("h1")).to_have_text("404 Not Found")
    page.get_by_role("link", name="Back to the home page").click()
    expect(page.locator("h1")).to_have_text("Hello, Flask!")


@pytest.mark.parametrize("action, field", [("/notes", "title"), ("/login", "name")])
def test_a_form_posted_from_another_site_is_refused_and_changes_nothing(page, expect, base_url, action, field):
    def other_site(environ, start_response):
        """A page on another origin (another port) with a form that posts to the app."""
        html = (
            f'<form method="post" action="{base_url}{action}">'
            f'<input name="{field}" value="Mallory"><button type="submit">Win a prize</button></form>'
        )
        start_response("200 OK", [("Content-Type", "text/html; charset=utf-8")])
        return [html.encode()]

    page.goto("/notes")  # the visitor has the app's session cookie, which a same-site post carries along
    other = DevelopmentServer(other_site)
    try:
        page.goto(other.url)
        refused = submit(page, page.get_by_role("button", name="Win a prize"))
    finally:
        other.stop()
    assert refused.status == 400
    expect_layout(page, "400 Bad Request")
    expect(page.locator("main")).to_contain_text("expired or was sent from another site")
    assert page.request.get("/api/notes").json() == []
    page.goto("/")
    expect(page.locator("nav .user")).to_have_count(0)
