"""/insights in Chromium at 360 and 1280 px: the charts and the map are drawn, the page never
scrolls sideways, and their links open the search with results."""

from __future__ import annotations

import pytest

from catalog.extensions import db as _db
from tests.builders import (
    make_area,
    make_batch,
    make_campus,
    make_course,
    make_institute,
    make_tool,
    make_topic,
)
from tests.chromium import BROWSER_TEST

pytestmark = BROWSER_TEST

WIDTHS = [360, 1280]


@pytest.fixture(params=WIDTHS, ids=lambda width: f"{width}px")
def page(browser, request):
    context = browser.new_context(viewport={"width": request.param, "height": 800})
    page = context.new_page()
    page.width = request.param
    yield page
    context.close()


@pytest.fixture
def catalog(db):
    """Two localities and four courses taught there (each fee its own), each with a topic, a
    tool and an open batch."""
    topic, tool = make_topic(name="Model serving", slug="model-serving"), make_tool(name="MLflow")
    fees = iter(range(40_000, 200_000, 30_000))
    for name, slug, lat, lon in (
        ("HITEC City", "hitec-city", 17.4435, 78.3772),
        ("Madhapur", "madhapur", 17.4483, 78.3915),
    ):
        area = make_area(name=name, slug=slug, latitude=lat, longitude=lon)
        institute = make_institute(name=f"{name} Academy")
        campus = make_campus(institute, area)
        for title in ("Serving Bootcamp", "Pipelines Workshop"):
            course = make_course(institute=institute, title=f"{name} {title}", fee_inr=next(fees))
            course.campuses, course.topics, course.tools = [campus], [topic], [tool]
            _db.session.commit()
            make_batch(course, starts_in_days=12)


def test_every_chart_and_the_map_are_drawn_without_sideways_scroll(live_server, page, catalog):
    page.goto(live_server + "/insights")
    charts = page.locator("svg.chart")
    assert charts.count() == 6
    for i in range(charts.count()):
        chart = charts.nth(i)
        chart.scroll_into_view_if_needed()
        box = chart.bounding_box()
        assert chart.is_visible() and box["width"] > 200 and box["height"] > 30
        assert box["x"] >= 0 and box["x"] + box["width"] <= page.width
    assert page.evaluate("document.documentElement.scrollWidth") <= page.width


def test_a_topic_bar_opens_the_search_for_that_topic_with_results(live_server, page, catalog):
    page.goto(live_server + "/insights")
    page.locator("#topics svg a").first.click()
    page.wait_for_url("**/courses?topic=model-serving")
    assert page.locator(".course-card").count() == 4


def test_a_place_on_the_map_opens_the_search_for_that_area_with_results(live_server, page, catalog):
    page.goto(live_server + "/insights")
    page.get_by_role("link", name="Madhapur: 1 inst. · 2 courses").click()
    page.wait_for_url("**/courses?area=madhapur")
    titles = page.locator(".course-card").all_inner_texts()
    assert len(titles) == 2 and all("Madhapur" in title for title in titles)


def test_a_point_of_the_scatter_opens_its_course(live_server, page, catalog):
    page.goto(live_server + "/insights")
    page.get_by_role("link", name="HITEC City Serving Bootcamp: ₹40,000, 90 days, bootcamp").click()
    page.wait_for_url("**/courses/*")
    assert page.locator("h1").inner_text() == "HITEC City Serving Bootcamp"
