"""The projector's page and the groups of the instructor's page in Chromium: counts and stuck
points without names or secrets, following learners' self-checks without a reload."""

import json
import re

import pytest

from workshop import SOLUTION_DIR
from workshop.board import client as board_client
from workshop.board.app import create_app
from workshop.judge import CHECKS
from workshop.selfcheck import run

pytest_plugins = ["helpers.browser_support"]

ZOE = "Zoë O’Brien-Ng"
OTHERS = ("Grace Hopper", "Alan Turing")
READ = next(judged for judged in CHECKS if judged.name == "get_one_note_or_404")  # a check of step 2
SAME_KIND = [  # the first failing check of both, with their own values: one kind
    {"name": READ.name, "title": READ.title, "passed": False, "kind": kind}
    for kind in ('got "Grace\'s note" (line 3)', 'got "Alan" (line 12)')
]


@pytest.fixture
def board(tmp_path):
    return create_app({"DATABASE": str(tmp_path / "board.sqlite"), "REFRESH_SECONDS": 0.2})


@pytest.fixture
def tokens(page, board, base_url, secret_file):
    """Zoë joined from this computer (her self-checks report to the board), the others through the API."""
    board_client.join(f"{base_url}/join/{board.config['CLASS_CODE']}", ZOE)
    return {name: page.request.post(f"/join/{board.config['CLASS_CODE']}", data={"name": name}).json()["token"]
            for name in OTHERS}


def report(page, token, step, checks):
    headers = {"Authorization": f"Bearer {token}"}
    assert page.request.post("/api/checks", data={"step": step, "checks": checks}, headers=headers).ok


def test_the_projector_shows_counts_and_stuck_points_live_without_names_or_secrets(
        page, expect, board, base_url, tokens, secret_file, starter_parent):
    page.goto(f"/instructor/{board.config['INSTRUCTOR_SECRET']}/")
    with page.context.expect_page() as opened:
        page.get_by_role("link", name="Open the projector's page").click()
    projector = opened.value
    projector.wait_for_load_state()
    assert projector.url == f"{base_url}/instructor/projector/"
    projector.evaluate("window.notReloaded = true")
    join = f"python3 -m workshop join {base_url}/join/{board.config['CLASS_CODE']}"
    expect(projector.locator("#join")).to_have_text(join)
    expect(projector.locator("#joined")).to_have_text("3 learners joined.")
    expect(projector.locator("#stuck li")).to_have_text(["Nobody's latest self-check fails."])

    run(1, starter_parent)  # Zoë's self-check fails: a group of one
    step_1 = projector.locator("#steps tr").first
    expect(step_1.locator("td")).to_have_text(["1", "0"])
    expect(projector.locator("#stuck li")).to_have_count(1)
    expect(projector.locator("#stuck li").first).to_contain_text("1 learner: step 1, “")
    for token, check in zip(tokens.values(), SAME_KIND, strict=True):
        report(page, token, 2, [check])
    first = projector.locator("#stuck li").first
    expect(first).to_have_text(f"2 learners: step 2, “{READ.title}”")  # no kind of failure: learners' text
    expect(projector.locator("#steps tr").nth(1).locator("td")).to_have_text(["2", "0"])

    run(1, SOLUTION_DIR)  # Zoë's self-check passes: her group is gone, she is on to step 2
    expect(projector.locator("#stuck li")).to_have_count(1)
    expect(step_1.locator("td")).to_have_text(["0", "1"])
    expect(projector.locator("#steps tr").nth(1).locator("td")).to_have_text(["3", "0"])
    assert projector.evaluate("window.notReloaded") is True

    shown = projector.content() + projector.url
    learner_tokens = [*tokens.values(), json.loads(secret_file.read_text())["token"]]
    for secret in (ZOE, "Zoë", *OTHERS, "Grace", "Alan", board.config["INSTRUCTOR_SECRET"], *learner_tokens):
        assert secret not in shown


def test_the_instructors_page_groups_learners_with_their_names(page, expect, board, tokens, starter_parent):
    page.goto(f"/instructor/{board.config['INSTRUCTOR_SECRET']}/")
    page.evaluate("window.notReloaded = true")
    groups = page.locator("#groups > li")
    expect(groups).to_have_text(["Nobody's latest self-check fails."])
    for token, check in zip(tokens.values(), SAME_KIND, strict=True):
        report(page, token, 2, [check])
    expect(groups).to_have_count(1)
    expect(groups.first.locator(".names")).to_have_text("Alan Turing, Grace Hopper")
    run(1, starter_parent)
    expect(groups).to_have_count(2)
    expect(groups.nth(0)).to_contain_text(f"2 learners: step 2, “{READ.title}”")
    expect(groups.nth(1)).to_contain_text(re.compile(r"^1 learner: step 1, “"))
    expect(groups.nth(1).locator(".names")).to_have_text(ZOE)
    assert page.evaluate("window.notReloaded") is True


def test_the_projectors_page_has_no_axe_core_violation(page, expect, board, tokens):
    from axe_playwright_python.sync_playwright import Axe  # here: without a browser, the test is skipped first

    report(page, tokens["Grace Hopper"], 2, [SAME_KIND[0]])
    page.goto(f"/instructor/{board.config['INSTRUCTOR_SECRET']}/")
    page.goto("/instructor/projector/")
    expect(page.locator("#stuck li")).to_have_text([f"1 learner: step 2, “{READ.title}”"])
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()
