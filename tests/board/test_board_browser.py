"""The instructor's page of the class board in Chromium: live without a reload, and accessible."""

import json
import re

import pytest

from workshop import SOLUTION_DIR
from workshop.board import client as board_client
from workshop.board.app import create_app
from workshop.selfcheck import run

pytest_plugins = ["helpers.browser_support"]

NAME = "Zoë O’Brien-Ng"
HTML = "<img src=x onerror=alert('title')>"  # check titles are text, never HTML


@pytest.fixture
def board(tmp_path):
    return create_app({"DATABASE": str(tmp_path / "board.sqlite"), "REFRESH_SECONDS": 0.2, "STUCK_SECONDS": 0})


@pytest.fixture
def joined(board, base_url, secret_file):
    """This test session is a learner who joined the board."""
    board_client.join(f"{base_url}/join/{board.config['CLASS_CODE']}", NAME)


def test_a_learner_turns_from_failing_to_passing_on_the_open_page(page, expect, dialogs, board, base_url, joined,
                                                                  starter_parent):
    page.goto(f"/instructor/{board.config['INSTRUCTOR_SECRET']}/")
    assert page.url == f"{base_url}/instructor/"  # the projector shows no secret
    page.evaluate("window.notReloaded = true")
    row = page.locator("#learners tr")
    expect(row.locator("th")).to_have_text(NAME)
    step_1 = row.locator("td").first
    expect(step_1).to_have_text("not yet")

    run(1, starter_parent)
    expect(step_1).to_have_text(re.compile(r"^❌ 0 of \d+ pass$"))
    expect(step_1).to_have_class("fail")
    expect(page.locator("#stuck li").first).to_contain_text(f"{NAME}: step 1, “")
    expect(page.locator("#finished li").first).to_have_text("Step 1: 0 of 1")

    run(1, SOLUTION_DIR)
    expect(step_1).to_have_text(re.compile(r"^✅ all \d+ pass$"))
    expect(step_1).to_have_class("pass")
    expect(page.locator("#stuck li")).to_have_text(["Nobody is stuck."])
    expect(page.locator("#finished li").first).to_have_text("Step 1: 1 of 1")
    expect(page.locator("#status")).to_contain_text("Updated at")
    assert page.evaluate("window.notReloaded") is True
    assert dialogs == [] and page.locator("main img").count() == 0


def test_the_instructors_page_has_no_axe_core_violation(page, expect, board, joined, secret_file):
    from axe_playwright_python.sync_playwright import Axe  # here: without a browser, the test is skipped first

    token = {"Authorization": "Bearer " + json.loads(secret_file.read_text())["token"]}
    checks = [{"name": "index", "title": "GET / answers", "passed": True},
              {"name": "hello", "title": HTML, "passed": False}]
    assert page.request.post("/api/checks", data={"step": 1, "checks": checks}, headers=token).ok
    page.goto(f"/instructor/{board.config['INSTRUCTOR_SECRET']}/")
    expect(page.locator("#learners td.fail")).to_have_count(1)
    expect(page.locator("#failing li")).to_have_text([f"Step 1: “{HTML}”, 1 learner"])
    assert page.locator("main img").count() == 0
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()


def test_the_instructor_removes_a_learner_and_a_burst_from_the_page(page, expect, board, base_url):
    for name in ("Ada", "Bot 1", "Bot 2"):
        assert page.request.post(f"/join/{board.config['CLASS_CODE']}", data={"name": name}).ok
    page.goto(f"/instructor/{board.config['INSTRUCTOR_SECRET']}/")
    page.evaluate("window.confirm = () => true")
    rows = page.locator("#learners th")
    expect(rows).to_have_text(["Ada", "Bot 1", "Bot 2"])
    page.get_by_role("button", name="Remove Ada", exact=True).click()
    expect(rows).to_have_text(["Bot 1", "Bot 2"])
    page.get_by_role("button", name="Remove Bot 2 and the 1 who joined from the same computer with Bot 2").click()
    expect(rows).to_have_count(0)
