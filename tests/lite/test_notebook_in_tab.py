"""The notebooks' helpers in the browser tab (Pyodide: no server, no process), tried here under CPython."""

import html
import io
import re

import IPython.display
import pytest

from workshop import APP_NAME
from workshop import forget_app
from workshop import notebook
from workshop import setupcheck
from workshop.release import render_tree
from workshop.release import write_tree


@pytest.fixture
def in_tab(monkeypatch):
    monkeypatch.setattr(notebook, "IN_BROWSER", True)
    monkeypatch.setattr(setupcheck, "IN_BROWSER", True)
    yield
    notebook.stop()


def hello_wsgi(environ, start_response):
    start_response("200 OK", [("Content-Type", "text/html")])
    return [f"<p>Hello from {environ['PATH_INFO']} & co</p>".encode()]


def test_serve_shows_the_page_inline_and_fetch_goes_through_the_test_client(in_tab, capsys, monkeypatch):
    displayed = []
    monkeypatch.setattr(IPython.display, "display", lambda shown: displayed.append(shown.data))
    server = notebook.serve(hello_wsgi)
    assert isinstance(server, notebook.PageInTab)
    shown = capsys.readouterr().out + "".join(displayed)
    assert "⚪ Not in the browser" in shown and "python3 -m workshop run" in shown
    assert 'srcdoc="&lt;p&gt;Hello from / &amp; co&lt;/p&gt;"' in shown  # escaped once for the attribute
    response = notebook.fetch("/over/real/http")
    assert (response.status_code, response.text) == (200, "<p>Hello from /over/real/http & co</p>")
    assert response.headers["Server"] == notebook.PageInTab.SERVER


def test_production_serve_says_waitress_needs_a_real_computer(in_tab, capsys):
    notebook.serve(hello_wsgi, production=True)
    assert "waitress needs a real computer" in capsys.readouterr().out
    assert notebook.fetch("/x", "POST", data={"a": "b"}).status_code == 200


def test_fetch_without_a_served_app_says_what_to_do():
    notebook.stop()
    with pytest.raises(RuntimeError, match="serve"):
        notebook.fetch("/")


def test_fetch_uses_requests_against_the_real_server():
    notebook.serve(hello_wsgi)
    try:
        response = notebook.fetch("/real")
    finally:
        notebook.stop()
    assert response.text == "<p>Hello from /real & co</p>" and "Werkzeug" in response.headers["Server"]


def test_run_pytest_in_the_kernel_forgets_the_test_modules(in_tab, tmp_path, capsys):
    (tmp_path / "test_demo_in_tab.py").write_text("def test_one():\n    assert 1 + 1 == 2\n")
    for _ in range(2):  # a second run imports the module again
        assert notebook.run_pytest(tmp_path, "-q", "test_demo_in_tab.py") == 0
    assert capsys.readouterr().out.count("1 passed") == 2


def test_setup_check_in_the_tab_marks_what_cannot_apply_white_not_red(in_tab):
    report = setupcheck.SetupReport(setupcheck.run_all())
    text = str(report)
    assert "❌" not in text, text
    assert text.count("⚪") == 4  # jupyterlab, nbclient, the virtual environment, a free port
    assert report.ok and f"{report.passed} of {report.applies} checks pass" in report.summary()


def test_the_page_in_the_tab_has_the_apps_stylesheet_inline(in_tab, monkeypatch, tmp_path):
    displayed = []
    monkeypatch.setattr(IPython.display, "display", lambda shown: displayed.append(shown.data))
    write_tree(render_tree(3), tmp_path / APP_NAME)  # a home page from the templates
    monkeypatch.syspath_prepend(tmp_path)
    try:
        notebook.serve(notebook.fresh_app())
    finally:
        forget_app()
    srcdoc = html.unescape(re.search(r'srcdoc="([^"]*)"', displayed[0])[1])
    assert 'rel="stylesheet"' not in srcdoc
    assert f"<style>{render_tree(3)['static/style.css']}</style>" in srcdoc


def test_a_stylesheet_the_app_does_not_serve_stays_a_link(in_tab):
    page = '<link rel="stylesheet" href="/static/none.css"><link href="https://cdn.example/x.css" rel=stylesheet>'
    assert notebook.serve(hello_wsgi_404).with_styles(page) == page


def hello_wsgi_404(environ, start_response):
    start_response("404 Not Found", [("Content-Type", "text/plain")])
    return [b"not here"]


def test_catchup_in_a_cell_writes_the_app_after_the_step_and_keeps_the_learners_work(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("WORKSHOP_APP_PARENT", str(tmp_path))
    monkeypatch.setattr("sys.stdin", io.StringIO(""))  # a kernel: no one to ask
    write_tree(render_tree(6), tmp_path / APP_NAME)
    notebook.catchup(5)
    assert "catchup(5, yes=True)" in capsys.readouterr().out
    assert (tmp_path / APP_NAME / "errors.py").read_text() == render_tree(6)["errors.py"]  # nothing changed
    notebook.catchup(5, yes=True)
    assert (tmp_path / APP_NAME / "errors.py").read_text() == render_tree(5)["errors.py"]
    assert "run the cells again" in capsys.readouterr().out
    saved = [(p / "errors.py").read_text() for p in tmp_path.glob(f"{APP_NAME}.backup-*")]
    assert saved == [render_tree(6)["errors.py"]]
