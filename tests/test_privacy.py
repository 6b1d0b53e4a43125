"""The privacy notice, and the links to it from the footer, the enquiry form and every email."""

from __future__ import annotations

import html

import pytest
from sqlalchemy import select

from catalog.models import ContactMethod, OutboxMessage
from catalog.services.accounts import request_password_reset
from catalog.services.enquiries import EnquiryDetails, submit_enquiry
from tests.builders import make_course, make_institute, make_user


def text(response) -> str:
    """The page's text with entities decoded and runs of white space made single spaces."""
    return " ".join(html.unescape(response.get_data(as_text=True)).split())


@pytest.fixture
def course(app):
    institute = make_institute(name="Gachibowli Data School", email="admissions@gachibowli.example")
    return make_course(institute=institute, title="MLOps Foundations")


def test_privacy_page_answers_with_the_notice(client):
    response = client.get("/privacy")
    assert response.status_code == 200
    assert "<h1>Privacy: your personal data</h1>" in response.get_data(as_text=True)


def test_privacy_page_lists_what_an_enquiry_collects(client):
    page = text(client.get("/privacy"))
    for item in (
        "your name, email address, phone number",
        "your message",
        "how you would like to be contacted",
    ):
        assert item in page
    assert "the consent sentence you agreed to" in page


def test_privacy_page_covers_staff_accounts_and_technical_logs(client):
    page = text(client.get("/privacy"))
    assert "Institute staff accounts:" in page and "Technical logs:" in page
    assert "masked before anything is written to a log" in page


def test_privacy_page_says_only_the_one_institute_and_admins_see_an_enquiry(client):
    page = text(client.get("/privacy"))
    assert "Only the one institute your enquiry is for, and the site's administrators." in page


def test_privacy_page_states_the_retention_period_from_the_setting(app, client):
    app.config["PERSONAL_DATA_RETENTION_DAYS"] = 90
    page = text(client.get("/privacy"))
    assert "for <strong>90 days</strong>, and then erase them" in page
    assert "365" not in page


def test_privacy_page_names_the_statuses_after_which_the_period_runs(client):
    page = text(client.get("/privacy"))
    assert "the institute marked it closed, invalid or enrolled, or you withdrew it" in page


def test_privacy_page_explains_the_private_link_and_what_deleting_does(client):
    page = text(client.get("/privacy"))
    assert "The receipt we email you when you send an enquiry has a private link." in page
    assert "your name, email address, phone number and message are erased" in page
    assert "the institute sees the enquiry as withdrawn" in page


def test_privacy_page_gives_the_contact_address_from_the_setting(app, client):
    app.config["PRIVACY_CONTACT_EMAIL"] = "dpo@courses.example.in"
    page = client.get("/privacy").get_data(as_text=True)
    assert '<a href="mailto:dpo@courses.example.in">dpo@courses.example.in</a>' in page


def test_footer_of_every_page_links_to_the_privacy_notice(client, course):
    for url in ("/", "/courses", f"/courses/{course.slug}", "/privacy", "/no-such-page"):
        page = client.get(url).get_data(as_text=True)
        footer = page[page.index('<footer class="site-footer">') :]
        assert '<a href="/privacy">Privacy</a>' in footer, url


def test_enquiry_form_links_to_the_privacy_notice_beside_the_consent_box(client, course):
    page = client.get(f"/courses/{course.slug}/enquire").get_data(as_text=True)
    form = page[page.index('<form class="enquiry-form"') : page.index("</form>", page.index("enquiry-form"))]
    after_consent = form[form.index('name="consent"') :]
    assert '<a href="/privacy">How we handle your personal data</a>' in after_consent.split("<button")[0]


def test_enquiry_emails_end_with_the_absolute_privacy_link(app, db, course):
    app.config["SITE_URL"] = "https://courses.example.in"
    details = EnquiryDetails(
        name="Asha Rao",
        email="asha@example.in",
        phone="",
        preferred_contact=ContactMethod.EMAIL,
        message="",
        batch_id=None,
        consent=True,
    )
    submit_enquiry(db.session, course, details, submission_key="privacy-footer")
    messages = db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.kind)).all()
    assert {m.kind for m in messages} == {"enquiry-receipt", "enquiry-notice"}
    for message in messages:
        assert message.body.rstrip().endswith("https://courses.example.in/privacy"), message.kind


def test_account_emails_end_with_the_absolute_privacy_link(app, db):
    app.config["SITE_URL"] = "https://courses.example.in"
    user = make_user(email="staff@gachibowli.example")
    request_password_reset(db.session, user.email)
    request_password_reset(db.session, "nobody@gachibowli.example")
    messages = db.session.scalars(select(OutboxMessage)).all()
    assert len(messages) == 2
    for message in messages:
        assert message.body.rstrip().endswith("https://courses.example.in/privacy"), message.kind
