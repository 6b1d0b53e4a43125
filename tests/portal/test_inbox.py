"""The enquiry inbox: filters, the status workflow and its history, CSV export."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import event, select

from catalog.models import AuditEntry, Enquiry, EnquiryEvent, EnquiryStatus, InvalidReason
from catalog.services.inbox import StatusChange, change_status
from tests.builders import make_batch, make_course, make_enquiry, make_institute, make_user
from tests.helpers import csrf_token

S = EnquiryStatus


@pytest.fixture
def institute(db):
    return make_institute(name="Gachibowli Pipelines Academy", slug="gachibowli-pipelines")


@pytest.fixture
def staff(institute):
    return make_user(institute=institute, name="Lakshmi Rao")


@pytest.fixture
def course(institute):
    return make_course(title="MLOps with Kubeflow", institute=institute)


@pytest.fixture
def signed_in(auth, staff):
    auth.login(staff)
    return staff


def detail_url(enquiry: Enquiry) -> str:
    return f"/portal/enquiries/{enquiry.id}"


def post_status(client, enquiry: Enquiry, **data):
    url = detail_url(enquiry)
    return client.post(url, data={"csrf_token": csrf_token(client, url), **data})


def reload(db, enquiry: Enquiry) -> Enquiry:
    db.session.expire_all()
    return db.session.get(Enquiry, enquiry.id)


def read_csv(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.get_data().decode("utf-8-sig"))))


# The list and its filters


def test_inbox_lists_own_enquiries_only(client, signed_in, course):
    mine = make_enquiry(course, name="Sravani Reddy")
    theirs = make_enquiry(make_course(), name="Someone Elsewhere")
    html = client.get("/portal/enquiries").get_data(as_text=True)
    assert mine.reference in html and "Sravani Reddy" in html
    assert theirs.reference not in html and "Someone Elsewhere" not in html


def test_inbox_row_shows_reference_received_name_course_batch_contact_and_status(client, signed_in, course):
    batch = make_batch(course, starts_in_days=20)
    enquiry = make_enquiry(
        course,
        batch=batch,
        name="అనిల్ కుమార్",
        created_at=datetime(2026, 3, 1, 19, 0, tzinfo=UTC),
        status=S.CONTACTED,
    )
    html = client.get("/portal/enquiries").get_data(as_text=True)
    assert f'href="/portal/enquiries/{enquiry.id}">{enquiry.reference}</a>' in html
    # 19:00 UTC is half past midnight the next day in Hyderabad.
    assert "2 Mar 2026, 00:30" in html
    assert "అనిల్ కుమార్" in html
    assert "MLOps with Kubeflow" in html
    assert batch.start_date.strftime("%-d %b %Y") in html
    assert ">Email<" in html
    assert ">Contacted<" in html


def test_inbox_filters_by_status(client, signed_in, course):
    new = make_enquiry(course, status=S.NEW)
    contacted = make_enquiry(course, status=S.CONTACTED)
    html = client.get("/portal/enquiries?status=contacted").get_data(as_text=True)
    assert contacted.reference in html
    assert new.reference not in html
    assert "1 enquiry matches these filters" in html


def test_inbox_filters_by_course(client, signed_in, course, institute):
    other = make_course(title="Feature Stores in Practice", institute=institute)
    wanted = make_enquiry(other)
    unwanted = make_enquiry(course)
    html = client.get(f"/portal/enquiries?course={other.id}").get_data(as_text=True)
    assert wanted.reference in html
    assert unwanted.reference not in html


def test_inbox_filters_by_days_received_in_hyderabad(client, signed_in, course):
    # 1 March 18:00 UTC is 23:30 on 1 March in Hyderabad; 18:31 UTC is already 2 March there.
    late_first = make_enquiry(course, created_at=datetime(2026, 3, 1, 18, 0, tzinfo=UTC))
    early_second = make_enquiry(course, created_at=datetime(2026, 3, 1, 18, 31, tzinfo=UTC))
    third = make_enquiry(course, created_at=datetime(2026, 3, 3, 6, 0, tzinfo=UTC))
    html = client.get("/portal/enquiries?received_from=2026-03-02&received_to=2026-03-02").get_data(
        as_text=True
    )
    assert early_second.reference in html
    assert late_first.reference not in html
    assert third.reference not in html


def test_course_filter_offers_own_courses_only(client, signed_in, course):
    make_course(title="A Course Of Another Institute")
    html = client.get("/portal/enquiries").get_data(as_text=True)
    assert f'<option value="{course.id}">MLOps with Kubeflow</option>' in html
    assert "A Course Of Another Institute" not in html


def test_another_institutes_course_cannot_be_used_as_a_filter(client, signed_in, course):
    foreign = make_course()
    make_enquiry(foreign)
    mine = make_enquiry(course)
    html = client.get(f"/portal/enquiries?course={foreign.id}").get_data(as_text=True)
    assert "Not a valid choice" in html
    assert mine.reference in html


def test_end_date_before_start_date_is_explained(client, signed_in, course):
    html = client.get("/portal/enquiries?received_from=2026-03-05&received_to=2026-03-01").get_data(
        as_text=True
    )
    assert "The end date must be on or after the start date." in html


@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01"])
def test_a_date_far_outside_any_inbox_is_explained(client, signed_in, course, day):
    response = client.get(f"/portal/enquiries?received_from={day}&received_to={day}")
    assert response.status_code == 200
    assert "Enter a date between 2000 and 2099." in response.get_data(as_text=True)


def test_filters_that_are_not_values_are_explained_not_failed(client, signed_in, course):
    response = client.get("/portal/enquiries?status=nonsense&course=abc&received_from=31-02-2026&page=x")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Not a valid choice" in html
    assert "Not a valid date value" in html


def test_withdrawn_enquiry_is_listed_as_withdrawn_without_personal_data(client, signed_in, course):
    enquiry = make_enquiry(course, status=S.WITHDRAWN, name="Kiran Private", email="kiran@private.in")
    html = client.get("/portal/enquiries").get_data(as_text=True)
    assert enquiry.reference in html
    assert "Withdrawn" in html
    assert "Kiran Private" not in html


def test_inbox_pages_keep_the_filters(client, signed_in, course):
    for _ in range(27):
        make_enquiry(course, status=S.CONTACTED)
    make_enquiry(course, status=S.NEW)
    first = client.get("/portal/enquiries?status=contacted").get_data(as_text=True)
    assert "27 enquiries match these filters" in first
    assert "/portal/enquiries?status=contacted&amp;page=2" in first
    second = client.get("/portal/enquiries?status=contacted&page=2").get_data(as_text=True)
    assert second.count('<th scope="row" class="inbox-ref">') == 2


def test_a_page_past_the_end_is_empty_not_an_error(client, signed_in, course):
    make_enquiry(course)
    assert client.get("/portal/enquiries?page=99").status_code == 200
    assert client.get("/portal/enquiries?page=-3").status_code == 200


def _queries_for(client, db, url: str) -> int:
    statements = []

    def count(conn, cursor, statement, *args):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        assert client.get(url).status_code == 200
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    return len(statements)


def test_inbox_page_costs_the_same_queries_whatever_its_size(client, db, signed_in, institute):
    course = make_course(institute=institute)
    make_enquiry(course, batch=make_batch(course))
    few = _queries_for(client, db, "/portal/enquiries")
    for _ in range(8):
        other = make_course(institute=institute)
        for _ in range(3):
            make_enquiry(other, batch=make_batch(other))
    many = _queries_for(client, db, "/portal/enquiries")
    assert many == few


# One enquiry and its workflow


def test_detail_shows_every_field_and_the_consent_text(client, signed_in, course):
    batch = make_batch(course, starts_in_days=30)
    enquiry = make_enquiry(
        course,
        batch=batch,
        name="Meera Iyer",
        email="meera@example.in",
        phone="+919812345678",
        message="Is there a weekend batch?",
        consent_text="I agree that Gachibowli Pipelines Academy may contact me about this course.",
    )
    html = client.get(detail_url(enquiry)).get_data(as_text=True)
    for text in (
        enquiry.reference,
        "Meera Iyer",
        "mailto:meera@example.in",
        "tel:+919812345678",
        "Is there a weekend batch?",
        "I agree that Gachibowli Pipelines Academy may contact me about this course.",
        "MLOps with Kubeflow",
        batch.start_date.strftime("%-d %b %Y"),
    ):
        assert text in html


def test_detail_shows_the_phone_as_people_read_it_and_dials_it_in_e164(client, signed_in, course):
    enquiry = make_enquiry(course, phone="+919812345678")
    html = client.get(detail_url(enquiry)).get_data(as_text=True)
    assert '<a href="tel:+919812345678">+91 98123 45678</a>' in html


def test_only_the_moves_allowed_from_the_current_status_are_offered(client, signed_in, course):
    enquiry = make_enquiry(course, status=S.NEW)
    html = client.get(detail_url(enquiry)).get_data(as_text=True)
    for value in ("new", "contacted", "closed", "invalid"):
        assert f'name="status" type="radio" value="{value}"' in html
    assert 'value="enrolled"' not in html
    assert 'value="withdrawn"' not in html


def test_marking_contacted_records_history_and_audit(client, db, signed_in, course):
    enquiry = make_enquiry(course)
    response = post_status(client, enquiry, status="contacted", note="Called, sending the syllabus.")
    assert response.status_code == 302
    assert reload(db, enquiry).status == S.CONTACTED
    step = db.session.scalars(select(EnquiryEvent).where(EnquiryEvent.enquiry_id == enquiry.id)).one()
    assert (step.from_status, step.to_status, step.user_id) == (S.NEW, S.CONTACTED, signed_in.id)
    assert step.note == "Called, sending the syllabus."
    audit = db.session.scalars(select(AuditEntry).where(AuditEntry.record_type == "Enquiry")).one()
    assert audit.action == "status"
    assert audit.record_id == enquiry.id
    assert audit.institute_id == course.institute_id
    assert audit.user_id == signed_in.id
    assert audit.changes == {"status": ["new", "contacted"]}


def test_history_shows_who_when_from_to_reason_and_note(client, db, signed_in, course):
    enquiry = make_enquiry(course)
    post_status(client, enquiry, status="contacted", note="Left a voicemail.")
    post_status(client, enquiry, status="invalid", reason="duplicate", note="Same as ENQ-T00001.")
    html = client.get(detail_url(enquiry)).get_data(as_text=True)
    assert "New → Contacted" in html
    assert "Contacted → Invalid" in html
    assert "(duplicate)" in html
    assert "Left a voicemail." in html and "Same as ENQ-T00001." in html
    assert html.count("Lakshmi Rao") == 2
    steps = db.session.scalars(
        select(EnquiryEvent).where(EnquiryEvent.enquiry_id == enquiry.id).order_by(EnquiryEvent.id)
    ).all()
    assert [(s.from_status, s.to_status, s.reason) for s in steps] == [
        (S.NEW, S.CONTACTED, None),
        (S.CONTACTED, S.INVALID, InvalidReason.DUPLICATE),
    ]


def test_invalid_without_a_reason_is_refused_with_a_message(client, db, signed_in, course):
    enquiry = make_enquiry(course)
    response = post_status(client, enquiry, status="invalid")
    assert response.status_code == 400
    assert "Choose why this enquiry is invalid: wrong number, spam or duplicate." in response.get_data(
        as_text=True
    )
    assert reload(db, enquiry).status == S.NEW
    assert db.session.scalars(select(EnquiryEvent)).all() == []


def test_invalid_with_a_reason_stores_the_reason(client, db, signed_in, course):
    enquiry = make_enquiry(course)
    assert post_status(client, enquiry, status="invalid", reason="wrong-number").status_code == 302
    stored = reload(db, enquiry)
    assert (stored.status, stored.invalid_reason) == (S.INVALID, InvalidReason.WRONG_NUMBER)


def test_a_note_alone_is_recorded_without_changing_the_status(client, db, signed_in, course):
    enquiry = make_enquiry(course, status=S.CONTACTED)
    response = post_status(client, enquiry, status="contacted", note="Asked to call after 6 pm.")
    assert response.status_code == 302
    assert reload(db, enquiry).status == S.CONTACTED
    step = db.session.scalars(select(EnquiryEvent)).one()
    assert (step.from_status, step.to_status, step.note) == (
        S.CONTACTED,
        S.CONTACTED,
        "Asked to call after 6 pm.",
    )
    assert db.session.scalars(select(AuditEntry)).one().action == "note"


def test_keeping_the_status_without_a_note_asks_for_one(client, db, signed_in, course):
    enquiry = make_enquiry(course, status=S.CONTACTED)
    response = post_status(client, enquiry, status="contacted", note="  ")
    assert response.status_code == 400
    assert "Write a note, or choose a new status." in response.get_data(as_text=True)
    assert db.session.scalars(select(EnquiryEvent)).all() == []


@pytest.mark.parametrize(
    ("current", "target", "message"),
    [
        (S.CONTACTED, "new", "An enquiry cannot be marked new again once it has been handled."),
        (S.ENROLLED, "new", "An enquiry cannot be marked new again once it has been handled."),
        (S.NEW, "enrolled", "An enquiry that is new cannot be marked enrolled."),
        (S.CONTACTED, "withdrawn", "Only the learner can withdraw an enquiry."),
        (S.NEW, "bogus", "Choose a status from the list."),
    ],
)
def test_a_move_the_workflow_does_not_allow_is_refused_with_a_message(
    client, db, signed_in, course, current, target, message
):
    enquiry = make_enquiry(course, status=current)
    response = post_status(client, enquiry, status=target)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert reload(db, enquiry).status == current
    assert db.session.scalars(select(AuditEntry)).all() == []


def test_a_withdrawn_enquiry_cannot_be_changed(client, db, signed_in, course):
    enquiry = make_enquiry(course, status=S.WITHDRAWN)
    page = client.get(detail_url(enquiry)).get_data(as_text=True)
    assert "The learner withdrew this enquiry" in page
    assert 'name="status"' not in page
    token = csrf_token(client, "/portal/enquiries")
    response = client.post(detail_url(enquiry), data={"csrf_token": token, "status": "contacted"})
    assert response.status_code == 400
    assert "The learner withdrew this enquiry; it can no longer be changed." in response.get_data(
        as_text=True
    )
    assert reload(db, enquiry).status == S.WITHDRAWN


def test_a_withdrawn_enquiry_page_shows_no_personal_data(client, signed_in, course):
    enquiry = make_enquiry(course, status=S.WITHDRAWN, name="Kiran Private", phone="+919800000001")
    html = client.get(detail_url(enquiry)).get_data(as_text=True)
    assert "Kiran Private" not in html
    assert "+919800000001" not in html


def test_a_change_made_meanwhile_by_someone_else_is_not_overwritten(client, db, signed_in, course):
    enquiry = make_enquiry(course)
    url = detail_url(enquiry)
    token = csrf_token(client, url)
    change_status(db.session, enquiry, signed_in, StatusChange(S.CLOSED, note="Closed by a colleague."))
    response = client.post(
        url, data={"csrf_token": token, "status": "contacted", "seen_status": "new", "note": "Called."}
    )
    assert response.status_code == 400
    assert "Someone changed this enquiry meanwhile: it is now closed." in response.get_data(as_text=True)
    assert reload(db, enquiry).status == S.CLOSED


def test_status_change_without_csrf_token_is_refused(client, db, signed_in, course):
    enquiry = make_enquiry(course)
    response = client.post(detail_url(enquiry), data={"status": "contacted"})
    assert response.status_code == 400
    assert reload(db, enquiry).status == S.NEW


def test_another_institutes_enquiry_is_not_found(client, db, signed_in):
    foreign = make_enquiry(make_course(), name="Not Yours")
    assert client.get(detail_url(foreign)).status_code == 404
    token = csrf_token(client, "/portal/enquiries")
    response = client.post(detail_url(foreign), data={"csrf_token": token, "status": "contacted"})
    assert response.status_code == 404
    assert reload(db, foreign).status == S.NEW


# CSV export


def test_csv_export_has_a_header_and_one_row_per_enquiry(client, signed_in, course):
    batch = make_batch(course, starts_in_days=12)
    enquiry = make_enquiry(
        course,
        batch=batch,
        name="Ravi Teja",
        email="ravi@example.in",
        phone="9876543210",
        message="Weekend batch please",
        created_at=datetime(2026, 3, 1, 5, 0, tzinfo=UTC),
        status=S.INVALID,
        invalid_reason=InvalidReason.SPAM,
    )
    rows = read_csv(client.get("/portal/enquiries.csv"))
    assert rows[0] == [
        "reference",
        "received",
        "status",
        "reason",
        "course",
        "batch start",
        "name",
        "email",
        "phone",
        "preferred contact",
        "message",
    ]
    assert rows[1] == [
        enquiry.reference,
        "2026-03-01 10:30",
        "invalid",
        "spam",
        "MLOps with Kubeflow",
        batch.start_date.isoformat(),
        "Ravi Teja",
        "ravi@example.in",
        "9876543210",
        "email",
        "Weekend batch please",
    ]
    assert len(rows) == 2


def test_csv_export_neutralises_formulas(client, signed_in, course):
    make_enquiry(
        course, name='=HYPERLINK("http://evil.example","Click")', message="+91 call me", phone="+919800000002"
    )
    row = read_csv(client.get("/portal/enquiries.csv"))[1]
    assert row[6] == '\'=HYPERLINK("http://evil.example","Click")'
    assert row[8] == "'+919800000002"
    assert row[10] == "'+91 call me"


def test_csv_export_follows_the_filters_and_the_institute(client, signed_in, course):
    kept = make_enquiry(course, status=S.NEW)
    make_enquiry(course, status=S.CLOSED)
    make_enquiry(make_course(), status=S.NEW)
    rows = read_csv(client.get("/portal/enquiries.csv?status=new"))
    assert [row[0] for row in rows[1:]] == [kept.reference]


@pytest.mark.parametrize("blank", ["course=%20", "status=%20", "course=%20%20&status=%20"])
def test_blank_filters_are_no_filters(client, signed_in, course, blank):
    kept = make_enquiry(course, status=S.NEW)
    assert [row[0] for row in read_csv(client.get(f"/portal/enquiries.csv?{blank}"))[1:]] == [kept.reference]
    assert client.get(f"/portal/enquiries?{blank}").status_code == 200


def test_csv_export_leaves_personal_fields_of_withdrawn_enquiries_empty(client, signed_in, course):
    enquiry = make_enquiry(course, status=S.WITHDRAWN, name="Gone Learner", email="gone@example.in")
    row = read_csv(client.get("/portal/enquiries.csv"))[1]
    assert row[0] == enquiry.reference
    assert row[2] == "withdrawn"
    assert row[6:] == ["", "", "", "", ""]


def test_csv_export_is_a_dated_attachment(client, signed_in, course, monkeypatch):
    monkeypatch.setattr("catalog.portal.inbox.local_today", lambda: date(2026, 11, 26))
    response = client.get("/portal/enquiries.csv")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"] == (
        'attachment; filename="enquiries-gachibowli-pipelines-2026-11-26.csv"'
    )
    assert response.headers["Cache-Control"] == "no-store"


def test_csv_export_is_audited_with_its_count(client, db, signed_in, course):
    make_enquiry(course)
    make_enquiry(course)
    client.get("/portal/enquiries.csv")
    audit = db.session.scalars(select(AuditEntry)).one()
    assert (audit.action, audit.user_id, audit.institute_id) == ("export", signed_in.id, course.institute_id)
    assert audit.changes == {"count": [None, 2]}


def test_csv_export_with_bad_filters_is_refused(client, signed_in, course):
    assert client.get("/portal/enquiries.csv?received_from=yesterday").status_code == 400
