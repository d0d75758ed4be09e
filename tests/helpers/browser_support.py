"""Chromium through Playwright for the end-to-end tests, with evidence kept on failure.

A pytest plugin: the browser test modules load it with ``pytest_plugins = ["helpers.browser_support"]``
and use its fixtures (``browser``, ``page``, ``dialogs``, ``expect``, ``kept_files``; they override
``base_url``).
Tests that use the browser are marked ``browser``: ``-m "not browser"`` leaves them out.
Without Chromium or Playwright the tests are skipped, except with ``CI=true`` where they fail.
"""

import importlib.util
import os
import re
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
REPORTS = pytest.StashKey[dict]()


def missing_browser():
    """Why the browser tests cannot run on this machine, or None when they can."""
    if not CHROMIUM.exists():
        return f"no Chromium at {CHROMIUM} (Debian: apt-get install chromium)"
    if importlib.util.find_spec("playwright") is None:
        return "Playwright is not installed (pip install playwright)"
    return None


def pytest_configure(config):
    config.addinivalue_line("markers", "browser: end-to-end test in Chromium (deselect with -m 'not browser')")


def pytest_itemcollected(item):
    """Every test that uses the browser gets the ``browser`` marker."""
    if "browser" in getattr(item, "fixturenames", ()):
        item.add_marker("browser")


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """Keep each phase's report on the test item, so that fixtures know whether it failed."""
    report = yield
    item.stash.setdefault(REPORTS, {})[report.when] = report
    return report


def failed(node):
    return any(report.failed for report in node.stash.get(REPORTS, {}).values())


def artifact(node, suffix):
    """The path under test-artifacts/ for this test's file ending with ``suffix``."""
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS / (re.sub(r"\W+", "_", node.nodeid).strip("_") + suffix)


@pytest.fixture(scope="module")
def browser():
    """One headless Chromium for the test module."""
    reason = missing_browser()
    if reason:
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI=true but the browser tests cannot run: {reason}", pytrace=False)
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def expect(browser):
    """Playwright's assertions that wait for the page to match (``expect(locator).to_have_text(...)``)."""
    from playwright.sync_api import expect

    return expect


@pytest.fixture
def base_url():
    """The address that relative URLs are resolved against; test modules override it."""
    return None


@pytest.fixture
def dialogs():
    """The messages of the JavaScript dialogs (alert, confirm, ...) that the page opened."""
    return []


@pytest.fixture
def page(browser, base_url, dialogs, request):
    """A page in a fresh browser context (no cookies); on failure, its screenshot and HTML are kept."""
    context = browser.new_context(base_url=base_url)
    page = context.new_page()
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    yield page
    try:
        if failed(request.node):
            page.screenshot(path=artifact(request.node, ".png"), full_page=True)
            artifact(request.node, ".html").write_text(page.content(), encoding="utf-8")
    finally:
        context.close()


@pytest.fixture
def kept_files(request):
    """A list of files to copy to test-artifacts/ when the test fails (logs, for instance)."""
    files = []
    yield files
    if failed(request.node):
        for path in files:
            shutil.copyfile(path, artifact(request.node, "-" + Path(path).name))
