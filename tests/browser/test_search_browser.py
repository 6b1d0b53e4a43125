"""The course search in a real browser, on a 360 by 740 phone and a 1280 px laptop: results first,
the Filters panel, live search (htmx) with Back, and the "Skip filters" link."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from catalog.models import Mode
from tests.builders import make_batch, make_course
from tests.chromium import BROWSER_TEST

pytestmark = BROWSER_TEST

PHONE = {"width": 360, "height": 740}
LAPTOP = {"width": 1280, "height": 900}


@pytest.fixture
def catalog(db):
    for title, mode in (
        ("Kubernetes for ML Engineers", Mode.CLASSROOM),
        ("Kubernetes Online Sprint", Mode.ONLINE),
        ("Airflow Pipelines in Practice", Mode.ONLINE),
        ("Statistics Refresher", Mode.CLASSROOM),
    ):
        make_batch(make_course(title=title, mode=mode), starts_in_days=14)


def open_page(browser, viewport, **options):
    context = browser.new_context(viewport=viewport, **options)
    return context, context.new_page()


@pytest.fixture
def phone(browser):
    context, page = open_page(browser, PHONE)
    yield page
    context.close()


@pytest.fixture
def laptop(browser):
    context, page = open_page(browser, LAPTOP)
    yield page
    context.close()


def heading(page):
    return page.locator("#results-heading")


def test_first_result_starts_inside_the_first_phone_screen(live_server, phone, catalog):
    phone.goto(live_server + "/courses?q=kubernetes&mode=online")
    top = phone.locator(".result-list > li").first.bounding_box()["y"]
    assert top < PHONE["height"]
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_filters_are_closed_on_a_phone_and_open_beside_the_results_on_a_laptop(
    live_server, phone, laptop, catalog
):
    for page in (phone, laptop):
        page.goto(live_server + "/courses")
    expect(phone.locator("#facet-level")).to_be_hidden()
    expect(laptop.locator("#facet-level")).to_be_visible()
    facets, results = (laptop.locator(s).bounding_box() for s in ("#facet-level", "#results"))
    assert facets["x"] + facets["width"] <= results["x"]


def test_ticking_a_facet_on_a_phone_updates_the_results_and_keeps_focus(live_server, phone, catalog):
    phone.goto(live_server + "/courses?q=kubernetes")
    phone.get_by_text("Filters (0)").click()
    online = phone.get_by_label(re.compile(r"^Online \d"))
    online.check()
    expect(heading(phone)).to_have_text("1 course for “kubernetes”")
    # The ticked value moves to the top of its facet, still on screen.
    box = online.bounding_box()
    assert box["y"] >= 0 and box["y"] + box["height"] <= PHONE["height"]
    assert "mode=online" in phone.url
    assert "Kubernetes Online Sprint" in phone.locator("#results").inner_text()
    expect(phone.locator("#filters-count")).to_contain_text("(1)")
    assert phone.locator("#filters").get_attribute("open") is not None
    assert phone.evaluate("document.activeElement.name + '=' + document.activeElement.value") == "mode=online"


def test_applying_filters_on_a_phone_closes_the_panel_and_focuses_the_results(live_server, phone, catalog):
    phone.goto(live_server + "/courses?q=kubernetes")
    phone.get_by_text("Filters (0)").click()
    phone.get_by_label(re.compile(r"^Online \d")).check()
    expect(heading(phone)).to_have_text("1 course for “kubernetes”")
    phone.get_by_role("button", name="Apply filters").click()
    expect(phone.locator("#results")).to_be_focused()
    assert phone.locator("#filters").get_attribute("open") is None


def test_without_javascript_ticking_a_facet_and_applying_filters_submits(live_server, browser, catalog):
    context, page = open_page(browser, PHONE, java_script_enabled=False)
    page.goto(live_server + "/courses?q=kubernetes")
    page.get_by_text("Filters (0)").click()
    page.get_by_label(re.compile(r"^Online \d")).check()
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_url("**mode=online**")
    assert heading(page).inner_text() == "1 course for “kubernetes”"
    assert "q=kubernetes" in page.url
    context.close()


def test_typing_updates_results_and_url_and_back_restores_them(live_server, laptop, catalog):
    laptop.goto(live_server + "/courses")
    box = laptop.get_by_label("Search courses")
    box.fill("kubernetes")
    expect(heading(laptop)).to_have_text("2 courses for “kubernetes”")
    assert "q=kubernetes" in laptop.url
    box.fill("airflow")
    expect(heading(laptop)).to_have_text("1 course for “airflow”")
    assert "q=airflow" in laptop.url

    laptop.go_back()
    expect(heading(laptop)).to_have_text("2 courses for “kubernetes”")
    assert "q=kubernetes" in laptop.url
    assert "Airflow Pipelines" not in laptop.locator("#results").inner_text()
    expect(laptop.get_by_label("Search courses")).to_have_value("kubernetes")


@pytest.mark.parametrize("viewport", [PHONE, LAPTOP], ids=["360px", "1280px"])
def test_skip_filters_link_moves_focus_to_the_results(live_server, browser, catalog, viewport):
    context, page = open_page(browser, viewport)
    page.goto(live_server + "/courses")
    page.get_by_role("button", name="Search").focus()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip filters, go to the results"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "results"
    context.close()
