"""The search box's suggestions in Chromium: a keyboard-operable ARIA combobox, at 360 and 1280 px,
and a plain search form without JavaScript."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from catalog.extensions import db as _db
from tests.builders import make_course, make_institute, make_tool
from tests.chromium import BROWSER_TEST

pytestmark = BROWSER_TEST

SIZES = {"phone": {"width": 360, "height": 780}, "laptop": {"width": 1280, "height": 900}}


@pytest.fixture(params=sorted(SIZES))
def page(request, browser):
    context = browser.new_context(viewport=SIZES[request.param])
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def catalog(db):
    """A tool, a course teaching it and an institute, all starting with "kube"."""
    course = make_course(title="Kubernetes Crash Workshop", slug="kubernetes-crash-workshop")
    course.tools = [make_tool(name="Kubeflow", slug="kubeflow")]
    _db.session.commit()
    make_institute(name="Deccan Data Academy", slug="deccan-data-academy")
    return course


def search_box(page):
    return page.get_by_role("combobox", name="Search courses")


def suggestions(page, **name):
    """The options of the suggestions list (a page's own selects have options too)."""
    return page.get_by_role("listbox", name="Suggestions").get_by_role("option", **name)


def test_arrow_down_and_enter_open_the_chosen_suggestion(live_server, page, catalog):
    page.goto(live_server + "/")
    box = search_box(page)
    box.fill("kube")
    options = suggestions(page)
    expect(options).to_have_count(2)
    expect(options.first).to_contain_text("Kubeflow")
    box.press("ArrowDown")
    box.press("ArrowDown")
    expect(options.nth(1)).to_have_attribute("aria-selected", "true")
    box.press("Enter")
    page.wait_for_url("**/courses/kubernetes-crash-workshop")
    expect(page.get_by_role("heading", level=1)).to_have_text("Kubernetes Crash Workshop")


def test_on_the_live_search_page_enter_opens_the_chosen_suggestion_not_a_search(live_server, page, catalog):
    page.goto(live_server + "/courses")
    box = search_box(page)
    box.fill("decc")
    expect(suggestions(page)).to_have_count(1)
    box.press("ArrowDown")
    box.press("Enter")
    page.wait_for_url("**/institutes/deccan-data-academy")


def test_the_combobox_and_its_listbox_carry_the_aria_attributes(live_server, page, catalog):
    page.goto(live_server + "/")
    box = search_box(page)
    expect(box).to_have_attribute("aria-autocomplete", "list")
    expect(box).to_have_attribute("aria-expanded", "false")
    box.fill("kube")
    listbox = page.get_by_role("listbox", name="Suggestions")
    expect(listbox).to_be_visible()
    expect(box).to_have_attribute("aria-expanded", "true")
    expect(box).to_have_attribute("aria-controls", listbox.get_attribute("id"))
    expect(page.get_by_role("status").filter(has_text="suggestions")).to_have_text("2 suggestions")
    box.press("ArrowDown")
    first = suggestions(page).first
    expect(first).to_have_attribute("aria-selected", "true")
    expect(box).to_have_attribute("aria-activedescendant", first.get_attribute("id"))
    box.press("ArrowUp")
    last = suggestions(page).last
    expect(box).to_have_attribute("aria-activedescendant", last.get_attribute("id"))


def test_escape_closes_the_list_and_a_second_escape_clears_the_box(live_server, page, catalog):
    page.goto(live_server + "/")
    box = search_box(page)
    box.fill("kube")
    listbox = page.get_by_role("listbox", name="Suggestions")
    expect(listbox).to_be_visible()
    box.press("Escape")
    expect(listbox).to_be_hidden()
    expect(box).to_have_attribute("aria-expanded", "false")
    expect(box).to_have_value("kube")
    box.press("Escape")
    expect(box).to_have_value("")


def test_text_cut_back_to_one_letter_closes_the_list_for_good(live_server, page, catalog):
    page.goto(live_server + "/")
    box = search_box(page)
    box.fill("kube")
    listbox = page.get_by_role("listbox", name="Suggestions")
    expect(listbox).to_be_visible()
    box.fill("k")
    expect(listbox).to_be_hidden()
    box.press("ArrowDown")
    expect(listbox).to_be_hidden()
    expect(box).not_to_have_attribute("aria-activedescendant", re.compile(".*"))


def test_enter_without_a_chosen_suggestion_submits_the_search(live_server, page, catalog):
    page.goto(live_server + "/")
    box = search_box(page)
    box.fill("kube")
    expect(suggestions(page)).to_have_count(2)
    box.press("Enter")
    page.wait_for_url("**/courses?q=kube")


def test_tab_leaves_the_box_and_closes_the_list(live_server, page, catalog):
    page.goto(live_server + "/")
    box = search_box(page)
    box.fill("kube")
    listbox = page.get_by_role("listbox", name="Suggestions")
    expect(listbox).to_be_visible()
    box.press("Tab")
    expect(listbox).to_be_hidden()
    expect(page.get_by_role("button", name="Search")).to_be_focused()


def test_a_suggestion_opens_on_a_tap_or_click(live_server, page, catalog):
    page.goto(live_server + "/")
    search_box(page).fill("decc")
    suggestions(page, name="Deccan Data Academy").click()
    page.wait_for_url("**/institutes/deccan-data-academy")


def test_the_open_list_fits_the_window_with_options_44px_high(live_server, page, catalog):
    page.goto(live_server + "/")
    search_box(page).fill("kube")
    options = suggestions(page)
    expect(options).to_have_count(2)
    width = page.viewport_size["width"]
    for index in range(2):
        box = options.nth(index).bounding_box()
        assert box["height"] >= 44
        assert box["x"] >= 0 and box["x"] + box["width"] <= width
    assert page.evaluate("document.documentElement.scrollWidth") <= width


def test_the_search_page_and_the_missing_page_boxes_suggest_too(live_server, page, catalog):
    for path in ("/courses", "/no-such-page"):
        page.goto(live_server + path)
        search_box(page).fill("decc")
        expect(suggestions(page, name="Deccan Data Academy")).to_be_visible()


def test_without_javascript_the_box_is_a_plain_search_form(live_server, browser, catalog):
    context = browser.new_context(java_script_enabled=False, viewport=SIZES["phone"])
    page = context.new_page()
    try:
        page.goto(live_server + "/")
        box = page.get_by_role("searchbox", name="Search courses")
        expect(box).not_to_have_attribute("role", "combobox")
        box.fill("kube")
        box.press("Enter")
        page.wait_for_url("**/courses?q=kube")
        expect(page.get_by_role("link", name="Kubernetes Crash Workshop")).to_be_visible()
    finally:
        context.close()


def test_a_request_for_text_no_longer_in_the_box_is_abandoned(live_server, page, catalog):
    held = []

    def hold_kube(route):
        if "q=kube" in route.request.url:
            held.append(route)  # never answered: the page must give up on it by itself
        else:
            route.continue_()

    page.route("**/search/suggestions?*", hold_kube)
    page.goto(live_server + "/")
    box = search_box(page)
    with page.expect_request(lambda request: "q=kube" in request.url):
        box.fill("kube")
    with page.expect_event("requestfailed", predicate=lambda request: "q=kube" in request.url):
        box.fill("decc")
    expect(suggestions(page)).to_have_text(["Deccan Data Academy, Institute"])
