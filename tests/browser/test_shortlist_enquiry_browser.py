"""A learner on a 360 px phone shortlists two courses of different institutes from the search,
asks both institutes with one form, and follows one enquiry's tracking link."""

from __future__ import annotations

import re

import pytest

from tests.builders import make_batch, make_course, make_institute
from tests.chromium import BROWSER_TEST
from tests.pagechecks import axe_violations, sideways_overflow

pytestmark = BROWSER_TEST


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport={"width": 360, "height": 780})
    page = context.new_page()
    yield page
    context.close()


def test_learner_asks_two_institutes_from_the_shortlist_with_one_form(live_server, phone, db):
    for title, institute in (
        ("Kubeflow Pipelines Bootcamp", "Madhapur ML Academy"),
        ("Kubernetes Model Serving", "Gachibowli Data School"),
    ):
        make_batch(make_course(title=title, institute=make_institute(name=institute)), starts_in_days=20)
    phone.goto(live_server + "/courses?q=kube")
    for _ in range(2):
        phone.get_by_role("button", name="Add to shortlist").first.click()
        phone.wait_for_load_state()
    phone.get_by_role("link", name="Shortlist").click()
    phone.get_by_role("link", name="Enquire about these courses").click()
    phone.wait_for_url("**/shortlist/enquire?course=**")
    assert (sideways_overflow(phone), axe_violations(phone)) == (0, [])

    phone.get_by_label("Your name").fill("Asha Rao")
    phone.get_by_role("textbox", name="Email").fill("asha@example.in")
    for institute in ("Madhapur ML Academy", "Gachibowli Data School"):
        phone.get_by_label(re.compile(f"^I agree that {institute} may contact me")).check()
    phone.get_by_role("button", name="Send the enquiries").click()
    phone.wait_for_url("**/shortlist/enquiries/sent")

    references = phone.locator(".reference").all_inner_texts()
    assert len(references) == 2 and len(set(references)) == 2
    assert all(re.fullmatch(r"ENQ-[0-9A-Z]{6}", reference) for reference in references)
    assert (sideways_overflow(phone), axe_violations(phone)) == (0, [])

    phone.locator(".tracking-link a").nth(1).click()
    phone.wait_for_url(f"**/enquiries/{references[1]}?token=**")
    assert "Kubernetes Model Serving" in phone.locator("main").inner_text()
