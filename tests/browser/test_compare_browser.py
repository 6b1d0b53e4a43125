"""A learner on a 360 px phone shortlists two courses from the search and compares them."""

from __future__ import annotations

import pytest

from tests.builders import make_batch, make_course
from tests.chromium import BROWSER_TEST

pytestmark = BROWSER_TEST


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport={"width": 360, "height": 780})
    page = context.new_page()
    yield page
    context.close()


def test_learner_shortlists_two_courses_and_compares_them_on_a_phone(live_server, phone, db):
    for title, fee in (("Kubeflow Pipelines Bootcamp", 90_000), ("Kubernetes Model Serving", 45_000)):
        make_batch(make_course(title=title, fee_inr=fee), starts_in_days=20)
    phone.goto(live_server + "/courses?q=kube")
    for _ in range(2):
        phone.get_by_role("button", name="Add to shortlist").first.click()
        phone.wait_for_load_state()
    assert phone.get_by_role("button", name="Remove from shortlist").count() == 2
    assert "Shortlist 2" in phone.locator(".site-nav").inner_text()

    phone.get_by_role("link", name="Shortlist").click()
    phone.get_by_role("link", name="Compare these").click()
    phone.wait_for_url("**/compare?c=**")
    table = phone.locator(".compare-table")
    assert "₹90,000" in table.inner_text() and "₹45,000" in table.inner_text()
    assert "differs" in phone.locator("tr.differs").first.inner_text()
    # The table scrolls inside its own box; the page itself never scrolls sideways.
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
