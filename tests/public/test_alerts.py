"""The alert pages: the form on search, topic and course pages, confirm, unsubscribe, the list."""

from __future__ import annotations

import re

from sqlalchemy import select

from catalog.models import Alert, OutboxMessage
from catalog.services import alerts as service
from tests.builders import make_course, make_topic

EMAIL = "learner@example.in"
ALERT_CSRF_RE = re.compile(r'name="alert-csrf_token" type="hidden" value="([^"]+)"')
HIDDEN_RE = re.compile(r'name="(alert-kind|alert-criteria)" type="hidden" value="([^"]*)"')


def alert_form_of(client, url: str, email: str = EMAIL) -> dict[str, str]:
    """The alert form of the page at ``url``, filled in with ``email``, as a browser sends it."""
    html = client.get(url).get_data(as_text=True)
    fields = dict(HIDDEN_RE.findall(html))
    fields["alert-csrf_token"] = ALERT_CSRF_RE.search(html).group(1)
    fields["alert-email"] = email
    return fields


def subscribe(client, url: str = "/courses?q=kubeflow", email: str = EMAIL):
    return client.post("/alerts", data=alert_form_of(client, url, email))


def the_alert(db) -> Alert:
    return db.session.scalar(select(Alert))


def test_search_page_subscribe_says_check_your_email(client, db):
    response = subscribe(client)
    assert response.status_code == 303
    assert "Check your email" in client.get(response.headers["Location"]).get_data(as_text=True)
    assert the_alert(db).criteria == {"args": {"q": "kubeflow"}}


def test_subscribe_queues_the_confirmation_only(client, db):
    subscribe(client)
    kinds = db.session.scalars(select(OutboxMessage.kind)).all()
    assert kinds == [service.CONFIRMATION_KIND]


def test_topic_page_form_follows_the_topic(client, db):
    make_topic(name="Feature Stores", slug="feature-stores")
    subscribe(client, "/topics/feature-stores")
    assert the_alert(db).criteria == {"topic": "feature-stores"}


def test_course_page_form_follows_the_course(client, db):
    course = make_course(slug="kubeflow-bootcamp")
    subscribe(client, "/courses/kubeflow-bootcamp")
    assert the_alert(db).criteria == {"course": course.id}


def test_bad_email_comes_back_with_a_message_next_to_the_field(client, db):
    response = subscribe(client, email="not an address")
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert re.search(r'id="alert-email-error">Enter a valid email address', html)
    assert the_alert(db) is None


def test_subscribe_without_csrf_token_is_refused(client, db):
    fields = alert_form_of(client, "/courses?q=kubeflow")
    del fields["alert-csrf_token"]
    assert client.post("/alerts", data=fields).status_code == 400
    assert the_alert(db) is None


def test_repeat_subscribe_gives_the_same_answer(client, db):
    first = subscribe(client)
    second = subscribe(client)
    assert (first.status_code, first.headers["Location"]) == (second.status_code, second.headers["Location"])


def test_confirm_link_confirms_and_says_what(client, db):
    subscribe(client)
    token = service.link_token(the_alert(db), service.CONFIRM)
    response = client.get(f"/alerts/confirm/{token}")
    assert response.status_code == 200
    assert "Your alert is on" in response.get_data(as_text=True)
    assert "“kubeflow”" in response.get_data(as_text=True)
    assert the_alert(db).confirmed_at is not None


def test_tampered_confirm_link_is_not_found(client, db):
    subscribe(client)
    token = service.link_token(the_alert(db), service.CONFIRM)
    assert client.get(f"/alerts/confirm/{token[:-3]}abc").status_code == 404
    assert client.get("/alerts/confirm/nonsense").status_code == 404
    assert the_alert(db).confirmed_at is None


def test_one_click_unsubscribe_post_needs_no_csrf_token(client, db):
    subscribe(client)
    token = service.link_token(the_alert(db), service.UNSUBSCRIBE)
    response = client.post(f"/alerts/unsubscribe/{token}", data={"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert the_alert(db).unsubscribed_at is not None


def test_unsubscribe_twice_is_fine(client, db):
    subscribe(client)
    token = service.link_token(the_alert(db), service.UNSUBSCRIBE)
    client.post(f"/alerts/unsubscribe/{token}")
    response = client.post(f"/alerts/unsubscribe/{token}")
    assert response.status_code == 200
    assert "You are unsubscribed" in response.get_data(as_text=True)


def test_unsubscribe_link_opened_shows_a_button_and_changes_nothing(client, db):
    subscribe(client)
    token = service.link_token(the_alert(db), service.UNSUBSCRIBE)
    html = client.get(f"/alerts/unsubscribe/{token}").get_data(as_text=True)
    assert f'action="/alerts/unsubscribe/{token}"' in html
    assert '<button type="submit">Unsubscribe</button>' in html
    assert the_alert(db).unsubscribed_at is None


def test_tampered_unsubscribe_link_is_not_found(client, db):
    subscribe(client)
    token = service.link_token(the_alert(db), service.UNSUBSCRIBE)
    assert client.post(f"/alerts/unsubscribe/{token}x").status_code == 404
    assert the_alert(db).unsubscribed_at is None


def test_private_page_lists_every_alert_of_the_address(client, db):
    make_topic(name="Feature Stores", slug="feature-stores")
    subscribe(client)
    subscribe(client, "/topics/feature-stores")
    subscribe(client, "/courses?q=mlflow", email="someone.else@example.in")
    alert = the_alert(db)
    html = client.get(f"/alerts/{service.link_token(alert, service.MANAGE)}").get_data(as_text=True)
    assert "“kubeflow”" in html and "Feature Stores" in html
    assert "mlflow" not in html
    assert html.count("Unsubscribe<span") == 2


def test_private_pages_are_not_stored_indexed_or_referred(client, db):
    subscribe(client)
    alert = the_alert(db)
    for url in (
        f"/alerts/{service.link_token(alert, service.MANAGE)}",
        f"/alerts/confirm/{service.link_token(alert, service.CONFIRM)}",
        f"/alerts/unsubscribe/{service.link_token(alert, service.UNSUBSCRIBE)}",
    ):
        response = client.get(url)
        assert response.headers["Cache-Control"] == "no-store"
        assert response.headers["Referrer-Policy"] == "no-referrer"
        assert '<meta name="robots" content="noindex">' in response.get_data(as_text=True)


def test_tampered_private_page_link_is_not_found(client, db):
    subscribe(client)
    token = service.link_token(the_alert(db), service.UNSUBSCRIBE)
    # An unsubscribe token does not open the private page: each link does one thing.
    assert client.get(f"/alerts/{token}").status_code == 404


def test_send_alerts_command_says_how_many_digests_it_queued(runner, db):
    result = runner.invoke(args=["send-alerts"])
    assert result.exit_code == 0
    assert "Queued 0 alert digest(s)" in result.output


def test_subscribes_for_one_address_are_limited(client, db):
    for _ in range(3):
        assert subscribe(client).status_code == 303
    assert subscribe(client).status_code == 429
