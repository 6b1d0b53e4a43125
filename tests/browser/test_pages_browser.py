"""A learner in a real browser (headless Debian Chromium driven by Playwright)."""

from __future__ import annotations

import pytest

from catalog.models import Mode
from tests.builders import make_area, make_batch, make_campus, make_course, make_institute, make_tool
from tests.chromium import BROWSER_TEST

pytestmark = BROWSER_TEST


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def catalog(db):
    hitec = make_area(name="HITEC City", slug="hitec-city")
    make_area(name="Online", slug="online", latitude=None, longitude=None)
    institute = make_institute(name="Cyberabad MLOps Institute")
    campus = make_campus(institute, hitec)
    kubernetes = make_tool(name="Kubernetes", slug="kubernetes", synonyms=["k8s"])
    classroom = make_course(
        title="Kubernetes for ML Engineers", institute=institute, campuses=[campus], mode=Mode.CLASSROOM
    )
    online = make_course(title="Kubernetes Online Sprint", institute=institute, mode=Mode.ONLINE)
    for course in (classroom, online):
        course.tools = [kubernetes]
        make_batch(course, starts_in_days=14)
    make_course(title="Statistics Refresher", institute=institute)
    db.session.commit()


def test_learner_searches_filters_and_opens_a_course(live_server, page, catalog):
    page.goto(live_server + "/")
    page.get_by_label("Search courses").first.fill("k8s")
    page.get_by_label("Search courses").first.press("Enter")
    page.wait_for_url("**/courses?**")
    results = page.locator("main")
    assert "Kubernetes for ML Engineers" in results.inner_text()
    assert "Statistics Refresher" not in results.inner_text()

    page.locator("input[name=mode][value=online]").check()
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_url("**mode=online**")
    assert "Kubernetes Online Sprint" in page.locator("main").inner_text()
    assert "Kubernetes for ML Engineers" not in page.locator("main").inner_text()

    page.locator("a.chip").first.click()
    page.wait_for_load_state()
    assert "mode=" not in page.url
    assert "Kubernetes for ML Engineers" in page.locator("main").inner_text()

    page.get_by_role("link", name="Kubernetes for ML Engineers").first.click()
    assert page.locator("h1").inner_text() == "Kubernetes for ML Engineers"


def test_pages_fit_a_360px_phone(live_server, browser, catalog):
    context = browser.new_context(viewport={"width": 360, "height": 740})
    phone = context.new_page()
    for path in ("/", "/courses?q=kubernetes&mode=online", "/institutes", "/events"):
        phone.goto(live_server + path)
        overflow = phone.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{path} scrolls sideways by {overflow}px"
    context.close()


def test_keyboard_user_can_skip_to_content(live_server, page, catalog):
    page.goto(live_server + "/courses")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent.trim()")
    assert focused == "Skip to main content"
