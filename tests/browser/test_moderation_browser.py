"""The moderation journey in a real browser (headless Debian Chromium driven by Playwright).

An institute registers and an admin approves it; its staff add a course that promises "100%
placement"; the admin sees the phrase marked and sends the listing back with a reason; the staff
read the reason, fix the text and publish again; the admin approves; a learner finds the course.
Every step goes through the pages a person would use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from catalog.models import Role
from tests.browser.test_journey_browser import new_page
from tests.builders import TEST_PASSWORD, make_area, make_topic, make_user
from tests.chromium import BROWSER_TEST

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

pytestmark = BROWSER_TEST

ADMIN_EMAIL = "curator@hyderabad-mlops.in"
STAFF_EMAIL = "director@gachibowli-ml.in"
CONTACT_EMAIL = "admissions@gachibowli-ml.in"
INSTITUTE = "Gachibowli Machine Learning Academy"
TITLE = "Feature Stores with Feast"
CLAIM = "100% placement"
REASON = "Listings may not promise placement. Give the placement rate with its year and cohort size."
FIXED_SUMMARY = "Build and serve features in production with Feast and Redis."
#: How long one step may wait for the page (a failing step fails fast, not after 30 s).
STEP_TIMEOUT_MS = 10_000


@pytest.fixture
def vocabulary(db):
    """What the forms offer to choose from, and the one admin account."""
    make_area(name="Gachibowli", slug="gachibowli")
    make_topic(name="Feature engineering", slug="feature-engineering")
    make_user(role=Role.ADMIN, institute=None, email=ADMIN_EMAIL, name="Lakshmi Curator")
    db.session.commit()


def small_page(browser: Browser) -> Page:
    """A phone-sized page of its own, as a learner on the move would have."""
    return browser.new_context(viewport={"width": 360, "height": 740}).new_page()


def search(page: Page, live_server: str, words: str) -> None:
    """As a learner: the search box of the home page."""
    page.goto(live_server + "/")
    page.get_by_label("Search courses").first.fill(words)
    page.get_by_label("Search courses").first.press("Enter")
    page.wait_for_url(f"**/courses?q={words}*")


def flashes(page: Page) -> str:
    return page.locator(".flashes").inner_text()


def sign_in(page: Page, live_server: str, email: str) -> None:
    page.goto(live_server + "/portal/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()
    assert f"Signed in as {email}." in flashes(page)


def register_institute(page: Page, live_server: str) -> None:
    """As the institute: the sign-up form, filled as a new institute would fill it."""
    page.goto(live_server + "/portal/register")
    page.get_by_label("Institute name").fill(INSTITUTE)
    page.get_by_label("Website").fill("https://gachibowli-ml.in")
    page.get_by_label("Contact email").fill(CONTACT_EMAIL)
    page.get_by_label("Contact phone").fill("040 2300 4455")
    page.get_by_label("Area").select_option(label="Gachibowli")
    page.get_by_label("Campus address").fill("Plot 12, DLF Cyber City Road, Gachibowli, Hyderabad 500032")
    page.get_by_label("About the institute").fill(
        "Evening and weekend courses in machine learning engineering for working developers."
    )
    page.get_by_label("Your name").fill("Ravi Teja")
    page.get_by_label("Your email").fill(STAFF_EMAIL)
    page.get_by_label("Password", exact=True).fill(TEST_PASSWORD)
    page.get_by_label("Password again").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Send the registration").click()
    page.wait_for_url("**/portal/login")
    assert f"we have received the registration of {INSTITUTE}" in flashes(page)


def approve_institute(page: Page, live_server: str) -> None:
    """As the admin: find the institute in the moderation queue and approve it."""
    sign_in(page, live_server, ADMIN_EMAIL)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Admin").click()
    page.get_by_role("navigation", name="Admin area").get_by_role("link", name="Moderation").click()
    page.wait_for_url("**/admin/moderation")
    waiting = page.get_by_role("row").filter(has_text=INSTITUTE)
    assert CONTACT_EMAIL in waiting.inner_text()
    waiting.get_by_role("button", name=f"Approve {INSTITUTE}").click()
    page.wait_for_url("**/admin/moderation")
    assert f"{INSTITUTE} is approved" in flashes(page)
    assert "No institute is waiting." in page.locator("main").inner_text()


def add_course(page: Page, live_server: str, summary: str) -> None:
    """As staff: the course form, filled and published."""
    sign_in(page, live_server, STAFF_EMAIL)
    page.get_by_role("navigation", name="Institute portal").get_by_role("link", name="Courses").click()
    page.get_by_role("link", name="Add a course").click()
    page.wait_for_url("**/portal/courses/new")
    page.get_by_label("Title", exact=True).fill(TITLE)
    page.get_by_label("Summary", exact=True).fill(summary)
    page.get_by_label("Format", exact=True).select_option(index=1)
    page.get_by_label("Level", exact=True).select_option(index=1)
    page.get_by_label("Mode", exact=True).select_option(index=1)
    page.get_by_label("Duration (days)", exact=True).fill("60")
    page.get_by_label("Teaching hours", exact=True).fill("80")
    page.get_by_label("Fee (₹)", exact=True).fill("45000")
    page.get_by_label("English", exact=True).check()
    page.get_by_label("Refund policy", exact=True).fill("Full refund until the second session.")
    page.get_by_label("Feature engineering", exact=True).check()
    page.get_by_role("button", name="Publish").click()
    page.wait_for_url("**/portal/courses")


def review(page: Page, live_server: str) -> None:
    """As the admin: open the listing from the moderation queue."""
    page.goto(live_server + "/admin/moderation")
    row = page.get_by_role("row").filter(has_text=TITLE)
    row.get_by_role("link", name=TITLE, exact=True).click()
    page.wait_for_url("**/admin/moderation/courses/*")
    assert page.locator("h1").inner_text() == TITLE


def test_a_guarantee_claim_is_sent_back_fixed_and_published(live_server, browser, vocabulary):
    institute, admin, learner = new_page(browser), new_page(browser), small_page(browser)
    for page in (institute, admin, learner):
        page.set_default_timeout(STEP_TIMEOUT_MS)

    register_institute(institute, live_server)
    approve_institute(admin, live_server)

    add_course(institute, live_server, f"Build and serve features in production. {CLAIM} for every learner!")
    assert "is held for review: it promises guaranteed placement" in flashes(institute)
    assert "Pending" in institute.get_by_role("row").filter(has_text=TITLE).inner_text()
    search(learner, live_server, "feast")
    assert learner.get_by_role("link", name=TITLE, exact=True).count() == 0

    # The admin sees the phrase marked, in the queue and in the listing, and sends it back.
    admin.goto(live_server + "/admin/moderation")
    queued = admin.get_by_role("row").filter(has_text=TITLE)
    assert queued.locator("mark").inner_text() == CLAIM
    review(admin, live_server)
    summary = admin.get_by_role("row").filter(has=admin.get_by_role("rowheader", name="Summary", exact=True))
    assert summary.locator("mark").inner_text() == CLAIM
    admin.get_by_label("Reason (sent to the institute)").fill(REASON)
    admin.get_by_role("button", name="Send back").click()
    admin.wait_for_url("**/admin/moderation")
    assert f"“{TITLE}” was sent back to its institute with your reason." in flashes(admin)

    # The staff read the reason beside the course, fix the text and publish again.
    institute.get_by_role("navigation", name="Institute portal").get_by_role("link", name="Courses").click()
    assert "Draft" in institute.get_by_role("row").filter(has_text=TITLE).inner_text()
    institute.get_by_role("row").filter(has_text=TITLE).get_by_role("link", name=f"Edit {TITLE}").click()
    assert REASON in institute.locator("#rejection").inner_text()
    institute.get_by_label("Summary", exact=True).fill(FIXED_SUMMARY)
    institute.get_by_role("button", name="Publish").click()
    institute.wait_for_url("**/portal/courses")
    assert "is waiting for review" in flashes(institute)

    # The admin finds no claim any more, and approves.
    review(admin, live_server)
    assert admin.locator("main mark").count() == 0
    assert FIXED_SUMMARY in admin.locator("main").inner_text()
    admin.get_by_role("button", name="Approve and publish").click()
    admin.wait_for_url("**/admin/moderation")
    assert f"“{TITLE}” is published." in flashes(admin)
    assert "No course listing is waiting." in admin.locator("main").inner_text()

    # The learner on a phone, who found nothing before, now finds it.
    search(learner, live_server, "feast")
    learner.get_by_role("link", name=TITLE, exact=True).first.click()
    assert learner.locator("h1").inner_text() == TITLE
    assert INSTITUTE in learner.locator("main").inner_text()

    # A later edit that claims placement again waits; the learner keeps seeing the approved listing.
    institute.get_by_role("navigation", name="Institute portal").get_by_role("link", name="Courses").click()
    institute.get_by_role("row").filter(has_text=TITLE).get_by_role("link", name=f"Edit {TITLE}").click()
    institute.get_by_label("Summary", exact=True).fill(f"Now with {CLAIM}.")
    institute.get_by_role("button", name="Publish").click()
    institute.wait_for_url("**/portal/courses")
    assert "Changes waiting for review" in institute.get_by_role("row").filter(has_text=TITLE).inner_text()
    learner.reload()
    assert FIXED_SUMMARY in learner.locator("main").inner_text()
    assert CLAIM not in learner.locator("main").inner_text()
    review(admin, live_server)
    changed = admin.get_by_role("row").filter(has=admin.get_by_role("rowheader", name="Summary", exact=True))
    assert changed.locator("del").inner_text() == FIXED_SUMMARY
    assert changed.locator("ins mark").inner_text() == CLAIM
