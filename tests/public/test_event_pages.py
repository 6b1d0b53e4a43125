"""An event's own page, `/events/<slug>`: what, when in IST, where, who, the fee, topics and
where to register; and the links to it from every list of events."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import pytest

from catalog.models import EventKind
from catalog.timeutil import LOCAL_TZ, local_today
from tests.builders import make_area, make_event, make_institute, make_topic
from tests.helpers import count_queries


def page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.get_data(as_text=True)


def an_event(**overrides):
    """An event in five days at 10:00 IST (04:30 UTC), two hours long, at a venue in an area."""
    starts = datetime.combine(local_today() + timedelta(days=5), time(10, 0), tzinfo=LOCAL_TZ)
    values = {
        "title": "Kubernetes for ML: Hands-On Saturday",
        "slug": "kubernetes-for-ml",
        "kind": EventKind.WORKSHOP,
        "starts_at": starts.astimezone(UTC),
        "ends_at": (starts + timedelta(hours=2)).astimezone(UTC),
        "venue": "Jayabheri Enclave Road",
        "organiser": "Cyberabad MLOps Institute",
        "fee_inr": 1500,
        "url": "https://cyberabad.example.in/events/k8s",
    }
    if "area" not in overrides:
        values["area"] = make_area(name="Gachibowli", slug="gachibowli")
    return make_event(**{**values, **overrides})


def test_event_page_shows_the_time_in_ist(client, db):
    event = an_event()
    html = page(client, "/events/kubernetes-for-ml")
    day = event.starts_at.astimezone(LOCAL_TZ).date()
    assert "<h1>Kubernetes for ML: Hands-On Saturday</h1>" in html
    assert day.strftime("%a %-d %b %Y") + ", 10:00 AM" in html
    assert "to 12:00 PM IST" in html
    assert f'datetime="{day.isoformat()}T10:00+0530"' in html


def test_event_page_shows_the_venue_with_its_area(client, db):
    an_event()
    assert "Jayabheri Enclave Road, Gachibowli" in page(client, "/events/kubernetes-for-ml")


def test_online_event_page_says_online(client, db):
    an_event(venue="Zoom", area=make_area(name="Online", slug="online"))
    assert "Online (Zoom)" in page(client, "/events/kubernetes-for-ml")


def test_event_page_links_the_organising_institute(client, db):
    institute = make_institute(name="Cyberabad MLOps Institute", slug="cyberabad-mlops-institute")
    an_event(institute=institute)
    html = page(client, "/events/kubernetes-for-ml")
    assert '<a href="/institutes/cyberabad-mlops-institute">Cyberabad MLOps Institute</a>' in html


def test_event_page_names_an_organiser_without_an_institute_unlinked(client, db):
    an_event(organiser="Hyderabad MLOps Circle")
    html = page(client, "/events/kubernetes-for-ml")
    assert "Organised by Hyderabad MLOps Circle" in html
    assert "/institutes/" not in html.split("<main", 1)[1]


@pytest.mark.parametrize(("fee", "shown"), [(0, "Free"), (150000, "₹1,50,000")])
def test_event_page_shows_the_fee(client, db, fee, shown):
    an_event(fee_inr=fee)
    assert f"<dt>Fee</dt><dd>{shown}</dd>" in page(client, "/events/kubernetes-for-ml")


def test_event_page_links_its_topics(client, db):
    topic = make_topic(name="Orchestration", slug="orchestration")
    an_event(topics=[topic])
    html = page(client, "/events/kubernetes-for-ml")
    assert '<a class="tag" href="/topics/orchestration">Orchestration</a>' in html


def test_event_page_links_to_registration_as_an_external_link(client, db):
    an_event()
    html = page(client, "/events/kubernetes-for-ml")
    assert 'href="https://cyberabad.example.in/events/k8s" rel="external nofollow noopener"' in html
    assert ">Register<" in html


def test_event_page_never_links_a_script_address(client, db):
    an_event(url="javascript:alert(1)")
    html = page(client, "/events/kubernetes-for-ml")
    assert "javascript:" not in html
    assert "has not given a registration link" in html


def test_past_event_keeps_its_page_and_says_it_is_over(client, db):
    an_event(
        starts_at=datetime.now(UTC) - timedelta(days=30),
        ends_at=datetime.now(UTC) - timedelta(days=30) + timedelta(hours=2),
    )
    html = page(client, "/events/kubernetes-for-ml")
    assert "This event is over" in html
    assert ">Register<" not in html


def test_upcoming_event_does_not_say_it_is_over(client, db):
    an_event()
    assert "This event is over" not in page(client, "/events/kubernetes-for-ml")


def test_unknown_event_is_our_not_found_page(client, db):
    response = client.get("/events/no-such-event")
    assert response.status_code == 404
    assert "No event has that address." in response.get_data(as_text=True)


def test_event_text_is_escaped(client, db):
    an_event(
        title="<script>alert('t')</script>",
        description="<img src=x onerror=alert(1)>",
        venue="<b>Hall</b>",
        organiser="<i>Circle</i>",
    )
    html = page(client, "/events/kubernetes-for-ml")
    assert "<script>alert" not in html and "&lt;script&gt;alert" in html
    assert "<img src=x" not in html and "&lt;img src=x" in html
    assert "<b>Hall</b>" not in html and "<i>Circle</i>" not in html


def test_event_page_costs_a_fixed_number_of_queries(client, db):
    an_event(topics=[make_topic(), make_topic()], institute=make_institute())
    client.get("/events/kubernetes-for-ml")
    with count_queries(db) as few:
        page(client, "/events/kubernetes-for-ml")
    an_event(
        slug="other", area=make_area(), topics=[make_topic() for _ in range(5)], institute=make_institute()
    )
    with count_queries(db) as more:
        page(client, "/events/other")
    assert len(more) == len(few)


def test_events_list_links_each_event_page(client, db):
    an_event()
    assert 'href="/events/kubernetes-for-ml">Kubernetes for ML' in page(client, "/events")


def test_topic_page_links_its_event_pages(client, db):
    topic = make_topic(name="Orchestration", slug="orchestration")
    an_event(topics=[topic])
    assert 'href="/events/kubernetes-for-ml">Kubernetes for ML' in page(client, "/topics/orchestration")


def test_institute_page_links_its_event_pages(client, db):
    institute = make_institute(slug="cyberabad-mlops-institute")
    an_event(institute=institute)
    html = page(client, "/institutes/cyberabad-mlops-institute")
    assert 'href="/events/kubernetes-for-ml">Kubernetes for ML' in html
