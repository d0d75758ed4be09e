"""The class report in a real browser: pass rates of a known class, links to feedback, accessibility."""

import pytest
from helpers.gradebook_class import record

from workshop.grading.outputs import bundle
from workshop.grading.outputs import points
from workshop.grading.outputs import roster
from workshop.judge import CHECKS

pytest_plugins = ["helpers.browser_support"]

# Step 1 reached by all four graded learners, step 2 by three, step 3 by two, steps 4-6 by one.
CLASS = [
    record("Ada Lovelace", (1, 2, 3, 4, 5, 6)),
    record("bob", (1, 2, 3), failures={}),
    record("Chloé", (1, 2)),
    record("dan", (1,)),
    record("<img src=x onerror=alert(1)>", status="invalid", message="The folder is empty.", results=False),
]
CLASS[2]["results"][6].update(passed=False, message="POST /api/notes answered 200, not 201.")  # Chloé, step 2
CLASS[1]["results"][6].update(passed=False, message="POST /api/notes answered 200, not 201.")  # bob, step 2
CLASS[1]["flags"] = ["identical to the step 3 catch-up checkpoint"]
# With the platforms' files: the ungraded learner, who has no email either, is left out of both.
PEOPLE = [roster.Person(r["learner"], f"s{n}", f"{n}@example.org" if r["results"] else "") for n, r in enumerate(CLASS)]


@pytest.fixture(scope="module")
def report_url(tmp_path_factory):
    out = tmp_path_factory.mktemp("report")
    (out / "overrides.csv").write_text("learner,check,points,comment\ndan,total,8,Showed step 2 working in class\n")
    bundle.write(out, CLASS, bundle.Settings(weights=points.default(), people=PEOPLE, formats=bundle.FORMATS))
    return (out / "report.html").as_uri()


def rate_cells(page, step):
    table = page.get_by_role("table").filter(has=page.locator("caption", has_text=f"Step {step}:"))
    rows = table.locator("tbody tr")
    return [(rows.nth(i).locator(".attempted").inner_text(), rows.nth(i).locator(".overall").inner_text())
            for i in range(rows.count())]


def test_report_shows_pass_rates_among_those_who_reached_each_step(page, report_url, dialogs):
    page.goto(report_url)
    assert dialogs == [], "a learner's name ran as script"
    assert rate_cells(page, 1) == [("100% (4/4)", "100% (4/4)")] * 5
    step2 = rate_cells(page, 2)
    assert step2[1] == ("33% (1/3)", "25% (1/4)"), "201 check: only Ada of the three who reached step 2"
    assert step2[0] == ("100% (3/3)", "75% (3/4)")
    assert rate_cells(page, 4) == [("100% (1/1)", "25% (1/4)")] * sum(c.step == 4 for c in CHECKS)
    cause = page.locator("tr.cause").first
    assert "answered 200, not 201" in cause.inner_text() and cause.locator("td").first.inner_text() == "2"
    assert page.locator("tr.flagged").inner_text().startswith("bob")
    dan = page.locator("tr.learner.overridden")
    assert dan.count() == 1 and "dan overridden" in dan.inner_text() and f"8/{len(CHECKS)}" in dan.inner_text()
    page.screenshot(path=exports_screenshot(), full_page=True)


def exports_screenshot():
    from helpers.browser_support import ARTIFACTS
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS / "class-report.png"


def test_a_learners_row_links_to_their_feedback(page, report_url, expect):
    page.goto(report_url)
    page.locator("tr.learner").filter(has_text="Chloé").get_by_role("link", name="Chloé").click()
    expect(page.locator("body")).to_contain_text("Feedback for Chloé")
    passed = sum(c.step in (1, 2) for c in CHECKS) - 1
    assert f"{passed} of {len(CHECKS)} checks pass." in page.locator("body").inner_text()


def test_report_has_no_accessibility_violation(page, report_url):
    from axe_playwright_python.sync_playwright import Axe

    page.goto(report_url)
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()


def test_the_learners_left_out_of_the_platforms_files_are_listed_with_the_reason(page, report_url, dialogs):
    page.goto(report_url)
    rows = page.locator("tr.left-out")
    assert [rows.nth(i).locator("td").all_inner_texts()[:2] for i in range(rows.count())] == [
        ["<img src=x onerror=alert(1)>", "grades-moodle.csv"], ["<img src=x onerror=alert(1)>", "grades-canvas.csv"]]
    assert "no email address" in rows.nth(0).inner_text() and "no points" in rows.nth(1).inner_text()
    assert dialogs == [], "the name is shown as text, never run"
