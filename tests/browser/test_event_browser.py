"""A learner on a phone finds a workshop in the events list and opens its own page."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import pytest

from catalog.models import EventKind
from catalog.timeutil import LOCAL_TZ, local_today
from tests.builders import make_area, make_event, make_institute, make_topic
from tests.chromium import BROWSER_TEST

pytestmark = BROWSER_TEST


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport={"width": 360, "height": 740})
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def workshop(db):
    """A paid Saturday workshop in Gachibowli in five days, 10:00 to 12:00 IST, by an institute."""
    starts = datetime.combine(local_today() + timedelta(days=5), time(10, 0), tzinfo=LOCAL_TZ)
    event = make_event(
        title="Kubernetes for ML: Hands-On Saturday",
        slug="kubernetes-for-ml",
        kind=EventKind.WORKSHOP,
        starts_at=starts.astimezone(UTC),
        ends_at=(starts + timedelta(hours=2)).astimezone(UTC),
        venue="Jayabheri Enclave Road",
        area=make_area(name="Gachibowli", slug="gachibowli"),
        organiser="Cyberabad MLOps Institute",
        institute=make_institute(name="Cyberabad MLOps Institute", slug="cyberabad-mlops"),
        fee_inr=1500,
        url="https://cyberabad.example.in/events/k8s",
    )
    event.topics = [make_topic(name="Containers", slug="containers")]
    db.session.commit()
    return starts


def test_learner_opens_an_event_from_the_list_and_sees_what_when_where_and_how_to_register(
    live_server, phone, workshop
):
    phone.goto(live_server + "/events")
    phone.get_by_role("link", name="Kubernetes for ML: Hands-On Saturday", exact=True).click()
    phone.wait_for_url("**/events/kubernetes-for-ml")

    assert phone.get_by_role("heading", level=1).inner_text() == "Kubernetes for ML: Hands-On Saturday"
    facts = phone.locator("dl.key-facts").inner_text()
    assert workshop.strftime("%a %-d %b %Y") in facts
    assert "10:00 AM" in facts and "IST" in facts
    assert "Jayabheri Enclave Road, Gachibowli" in facts
    assert "₹1,500" in facts
    organiser = phone.get_by_role("link", name="Cyberabad MLOps Institute")
    assert organiser.get_attribute("href").endswith("/institutes/cyberabad-mlops")
    register = phone.get_by_role("link", name="Register for Kubernetes for ML: Hands-On Saturday")
    assert register.get_attribute("href") == "https://cyberabad.example.in/events/k8s"
    assert register.bounding_box()["height"] >= 44
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360

    phone.get_by_role("link", name="Containers").click()
    phone.wait_for_url("**/topics/containers")
    assert phone.get_by_role("link", name="Kubernetes for ML: Hands-On Saturday", exact=True).count() == 1
