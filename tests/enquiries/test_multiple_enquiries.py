"""The shortlist's enquiry form, end to end: one send, a separate enquiry to each chosen course's
institute, with every guard of the single enquiry form."""

from __future__ import annotations

import html
import re

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError

from catalog.models import Course, CourseStatus, Enquiry, OutboxMessage
from tests.builders import make_course, make_institute
from tests.helpers import LEARNER_ANSWERS, enquiry_hidden_fields

#: What a learner types into the shortlist's form (it has no batch and no single consent box).
DETAILS = {key: value for key, value in LEARNER_ANSWERS.items() if key not in ("batch", "consent")}


@pytest.fixture(autouse=True)
def site_url(app):
    app.config["SITE_URL"] = "http://localhost"


@pytest.fixture
def courses(app) -> list[Course]:
    """One published course at each of two institutes that have an email address."""
    madhapur = make_institute(name="Madhapur ML Academy", email="admissions@madhapur-ml.example")
    gachibowli = make_institute(name="Gachibowli Data School", email="hello@gachibowli-data.example")
    return [
        make_course(institute=madhapur, title="MLOps Bootcamp"),
        make_course(institute=gachibowli, title="Kubeflow in Practice"),
    ]


def enquire_url(courses) -> str:
    return "/shortlist/enquire?" + "&".join(f"course={course.id}" for course in courses)


def consents(courses) -> dict[str, str]:
    return {f"consent_{course.institute_id}": "y" for course in courses}


def send(client, listed, hidden=None, address="127.0.0.1", **fields):
    """Open the form for the ``listed`` courses, tick them all and every consent, change
    ``fields``, and send it."""
    url = enquire_url(listed)
    if hidden is None:
        hidden = enquiry_hidden_fields(client.get(url).get_data(as_text=True))
    data = {**hidden, **DETAILS, "courses": [str(c.id) for c in listed], **consents(listed), **fields}
    data = {name: value for name, value in data.items() if value is not None}
    return client.post(url, data=data, environ_base={"REMOTE_ADDR": address})


def count(db, model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def text(response) -> str:
    """The page's words: tags left out, entities decoded, runs of white space made single spaces."""
    return text_of(response.get_data(as_text=True))


def text_of(page: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


def tracking_links(page: str) -> list[str]:
    return [
        link.replace("&amp;", "&") for link in re.findall(r'class="tracking-link"><a href="([^"]+)"', page)
    ]


# The page


def test_shortlist_page_links_to_one_enquiry_form_for_its_courses(client, courses):
    with client.session_transaction() as session:
        session["shortlist"] = [course.id for course in courses]
    page = client.get("/shortlist").get_data(as_text=True)
    assert f'href="{enquire_url(courses).replace("&", "&amp;")}"' in page
    assert "Enquire about these courses" in page


def test_empty_shortlist_offers_no_enquiry_form(client):
    assert "/shortlist/enquire" not in client.get("/shortlist").get_data(as_text=True)


def test_form_ticks_every_open_course_and_asks_consent_once_per_institute(client, courses):
    page = client.get(enquire_url(courses)).get_data(as_text=True)
    for course in courses:
        assert f'name="courses" value="{course.id}" id="courses-{course.id}" checked' in page
    for name in ("Madhapur ML Academy", "Gachibowli Data School"):
        sentence = f"I agree that {name} may contact me about its courses I ticked above."
        assert text_of(page).count(sentence) == 1


def test_a_closed_course_is_listed_with_the_reason_and_cannot_be_ticked(client, courses):
    archived = make_course(institute=courses[0].institute, title="Old Airflow", status=CourseStatus.ARCHIVED)
    response = client.get(enquire_url([*courses, archived]))
    assert "Old Airflow · Madhapur ML Academy Enquiries are closed: this course is not published." in text(
        response
    )
    assert f'value="{archived.id}"' not in response.get_data(as_text=True)


def test_a_course_never_published_is_not_listed(client, courses):
    draft = make_course(title="Secret Draft", status=CourseStatus.DRAFT)
    assert "Secret Draft" not in text(client.get(enquire_url([*courses, draft])))


# Sending


def test_one_send_stores_an_enquiry_per_course_and_confirms_each_reference_and_link(db, client, courses):
    response = send(client, courses)
    assert response.status_code == 303
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    enquiries = db.session.scalars(select(Enquiry).order_by(Enquiry.id)).all()
    assert [e.course_id for e in enquiries] == [course.id for course in courses]
    for enquiry in enquiries:
        assert enquiry.reference in page and enquiry.institute.name in page
    links = tracking_links(page)
    assert len(links) == 2 and all(link.startswith("http://localhost/enquiries/ENQ-") for link in links)


def test_each_enquiry_sends_a_receipt_to_the_learner_and_a_notice_to_its_institute(db, client, courses):
    send(client, courses)
    sent = sorted((m.kind, m.to_email) for m in db.session.scalars(select(OutboxMessage)))
    assert sent == [
        ("enquiry-notice", "admissions@madhapur-ml.example"),
        ("enquiry-notice", "hello@gachibowli-data.example"),
        ("enquiry-receipt", "asha@example.in"),
        ("enquiry-receipt", "asha@example.in"),
    ]


def test_a_tracking_link_from_the_confirmation_opens_that_enquiry(db, client, courses):
    response = send(client, courses)
    link = tracking_links(client.get(response.headers["Location"]).get_data(as_text=True))[1]
    page = text(client.get(link.removeprefix("http://localhost")))
    assert "Kubeflow in Practice" in page and "Gachibowli Data School" in page


def test_only_the_ticked_courses_are_asked_about(db, client, courses):
    send(client, courses, courses=[str(courses[1].id)], **{f"consent_{courses[0].institute_id}": None})
    assert [e.course_id for e in db.session.scalars(select(Enquiry))] == [courses[1].id]


def test_sending_without_csrf_token_is_refused_and_nothing_stored(db, client, courses):
    hidden = enquiry_hidden_fields(client.get(enquire_url(courses)).get_data(as_text=True))
    del hidden["csrf_token"]
    assert send(client, courses, hidden).status_code == 400
    assert count(db, Enquiry) == 0


def test_missing_consent_for_one_institute_keeps_everything_and_says_so_beside_its_box(db, client, courses):
    second = f"consent_{courses[1].institute_id}"
    response = send(client, courses, **{second: None}, message="Telugu batches?")
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and count(db, Enquiry) == 0
    assert (
        f'<p class="field-error" id="{second}-error">Please agree that Gachibowli Data School may contact '
        "you, or untick its courses above</p>"
    ) in page
    assert f'id="consent_{courses[0].institute_id}-error"' not in page
    assert 'class="error-summary"' in page
    assert 'value="Asha Rao"' in page and re.search(r">\s*Telugu batches\?</textarea>", page)
    assert all(f'value="{c.id}" id="courses-{c.id}" checked' in page for c in courses)


def test_no_course_ticked_is_refused_with_a_message(db, client, courses):
    response = send(client, courses, courses=None)
    assert response.status_code == 400
    assert "Tick at least one course to ask about" in text(response)


def test_a_course_closed_after_the_form_was_opened_is_refused_by_name(db, client, courses):
    hidden = enquiry_hidden_fields(client.get(enquire_url(courses)).get_data(as_text=True))
    courses[1].status = CourseStatus.ARCHIVED
    db.session.commit()
    response = send(client, courses, hidden)
    assert response.status_code == 400 and count(db, Enquiry) == 0
    assert "“Kubeflow in Practice”: Enquiries are closed: this course is not published." in text(response)


def test_filled_honeypot_is_refused_and_nothing_stored(db, client, courses):
    assert send(client, courses, website="http://spam.example").status_code == 400
    assert count(db, Enquiry) == 0


def test_sending_the_same_form_twice_stores_nothing_twice_and_shows_the_same_links(db, client, courses):
    hidden = enquiry_hidden_fields(client.get(enquire_url(courses)).get_data(as_text=True))
    first = send(client, courses, hidden)
    links = tracking_links(client.get(first.headers["Location"]).get_data(as_text=True))
    second = send(client, courses, hidden)
    assert second.status_code == 303 and second.headers["Location"] == first.headers["Location"]
    assert (count(db, Enquiry), count(db, OutboxMessage)) == (2, 4)
    assert tracking_links(client.get(second.headers["Location"]).get_data(as_text=True)) == links


def test_a_storage_failure_saves_nothing_and_shows_the_form_as_typed_with_a_503(
    db, client, courses, monkeypatch
):
    from catalog.services import outbox

    def lost(*args, **kwargs):
        raise OperationalError("INSERT INTO outbox_messages", {}, Exception("server closed the connection"))

    monkeypatch.setattr(outbox, "queue_email", lost)
    response = send(client, courses)
    assert response.status_code == 503
    assert "nothing was saved" in text(response) and 'value="Asha Rao"' in response.get_data(as_text=True)
    assert (count(db, Enquiry), count(db, OutboxMessage)) == (0, 0)


def test_confirmation_is_404_for_a_browser_that_sent_nothing(app, db, client, courses):
    send(client, courses)
    assert app.test_client().get("/shortlist/enquiries/sent").status_code == 404


# Rate limits


def test_sends_from_one_address_are_limited(db, app, client, courses):
    app.config["ENQUIRY_LIMITS_PER_ADDRESS"] = "1 per minute"
    assert send(client, courses, email="a@example.in", address="10.1.1.1").status_code == 303
    response = send(client, courses, email="b@example.in", address="10.1.1.1")
    assert response.status_code == 429 and "Please try again in about 1 minute." in text(response)
    assert count(db, Enquiry) == 2


def test_one_send_counts_once_against_the_email_limit(db, app, client, courses):
    app.config["ENQUIRY_LIMITS_PER_EMAIL"] = "1 per hour"
    assert send(client, courses, address="10.1.1.1").status_code == 303
    assert send(client, courses, address="10.2.2.2").status_code == 429
    assert count(db, Enquiry) == 2
