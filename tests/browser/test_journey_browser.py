"""One enquiry from end to end in a real browser (headless Debian Chromium driven by Playwright).

A learner finds a course, sends an enquiry and keeps the tracking link; the institute's staff
sign in, find the enquiry in their inbox and mark it contacted; the learner's link shows it.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import pytest

from catalog.models import Mode
from tests.builders import (
    TEST_PASSWORD,
    make_area,
    make_batch,
    make_campus,
    make_course,
    make_institute,
    make_tool,
    make_user,
)
from tests.chromium import BROWSER_TEST

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

pytestmark = BROWSER_TEST

STAFF_EMAIL = "admissions@cyberabad-mlops.in"


def new_page(browser: Browser) -> Page:
    """A page in a browser context of its own: its own cookies, as a separate person would have."""
    return browser.new_context(viewport={"width": 1280, "height": 900}).new_page()


@pytest.fixture
def catalog(db):
    hitec = make_area(name="HITEC City", slug="hitec-city")
    institute = make_institute(name="Cyberabad MLOps Institute", slug="cyberabad-mlops")
    campus = make_campus(institute, hitec)
    kubernetes = make_tool(name="Kubernetes", slug="kubernetes", synonyms=["k8s"])
    course = make_course(
        title="Kubernetes for ML Engineers", institute=institute, campuses=[campus], mode=Mode.CLASSROOM
    )
    course.tools = [kubernetes]
    make_batch(course, starts_in_days=21, campus=campus)
    make_course(title="Statistics Refresher", institute=institute)
    make_user(institute=institute, email=STAFF_EMAIL, name="Padma Admissions")
    db.session.commit()


def send_enquiry(page, live_server: str) -> tuple[str, str]:
    """As the learner: search, open the course, send the form; the reference and tracking link."""
    page.goto(live_server + "/")
    page.get_by_label("Search courses").first.fill("kubernetes")
    page.get_by_label("Search courses").first.press("Enter")
    page.wait_for_url("**/courses?**")
    page.get_by_role("link", name="Kubernetes for ML Engineers").first.click()
    assert page.locator("h1").inner_text() == "Kubernetes for ML Engineers"

    form = page.locator("form.enquiry-form")
    form.get_by_label("Your name").fill("Sravani Reddy")
    form.get_by_role("textbox", name="Email").fill("sravani@example.in")
    form.get_by_label("Phone", exact=True).fill("98765 43210")
    form.get_by_label("Preferred batch").select_option(index=1)
    form.get_by_label("WhatsApp").check()
    form.get_by_label("Message (optional)").fill("Is the weekend batch taught in Telugu as well?")
    form.get_by_label(re.compile("Cyberabad MLOps Institute may contact me")).check()
    form.get_by_role("button", name=re.compile("Send enquiry")).click()

    page.wait_for_url("**/sent**")
    assert page.locator("h1").inner_text() == "Your enquiry has been sent"
    reference = page.locator(".reference").inner_text().strip()
    assert re.fullmatch(r"ENQ-[A-Z0-9]{6}", reference), reference
    tracking_url = page.locator(".tracking-link a").get_attribute("href")
    return reference, tracking_url


def mark_contacted(page, live_server: str, reference: str) -> None:
    """As staff: sign in through the real form, find the enquiry, mark it contacted."""
    page.goto(live_server + "/portal/login")
    page.get_by_label("Email").fill(STAFF_EMAIL)
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/portal/")
    assert page.locator("h1").inner_text() == "Dashboard"

    page.get_by_role("navigation", name="Institute portal").get_by_role("link", name="Enquiries").click()
    page.wait_for_url("**/portal/enquiries")
    row = page.get_by_role("row").filter(has_text=reference)
    assert "Sravani Reddy" in row.inner_text()
    assert "New" in row.inner_text()
    row.get_by_role("link", name=reference).click()

    assert page.locator("h1").inner_text() == f"Enquiry {reference}"
    assert "Is the weekend batch taught in Telugu as well?" in page.locator("main").inner_text()
    page.get_by_label("Contacted", exact=True).check()
    page.get_by_role("textbox", name="Note").fill("Called on WhatsApp; sent the weekend timetable.")
    page.get_by_role("button", name="Save").click()
    page.wait_for_load_state()
    assert f"{reference} saved: contacted." in page.locator(".flashes").inner_text()
    assert "New → Contacted" in page.locator(".history").inner_text()


def test_learner_enquires_and_the_institute_marks_it_contacted(live_server, browser, catalog):
    learner, staff = new_page(browser), new_page(browser)
    reference, tracking_url = send_enquiry(learner, live_server)

    learner.goto(tracking_url)
    assert learner.locator(".status-line strong").inner_text() == "New"

    mark_contacted(staff, live_server, reference)

    learner.goto(tracking_url)
    assert learner.locator(".status-line strong").inner_text() == "Contacted"
