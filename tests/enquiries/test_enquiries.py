"""A learner's enquiry, end to end: the form, its checks, spam guards, saving, tracking, withdrawal."""

from __future__ import annotations

import html
import ipaddress
import os
import re
import uuid
from contextlib import contextmanager

import pytest
from sqlalchemy import event, func, select
from sqlalchemy.exc import OperationalError

from catalog import create_app
from catalog.errors import wait_in_words
from catalog.models import (
    BatchStatus,
    ContactMethod,
    Course,
    CourseStatus,
    Enquiry,
    EnquiryEvent,
    EnquiryStatus,
    InstituteStatus,
    OutboxMessage,
    OutboxStatus,
)
from tests.builders import make_batch, make_course, make_enquiry, make_institute, signed_form_stamp
from tests.helpers import LEARNER_ANSWERS, csrf_token, enquiry_hidden_fields


def enquire_url(course: Course) -> str:
    return f"/courses/{course.slug}/enquire"


def form_fields(client, course: Course) -> dict[str, str]:
    """The hidden fields of a freshly opened enquiry form, as a browser would send them back."""
    return enquiry_hidden_fields(client.get(enquire_url(course)).get_data(as_text=True))


def send(client, course: Course, hidden: dict[str, str] | None = None, address="127.0.0.1", **fields):
    """Open the enquiry form, fill it with valid values changed by ``fields``, and send it."""
    data = {**(hidden if hidden is not None else form_fields(client, course)), **LEARNER_ANSWERS, **fields}
    data = {name: value for name, value in data.items() if value is not None}
    return client.post(enquire_url(course), data=data, environ_base={"REMOTE_ADDR": address})


def count(db, model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def stored(db) -> Enquiry:
    return db.session.scalars(select(Enquiry)).one()


def text(response) -> str:
    """The page's HTML with entities decoded and runs of white space made single spaces."""
    return " ".join(html.unescape(response.get_data(as_text=True)).split())


@pytest.fixture(autouse=True)
def site_url(app):
    """The site's address is the test client's, so links on pages and in emails agree."""
    app.config["SITE_URL"] = "http://localhost"


@pytest.fixture
def course(app):
    """A published course of an approved institute with an email address and one open batch."""
    institute = make_institute(name="Madhapur ML Academy", email="admissions@madhapur-ml.example")
    course = make_course(institute=institute, title="MLOps Bootcamp")
    make_batch(course, starts_in_days=20)
    return course


def tracking_link(db, client, response) -> str:
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    return re.search(r'class="tracking-link"><a href="([^"]+)"', page).group(1).replace("&amp;", "&")


# The form


def test_course_page_embeds_the_enquiry_form_posting_to_the_enquire_page(client, course):
    page = client.get(f"/courses/{course.slug}").get_data(as_text=True)
    assert f'action="/courses/{course.slug}/enquire"' in page
    assert 'name="submission_key"' in page and 'name="form_stamp"' in page


def test_enquire_page_shows_the_form_with_consent_naming_the_institute(client, course):
    response = client.get(enquire_url(course))
    assert response.status_code == 200
    assert (
        "I agree that Madhapur ML Academy may contact me about this course. "
        "My details go to Madhapur ML Academy alone and to no one else."
    ) in text(response)


def test_preferred_batch_offers_only_open_batches_and_no_preference(client, course):
    started = make_batch(course, starts_in_days=-3)
    full = make_batch(course, starts_in_days=30, seats_left=0)
    closed = make_batch(course, starts_in_days=40, status=BatchStatus.CLOSED)
    page = client.get(enquire_url(course)).get_data(as_text=True)
    select_html = page[page.index('id="batch"') : page.index("</select>")]
    assert "No preference" in select_html
    assert select_html.count("<option") == 2
    for batch in (started, full, closed):
        assert f'value="{batch.id}"' not in select_html


def test_each_form_rendering_carries_a_new_submission_key(client, course):
    assert form_fields(client, course)["submission_key"] != form_fields(client, course)["submission_key"]


# Saving


def test_enquiry_redirects_303_to_a_confirmation_with_reference_institute_and_tracking_link(
    db, client, course
):
    response = send(client, course)
    assert response.status_code == 303
    enquiry = stored(db)
    page = text(client.get(response.headers["Location"]))
    assert enquiry.reference in page
    assert "Madhapur ML Academy" in page
    assert f"http://localhost/enquiries/{enquiry.reference}?token=" in page


@contextmanager
def counting_commits(db):
    """A list that grows by one on every database commit inside the ``with`` block."""
    commits: list = []

    def on_commit(connection) -> None:
        commits.append(connection)

    event.listen(db.engine, "commit", on_commit)
    try:
        yield commits
    finally:
        event.remove(db.engine, "commit", on_commit)


def test_enquiry_history_and_two_outbox_messages_are_written_in_one_commit(db, client, course):
    hidden = form_fields(client, course)
    with counting_commits(db) as commits:
        send(client, course, hidden)
    assert len(commits) == 1
    enquiry = stored(db)
    assert [(e.from_status, e.to_status) for e in enquiry.history] == [(None, EnquiryStatus.NEW)]
    assert sorted(m.kind for m in db.session.scalars(select(OutboxMessage))) == [
        "enquiry-notice",
        "enquiry-receipt",
    ]


def test_reference_is_enq_and_six_unambiguous_characters(db, client, course):
    send(client, course)
    assert re.fullmatch(r"ENQ-[23456789ABCDEFGHJKMNPQRSTVWXYZ]{6}", stored(db).reference)


def test_receipt_goes_to_the_learner_with_reference_and_private_tracking_link(db, client, course):
    response = send(client, course)
    enquiry = stored(db)
    receipt = db.session.scalars(select(OutboxMessage).where(OutboxMessage.kind == "enquiry-receipt")).one()
    assert receipt.to_email == "asha@example.in"
    assert enquiry.reference in receipt.subject and enquiry.reference in receipt.body
    assert tracking_link(db, client, response) in receipt.body
    assert receipt.enquiry_id == enquiry.id and receipt.status == OutboxStatus.PENDING


def test_notice_goes_to_the_institute_with_course_batch_and_inbox_link(db, client, course):
    batch = course.batches[0]
    send(client, course, batch=str(batch.id))
    notice = db.session.scalars(select(OutboxMessage).where(OutboxMessage.kind == "enquiry-notice")).one()
    assert notice.to_email == "admissions@madhapur-ml.example"
    assert "MLOps Bootcamp" in notice.body
    assert f"starting {batch.start_date.day} " in notice.body
    assert "http://localhost/portal/enquiries" in notice.body


def test_institute_without_an_email_gets_no_notice_but_the_learner_gets_a_receipt(db, client):
    course = make_course(institute=make_institute(email=None))
    assert send(client, course).status_code == 303
    assert [m.kind for m in db.session.scalars(select(OutboxMessage))] == ["enquiry-receipt"]


def test_consent_text_naming_the_institute_is_stored_exactly(db, client, course):
    send(client, course)
    assert stored(db).consent_text == (
        "I agree that Madhapur ML Academy may contact me about this course. "
        "My details go to Madhapur ML Academy alone and to no one else."
    )


@pytest.mark.parametrize("typed", ["98765 43210", "+91 98765 43210", "098765-43210", "+91-9876543210"])
def test_phone_is_stored_in_e164(db, client, course, typed):
    send(client, course, phone=typed)
    assert stored(db).phone == "+919876543210"


def test_email_is_stored_normalised(db, client, course):
    send(client, course, email="  asha@EXAMPLE.IN ")
    assert stored(db).email == "asha@example.in"


def test_email_is_stored_lower_cased_local_part_included(db, client, course):
    send(client, course, email="Asha.Rao@Example.IN")
    assert stored(db).email == "asha.rao@example.in"


@pytest.mark.parametrize("name", ["రాము", "अनिता", "Zoë O'Brien-Reddy", "రాము <b>Rao</b>"])
def test_names_in_any_script_are_accepted_and_shown_escaped(db, client, course, name):
    response = send(client, course, name=name)
    assert response.status_code == 303
    assert stored(db).name == name
    page = client.get(tracking_link(db, client, response)).get_data(as_text=True)
    assert html.escape(name, quote=False) in page.replace("&#39;", "'")
    assert "<b>Rao</b>" not in page


def test_chosen_batch_and_preferred_contact_are_stored(db, client, course):
    batch = course.batches[0]
    send(client, course, batch=str(batch.id), preferred_contact="whatsapp")
    assert stored(db).batch_id == batch.id
    assert stored(db).preferred_contact == ContactMethod.WHATSAPP


# Validation: each rule refuses the form with its message; nothing is stored


def assert_refused_with(db, response, message: str) -> None:
    assert response.status_code == 400
    page = text(response)
    assert 'class="error-summary"' in page
    assert message in page
    assert count(db, Enquiry) == 0


def test_enquiry_without_consent_is_refused_with_message(db, client, course):
    response = send(client, course, consent=None)
    assert_refused_with(db, response, "Please agree to be contacted, or we cannot pass on your enquiry")


def test_enquiry_without_a_name_is_refused_with_message(db, client, course):
    assert_refused_with(db, send(client, course, name="   "), "Enter your name")


def test_name_over_120_characters_is_refused_with_message(db, client, course):
    response = send(client, course, name="A" * 121)
    assert_refused_with(db, response, "Keep your name to 120 characters or fewer")


def test_name_of_120_characters_is_accepted(db, client, course):
    assert send(client, course, name="అ" * 120).status_code == 303


@pytest.mark.parametrize("name", ["12345", "!!! ---", "😀😀"])
def test_name_without_any_letter_is_refused_with_message(db, client, course, name):
    assert_refused_with(db, send(client, course, name=name), "Enter your name in letters, in any script")


def test_enquiry_without_an_email_is_refused_with_message(db, client, course):
    assert_refused_with(db, send(client, course, email=""), "Enter your email address")


@pytest.mark.parametrize("email", ["asha", "asha@", "asha@@example.in", "asha@example"])
def test_invalid_email_is_refused_with_message(db, client, course, email):
    response = send(client, course, email=email)
    assert_refused_with(db, response, "Enter a valid email address, e.g. name@example.com")


@pytest.mark.parametrize("phone", ["12345", "phone me", "+91 12345 67890123"])
def test_invalid_phone_is_refused_with_an_example(db, client, course, phone):
    response = send(client, course, phone=phone)
    assert_refused_with(db, response, "Enter a valid phone number, e.g. 98765 43210 or +91 98765 43210")


@pytest.mark.parametrize("method", ["phone", "whatsapp"])
def test_phone_is_required_to_be_called_or_messaged(db, client, course, method):
    response = send(client, course, phone="", preferred_contact=method)
    assert_refused_with(db, response, "Enter a phone number, so the institute can call or message you")


def test_phone_may_be_left_out_when_contact_is_by_email(db, client, course):
    assert send(client, course, phone="", preferred_contact="email").status_code == 303
    assert stored(db).phone == ""


def test_message_over_2000_characters_is_refused_with_the_bound(db, client, course):
    response = send(client, course, message="x" * 2001)
    assert_refused_with(db, response, "Keep your message to 2,000 characters or fewer")


def test_message_of_2000_characters_and_no_message_are_accepted(db, client, course):
    assert send(client, course, message="x" * 2000).status_code == 303
    assert send(client, course, message="").status_code == 303
    assert count(db, Enquiry) == 2


def test_unknown_preferred_contact_is_refused_with_message(db, client, course):
    response = send(client, course, preferred_contact="pigeon")
    assert_refused_with(db, response, "Choose email, phone call or WhatsApp")


def test_errors_show_in_a_summary_at_the_top_and_beside_each_field(db, client, course):
    page = send(client, course, name="", email="nope").get_data(as_text=True)
    summary = page[page.index('class="error-summary"') : page.index('id="name"')]
    assert '<a href="#name">Your name: Enter your name</a>' in summary
    assert '<a href="#email">Email: Enter a valid email address, e.g. name@example.com</a>' in summary
    assert '<p class="field-error" id="name-error">Enter your name</p>' in page
    assert 'aria-describedby="email-error"' in page


def test_entered_values_are_kept_when_the_form_comes_back_with_errors(db, client, course):
    batch = course.batches[0]
    response = send(
        client,
        course,
        consent=None,
        name="अनिता",
        batch=str(batch.id),
        preferred_contact="phone",
        message="Hello",
    )
    page = response.get_data(as_text=True)
    assert 'value="अनिता"' in page
    assert 'value="asha@example.in"' in page
    assert 'value="98765 43210"' in page
    assert f'<option selected value="{batch.id}">' in page
    assert 'checked id="preferred_contact-1"' in page
    assert re.search(r">\s*Hello</textarea>", page)


# Guards: CSRF, honeypot, minimum time, signed stamp


def test_enquiry_without_csrf_token_is_refused_and_nothing_stored(db, client, course):
    hidden = form_fields(client, course)
    del hidden["csrf_token"]
    assert send(client, course, hidden).status_code == 400
    assert count(db, Enquiry) == 0


def test_honeypot_is_hidden_from_people_and_labelled_leave_this_empty(client, course):
    page = client.get(enquire_url(course)).get_data(as_text=True)
    trap = page[page.index('<div class="hp" aria-hidden="true">') :]
    trap = trap[: trap.index("</div></div>")]
    assert "Leave this empty" in trap
    assert 'autocomplete="off"' in trap and 'tabindex="-1"' in trap


def test_filled_honeypot_is_refused_and_nothing_stored(db, client, course):
    response = send(client, course, website="https://cheap-leads.example")
    assert_refused_with(db, response, "We could not accept this form.")


def test_enquiry_sent_sooner_than_a_person_could_is_refused(db, app, client, course):
    app.config["ENQUIRY_MIN_SECONDS"] = 60
    response = send(client, course)
    assert_refused_with(db, response, "That was quicker than anyone can fill in this form.")


def test_enquiry_sent_after_the_minimum_time_is_accepted(db, app, client, course):
    app.config["ENQUIRY_MIN_SECONDS"] = 60
    hidden = form_fields(client, course)
    hidden["form_stamp"] = signed_form_stamp("test-secret", hidden["submission_key"], seconds_ago=61)
    assert send(client, course, hidden).status_code == 303


def test_enquiry_without_a_form_stamp_is_refused(db, client, course):
    hidden = form_fields(client, course)
    del hidden["form_stamp"]
    assert_refused_with(db, send(client, course, hidden), "We could not check this form.")


def test_enquiry_without_submission_key_and_form_stamp_is_refused(db, client, course):
    hidden = {"csrf_token": form_fields(client, course)["csrf_token"]}
    assert_refused_with(db, send(client, course, hidden), "We could not check this form.")


def test_enquiry_with_a_forged_form_stamp_is_refused(db, client, course):
    hidden = form_fields(client, course)
    hidden["form_stamp"] = signed_form_stamp("not-our-secret", hidden["submission_key"], seconds_ago=600)
    assert_refused_with(db, send(client, course, hidden), "We could not check this form.")


def test_form_stamp_of_another_form_is_refused(db, client, course):
    hidden = form_fields(client, course)
    hidden["form_stamp"] = form_fields(client, course)["form_stamp"]
    assert_refused_with(db, send(client, course, hidden), "We could not check this form.")


def test_form_stamp_older_than_a_day_is_refused(db, client, course):
    hidden = form_fields(client, course)
    hidden["form_stamp"] = signed_form_stamp("test-secret", hidden["submission_key"], seconds_ago=86_401)
    assert_refused_with(db, send(client, course, hidden), "This form is more than a day old.")


def test_refused_stamp_is_replaced_so_the_form_can_be_sent_again(db, client, course):
    hidden = form_fields(client, course)
    hidden["form_stamp"] = "forged"
    page = send(client, course, hidden).get_data(as_text=True)
    assert send(client, course, enquiry_hidden_fields(page)).status_code == 303


# Rate limits


def test_enquiries_from_one_address_are_limited_with_a_friendly_429_page(db, app, client, course):
    app.config["ENQUIRY_LIMITS_PER_ADDRESS"] = "2 per minute"
    for n in range(2):
        assert send(client, course, email=f"learner{n}@example.in", address="10.1.1.1").status_code == 303
    response = send(client, course, email="learner9@example.in", address="10.1.1.1")
    assert response.status_code == 429
    assert "Please try again in about 1 minute." in text(response)
    assert 0 < int(response.headers["Retry-After"]) <= 61
    assert count(db, Enquiry) == 2


def test_limit_per_address_leaves_other_addresses_alone(db, app, client, course):
    app.config["ENQUIRY_LIMITS_PER_ADDRESS"] = "1 per minute"
    assert send(client, course, email="a@example.in", address="10.1.1.1").status_code == 303
    assert send(client, course, email="b@example.in", address="10.2.2.2").status_code == 303


def test_opening_the_form_is_not_limited(app, client, course):
    app.config["ENQUIRY_LIMITS_PER_ADDRESS"] = "1 per minute"
    assert all(client.get(enquire_url(course)).status_code == 200 for _ in range(3))


def test_enquiries_with_one_email_are_limited_across_addresses(db, app, client, course):
    app.config["ENQUIRY_LIMITS_PER_EMAIL"] = "1 per hour"
    assert send(client, course, email="asha@example.in", address="10.1.1.1").status_code == 303
    response = send(client, course, email="ASHA@example.in ", address="10.2.2.2")
    assert response.status_code == 429
    assert "Please try again in about" in text(response)
    assert 3000 < int(response.headers["Retry-After"]) <= 3601
    assert count(db, Enquiry) == 1


def test_refused_forms_do_not_count_against_the_email_limit(db, app, client, course):
    app.config["ENQUIRY_LIMITS_PER_EMAIL"] = "1 per hour"
    assert send(client, course, consent=None).status_code == 400
    assert send(client, course).status_code == 303


def test_rate_limited_json_client_gets_a_json_429(app, client, course):
    app.config["ENQUIRY_LIMITS_PER_ADDRESS"] = "1 per minute"
    send(client, course)
    hidden = form_fields(client, course)
    response = client.post(
        enquire_url(course), data={**hidden, **LEARNER_ANSWERS}, headers={"Accept": "application/json"}
    )
    assert response.status_code == 429
    assert response.json["error"]["status"] == 429
    assert "Please try again in about 1 minute" in response.json["error"]["detail"]
    assert abs(int(response.headers["Retry-After"]) - response.json["error"]["retry_after"]) <= 1


@pytest.mark.parametrize(
    ("seconds", "words"),
    [
        (1, "about 1 minute"),
        (61, "about 1 minute"),
        (900, "about 15 minutes"),
        (3600, "about 60 minutes"),
        (86_400, "about 24 hours"),
    ],
)
def test_the_wait_is_said_in_minutes_or_hours(seconds, words):
    assert wait_in_words(seconds) == words


def test_limit_per_address_works_with_redis_storage(app, course):
    redis_url = os.environ.get("TEST_REDIS_URL")
    if not redis_url:
        pytest.skip(
            "Redis rate-limit storage is tested when TEST_REDIS_URL is set (e.g. redis://127.0.0.1:6379/0)"
        )
    redis_app = create_app(
        {
            **{
                k: app.config[k]
                for k in ("SQLALCHEMY_DATABASE_URI", "TESTING", "SECRET_KEY", "ENQUIRY_MIN_SECONDS")
            },
            "RATELIMIT_STORAGE_URI": redis_url,
            "RATELIMIT_KEY_PREFIX": f"test-{uuid.uuid4().hex}",
            "ENQUIRY_LIMITS_PER_ADDRESS": "1 per minute",
        }
    )
    client = redis_app.test_client()
    # A fresh address and emails each run, so counts left in Redis by earlier runs do not matter.
    address = str(ipaddress.IPv6Address(uuid.uuid4().int))
    run = uuid.uuid4().hex
    try:
        assert send(client, course, email=f"a-{run}@example.in", address=address).status_code == 303
        response = send(client, course, email=f"b-{run}@example.in", address=address)
        assert response.status_code == 429
        assert "Please try again in about 1 minute." in text(response)
    finally:
        from catalog.extensions import db

        with redis_app.app_context():
            db.engine.dispose()


# One transaction, and sending twice


def failing_after(calls: int, original):
    """A stand-in for ``queue_email`` whose call number ``calls + 1`` fails like a lost database."""
    made = []

    def queue_email(*args, **kwargs):
        if len(made) == calls:
            raise OperationalError(
                "INSERT INTO outbox_messages", {}, Exception("server closed the connection")
            )
        made.append(1)
        return original(*args, **kwargs)

    return queue_email


@pytest.mark.parametrize("calls", [0, 1], ids=["receipt-fails", "notice-fails"])
def test_outbox_failure_leaves_nothing_behind_and_shows_a_friendly_503(
    db, client, course, monkeypatch, calls
):
    from catalog.services import outbox

    monkeypatch.setattr(outbox, "queue_email", failing_after(calls, outbox.queue_email))
    response = send(client, course)
    assert response.status_code == 503
    assert "We could not send your enquiry just now; nothing was saved. Please try again." in text(response)
    assert 'value="Asha Rao"' in response.get_data(as_text=True)
    assert (count(db, Enquiry), count(db, EnquiryEvent), count(db, OutboxMessage)) == (0, 0, 0)


def test_after_an_outbox_failure_sending_again_works(db, client, course, monkeypatch):
    from catalog.services import outbox

    original = outbox.queue_email
    hidden = form_fields(client, course)
    monkeypatch.setattr(outbox, "queue_email", failing_after(0, original))
    assert send(client, course, hidden).status_code == 503
    monkeypatch.setattr(outbox, "queue_email", original)
    assert send(client, course, hidden).status_code == 303
    assert count(db, Enquiry) == 1


def test_sending_the_same_form_twice_stores_one_enquiry_and_shows_the_first_confirmation(db, client, course):
    hidden = form_fields(client, course)
    first = send(client, course, hidden)
    second = send(client, course, hidden)
    assert count(db, Enquiry) == 1
    assert second.status_code == 303 and second.headers["Location"] == first.headers["Location"]
    assert 'class="tracking-link"' in client.get(second.headers["Location"]).get_data(as_text=True)
    assert count(db, OutboxMessage) == 2


def test_same_form_sent_from_a_browser_without_the_token_shows_confirmation_pointing_to_the_email(
    db, app, client, course
):
    hidden = form_fields(client, course)
    send(client, course, hidden)
    other_browser = app.test_client()
    with app.app_context():  # requests of another browser share nothing, not even ``g``
        hidden["csrf_token"] = csrf_token(other_browser, enquire_url(course))
        response = send(other_browser, course, hidden)
        page = text(other_browser.get(response.headers["Location"]))
    assert stored(db).reference in page
    assert "private link to follow or delete your enquiry is in the receipt email" in page
    assert "?token=" not in page


# Tracking and withdrawal


def sent_enquiry(db, client, course, **fields) -> tuple[Enquiry, str]:
    response = send(client, course, **fields)
    return stored(db), tracking_link(db, client, response)


def test_tracking_page_with_the_right_token_shows_status_course_and_institute(db, client, course):
    enquiry, link = sent_enquiry(db, client, course)
    page = text(client.get(link))
    assert f"Your enquiry {enquiry.reference}" in page
    assert "Status: New" in re.sub(r"<[^>]+>", "", page)
    assert "MLOps Bootcamp" in page and "Madhapur ML Academy" in page
    assert "Delete my enquiry" in page


def test_tracking_page_shows_the_phone_as_people_read_it(db, client, course):
    _, link = sent_enquiry(db, client, course, phone="98765 43210")
    assert "+91 98765 43210" in text(client.get(link))


@pytest.mark.parametrize(
    ("status", "words"),
    [
        (EnquiryStatus.CONTACTED, "Contacted"),
        (EnquiryStatus.ENROLLED, "Enrolled"),
        (EnquiryStatus.CLOSED, "Closed"),
        (EnquiryStatus.WITHDRAWN, "Withdrawn"),
    ],
)
def test_tracking_page_says_the_status_in_words(db, client, course, status, words):
    enquiry = make_enquiry(course, token="secret-token", status=status)
    page = client.get(f"/enquiries/{enquiry.reference}?token=secret-token").get_data(as_text=True)
    assert f'enquiry-status-{status.value}">{words}</strong>' in page


@pytest.mark.parametrize("query", ["", "?token=", "?token=wrong-token"])
def test_tracking_page_without_the_right_token_is_404_and_shows_nothing_of_the_enquiry(
    db, client, course, query
):
    enquiry = make_enquiry(course, token="secret-token", name="Private Person")
    response = client.get(f"/enquiries/{enquiry.reference}{query}")
    assert response.status_code == 404
    page = text(response)
    assert "Private Person" not in page and "MLOps Bootcamp" not in page and enquiry.reference not in page


def test_tracking_token_of_another_enquiry_is_404(db, client, course):
    mine = make_enquiry(course, token="my-token")
    other = make_enquiry(course, token="other-token")
    assert client.get(f"/enquiries/{mine.reference}?token=other-token").status_code == 404
    assert client.get(f"/enquiries/{other.reference}?token=other-token").status_code == 200


def test_confirmation_page_is_404_for_a_browser_that_did_not_send_the_enquiry(db, app, client, course):
    response = send(client, course)
    assert app.test_client().get(response.headers["Location"]).status_code == 404


def test_tracking_pages_are_never_cached(db, client, course):
    _, link = sent_enquiry(db, client, course)
    assert client.get(link).headers["Cache-Control"] == "no-store"


def withdraw(client, link: str, token: str | None = None, csrf: str | None = None):
    reference = re.search(r"/enquiries/([^?]+)\?token=(.+)$", link)
    data = {
        "csrf_token": csrf or csrf_token(client, link),
        "token": token if token is not None else reference.group(2),
    }
    return client.post(f"/enquiries/{reference.group(1)}/withdraw", data=data)


def test_withdrawal_erases_personal_data_in_one_commit_and_the_institute_sees_withdrawn(db, client, course):
    enquiry, link = sent_enquiry(db, client, course, message="Call me after six")
    withdraw_page_token = csrf_token(client, link)
    with counting_commits(db) as commits:
        response = withdraw(client, link, csrf=withdraw_page_token)
    assert response.status_code == 303
    assert len(commits) == 1
    db.session.expire_all()
    enquiry = stored(db)
    assert (enquiry.name, enquiry.email, enquiry.phone, enquiry.message) == ("", "", "", "")
    assert enquiry.status == EnquiryStatus.WITHDRAWN and enquiry.withdrawn_at is not None
    last = enquiry.history[-1]
    assert (last.from_status, last.to_status) == (EnquiryStatus.NEW, EnquiryStatus.WITHDRAWN)
    assert "erased" in last.note


def test_withdrawal_erases_the_learners_receipt_from_the_outbox(db, client, course):
    _, link = sent_enquiry(db, client, course)
    withdraw(client, link)
    db.session.expire_all()
    receipt = db.session.scalars(select(OutboxMessage).where(OutboxMessage.kind == "enquiry-receipt")).one()
    assert receipt.to_email == "" and "Asha" not in receipt.body and "token=" not in receipt.body
    assert receipt.status == OutboxStatus.FAILED


def test_tracking_page_after_withdrawal_says_withdrawn_and_data_erased(db, client, course):
    _, link = sent_enquiry(db, client, course)
    page = text(client.get(withdraw(client, link).headers["Location"]))
    assert "Your enquiry was withdrawn and your personal data erased." in page
    assert "were erased; Madhapur ML Academy sees it as withdrawn" in page
    assert "Asha Rao" not in page and "Delete my enquiry</button>" not in page


def test_withdrawal_without_csrf_token_is_refused(db, client, course):
    enquiry, link = sent_enquiry(db, client, course)
    token = link.split("token=")[1]
    response = client.post(f"/enquiries/{enquiry.reference}/withdraw", data={"token": token})
    assert response.status_code == 400
    db.session.expire_all()
    assert stored(db).status == EnquiryStatus.NEW


def test_withdrawal_with_a_wrong_token_is_404_and_changes_nothing(db, client, course):
    _, link = sent_enquiry(db, client, course)
    assert withdraw(client, link, token="guess").status_code == 404
    db.session.expire_all()
    assert stored(db).name == "Asha Rao"


# Closed batches and courses


def test_enquiry_for_a_batch_that_has_started_is_refused_with_message(db, client, course):
    started = make_batch(course, starts_in_days=0)
    response = send(client, course, batch=str(started.id))
    assert_refused_with(db, response, "That batch has started or is full; choose another batch")


def test_enquiry_for_a_full_batch_is_refused_with_message(db, client, course):
    full = make_batch(course, starts_in_days=15, seats_left=0)
    response = send(client, course, batch=str(full.id))
    assert_refused_with(db, response, "That batch has started or is full; choose another batch")


@pytest.mark.parametrize("value", ["other-course", "999999", "abc"])
def test_enquiry_for_a_batch_of_another_course_is_refused(db, client, course, value):
    other = make_batch(make_course())
    response = send(client, course, batch=str(other.id) if value == "other-course" else value)
    assert_refused_with(db, response, "Choose one of this course's batches, or No preference")


def test_a_course_with_no_open_batch_can_still_be_asked_about(db, client):
    course = make_course()
    page = client.get(enquire_url(course)).get_data(as_text=True)
    assert "No batch is open just now" in page
    assert send(client, course).status_code == 303


@pytest.mark.parametrize("status", [CourseStatus.DRAFT, CourseStatus.PENDING, CourseStatus.ARCHIVED])
def test_enquire_page_of_an_unpublished_course_says_enquiries_are_closed(client, status):
    course = make_course(status=status)
    response = client.get(enquire_url(course))
    assert response.status_code == 404
    assert "Enquiries are closed: this course is not published." in text(response)
    assert 'name="submission_key"' not in response.get_data(as_text=True)


def test_enquiry_for_a_course_unpublished_after_the_form_was_opened_is_refused(db, client, course):
    hidden = form_fields(client, course)
    course.status = CourseStatus.ARCHIVED
    db.session.commit()
    response = send(client, course, hidden)
    assert response.status_code == 404
    assert "Enquiries are closed: this course is not published." in text(response)
    assert count(db, Enquiry) == 0


@pytest.mark.parametrize("status", [InstituteStatus.PENDING, InstituteStatus.SUSPENDED])
def test_enquiry_for_a_course_of_an_institute_not_approved_is_refused(db, client, status):
    course = make_course(institute=make_institute(status=status))
    response = client.get(enquire_url(course))
    assert response.status_code == 404
    assert "Enquiries are closed" in text(response)


def test_one_send_reports_form_and_rule_problems_together(db, client, course):
    response = send(client, course, email="not-an-email", consent=None)
    page = text(response)
    assert response.status_code == 400
    assert "Enter a valid email address, e.g. name@example.com" in page
    assert "Please agree to be contacted, or we cannot pass on your enquiry" in page
    assert count(db, Enquiry) == 0
