"""The course page in a browser: the summary beside the content on a laptop, cards on a phone,
"Enquire about this batch" opening the form with that batch chosen, and the page on paper."""

from __future__ import annotations

import pytest

from catalog.models import Mode
from tests.builders import make_area, make_batch, make_campus, make_course, make_institute, make_instructor
from tests.chromium import BROWSER_TEST

pytestmark = BROWSER_TEST

LAPTOP = {"width": 1280, "height": 800}
PHONE = {"width": 360, "height": 780}
TOUCH_TARGET = 44


@pytest.fixture
def course(db):
    """A course long enough to scroll: a description, ten modules, batches open, full and started."""
    area = make_area(name="Gachibowli", slug="gachibowli")
    institute = make_institute(name="Gachibowli School of Machine Learning Operations")
    campus = make_campus(institute, area, address="Financial District, Nanakramguda")
    course = make_course(
        title="Production Machine Learning Operations with Kubernetes and Kubeflow",
        slug="production-mlops",
        institute=institute,
        fee_inr=1_25_000,
        emi_available=True,
        mode=Mode.HYBRID,
        description="\n\n".join(["Build, ship and watch models in production. " * 6] * 4),
        modules=[(f"Module on a long-named practice of operations, part {n}", 12) for n in range(1, 11)],
    )
    course.instructors = [make_instructor(institute, name="Lakshmi Venkataraman")]
    for module in course.modules:
        module.outline = "Pipelines, registries, serving, monitoring and the habits around them. " * 2
    db.session.commit()
    make_batch(course, starts_in_days=-3, campus=campus)
    make_batch(course, starts_in_days=9, seats_left=0, campus=campus)
    make_batch(course, starts_in_days=21, seats_left=4, seats_total=25, campus=campus)
    make_batch(course, starts_in_days=50, mode=Mode.ONLINE)
    return course


@pytest.fixture
def laptop(browser):
    context = browser.new_context(viewport=LAPTOP)
    yield context.new_page()
    context.close()


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport=PHONE)
    yield context.new_page()
    context.close()


def open_course(tab, live_server) -> None:
    tab.goto(live_server + "/courses/production-mlops")


def test_summary_is_sticky_beside_the_content_on_a_laptop(live_server, laptop, course):
    open_course(laptop, live_server)
    summary = laptop.locator(".course-summary")
    assert summary.evaluate("element => getComputedStyle(element).position") == "sticky"
    content = laptop.locator(".course-body").bounding_box()
    assert summary.bounding_box()["x"] >= content["x"] + content["width"]


def test_summary_stays_in_view_after_scrolling_to_the_syllabus(live_server, laptop, course):
    open_course(laptop, live_server)
    laptop.evaluate("document.getElementById('syllabus').scrollIntoView()")
    assert laptop.evaluate("window.scrollY") > 0
    box = laptop.locator(".course-summary").bounding_box()
    assert box["y"] >= 0 and box["y"] + box["height"] <= LAPTOP["height"]
    assert laptop.get_by_role("link", name="Enquire about this course").is_visible()


def test_laptop_batch_table_shows_every_column(live_server, laptop, course):
    open_course(laptop, live_server)
    region = laptop.locator(".batch-table")
    assert region.evaluate("element => element.scrollWidth <= element.clientWidth")
    headers = laptop.locator(".batch-table thead th").all_inner_texts()
    assert headers == ["Starts", "Schedule", "Mode and place", "Seats left", "Status"]


def test_course_page_never_scrolls_sideways_on_a_phone(live_server, phone, course):
    open_course(phone, live_server)
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_phone_shows_the_summary_and_enquire_button_before_the_batches(live_server, phone, course):
    open_course(phone, live_server)
    enquire = phone.get_by_role("link", name="Enquire about this course").bounding_box()
    assert enquire["height"] >= TOUCH_TARGET
    assert enquire["y"] < phone.locator("#batches").bounding_box()["y"]
    assert enquire["x"] >= 0 and enquire["x"] + enquire["width"] <= PHONE["width"]


def test_phone_batch_card_shows_seats_left_and_status_on_screen(live_server, phone, course):
    open_course(phone, live_server)
    card = phone.locator(".batch-table tbody tr").nth(2)
    for label in ("Seats left", "Status"):
        cell = card.locator(f'td[data-label="{label}"]')
        assert cell.is_visible()
        shown = cell.evaluate("element => getComputedStyle(element, '::before').content")
        assert label in shown
        box = cell.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    assert "4 of 25" in card.inner_text() and "Open" in card.inner_text()


def test_phone_modules_are_cards_that_fit_the_screen(live_server, phone, course):
    open_course(phone, live_server)
    outline = phone.locator(".module-table td.outline").first
    box = outline.bounding_box()
    assert outline.is_visible() and box["x"] + box["width"] <= PHONE["width"]


def test_enquire_about_this_batch_is_a_touch_sized_button_on_a_phone(live_server, phone, course):
    open_course(phone, live_server)
    links = phone.get_by_role("link", name="Enquire about this batch")
    assert links.count() == 2
    for index in range(links.count()):
        assert links.nth(index).bounding_box()["height"] >= TOUCH_TARGET


def test_enquire_about_this_batch_opens_the_form_with_that_batch_chosen(live_server, phone, course):
    chosen = course.batches[2]
    open_course(phone, live_server)
    phone.get_by_role("link", name="Enquire about this batch").first.click()
    phone.wait_for_url(f"**/courses/production-mlops/enquire?batch={chosen.id}")
    assert phone.locator("select#batch").input_value() == str(chosen.id)


def test_printed_course_page_shows_the_summary_facts_without_its_buttons(live_server, laptop, course):
    open_course(laptop, live_server)
    laptop.emulate_media(media="print")
    summary = laptop.locator(".course-summary")
    assert summary.evaluate("element => getComputedStyle(element).position") == "static"
    assert "₹1,25,000" in summary.inner_text()
    assert not laptop.locator(".summary-enquire").is_visible()
    assert not summary.get_by_role("button", name="Add to shortlist").is_visible()
    assert not laptop.locator(".batch-enquire").first.is_visible()
