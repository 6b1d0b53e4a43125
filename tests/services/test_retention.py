"""Retention: enquiries that ended longer ago than the period lose the learner's personal data."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from catalog.models import (
    AuditEntry,
    Enquiry,
    EnquiryEvent,
    EnquiryStatus,
    InvalidReason,
    OutboxMessage,
    OutboxStatus,
)
from catalog.models.base import utcnow
from catalog.queries.enquiries import RECEIPT
from catalog.services import retention
from catalog.services.retention import ERASED_NOTE, purge_personal_data
from tests.builders import make_course, make_enquiry

S = EnquiryStatus
PERIOD = 365


@pytest.fixture
def course(app):
    return make_course(title="MLOps Bootcamp")


def ended(db, course, status: S = S.CLOSED, days_ago: int = PERIOD + 1, **overrides) -> Enquiry:
    """An enquiry sent ten days before it moved to ``status``, ``days_ago`` days ago."""
    now = utcnow()
    reason = InvalidReason.SPAM if status == S.INVALID else None
    enquiry = make_enquiry(
        course,
        status=status,
        invalid_reason=reason,
        created_at=now - timedelta(days=days_ago + 10),
        withdrawn_at=now - timedelta(days=days_ago) if status == S.WITHDRAWN else None,
        **overrides,
    )
    enquiry.history = [
        EnquiryEvent(to_status=S.NEW, created_at=now - timedelta(days=days_ago + 10)),
        EnquiryEvent(
            from_status=S.NEW, to_status=status, reason=reason, created_at=now - timedelta(days=days_ago)
        ),
    ]
    db.session.commit()
    return enquiry


def move(db, enquiry: Enquiry, target: S, days_ago: int, note: str = "") -> None:
    """Record a step in the enquiry's history ``days_ago`` days ago (a note when ``target`` is its status)."""
    enquiry.history.append(
        EnquiryEvent(
            from_status=enquiry.status,
            to_status=target,
            note=note,
            created_at=utcnow() - timedelta(days=days_ago),
        )
    )
    enquiry.status = target
    db.session.commit()


def personal(enquiry: Enquiry) -> tuple[str, str, str, str]:
    return (enquiry.name, enquiry.email, enquiry.phone, enquiry.message)


def purge(db) -> retention.PurgeReport:
    report = purge_personal_data(db.session, PERIOD)
    db.session.expire_all()
    return report


def test_enquiry_closed_longer_ago_than_the_period_loses_name_email_phone_and_message(db, course):
    enquiry = ended(db, course)
    purge(db)
    assert personal(enquiry) == ("", "", "", "")


def test_erased_enquiry_keeps_its_anonymous_record(db, course):
    enquiry = ended(db, course)
    before = (enquiry.reference, enquiry.course_id, enquiry.institute_id, enquiry.status, enquiry.created_at)
    purge(db)
    assert (
        enquiry.reference,
        enquiry.course_id,
        enquiry.institute_id,
        enquiry.status,
        enquiry.created_at,
    ) == before
    assert [(e.from_status, e.to_status) for e in enquiry.history] == [(None, S.NEW), (S.NEW, S.CLOSED)]


def test_erased_enquiry_loses_its_tracking_token_hash(db, course):
    enquiry = ended(db, course, token="learner-link-token")
    purge(db)
    assert enquiry.token_hash == ""


def test_tracking_link_of_an_erased_enquiry_no_longer_opens_it(db, client, course):
    enquiry = ended(db, course, token="learner-link-token")
    assert client.get(f"/enquiries/{enquiry.reference}?token=learner-link-token").status_code == 200
    purge(db)
    assert client.get(f"/enquiries/{enquiry.reference}?token=learner-link-token").status_code == 404


@pytest.mark.parametrize("status", [S.CLOSED, S.INVALID, S.ENROLLED, S.WITHDRAWN])
def test_every_final_status_is_erased_after_the_period(db, course, status):
    enquiry = ended(db, course, status)
    assert purge(db).erased == 1
    assert enquiry.email == ""


def test_enquiry_closed_within_the_period_keeps_its_personal_data(db, course):
    enquiry = ended(db, course, days_ago=PERIOD - 1)
    kept = personal(enquiry)
    assert purge(db).erased == 0
    assert personal(enquiry) == kept and enquiry.token_hash != ""


@pytest.mark.parametrize("status", [S.NEW, S.CONTACTED])
def test_open_enquiry_keeps_its_personal_data_however_old(db, course, status):
    enquiry = ended(db, course, status, days_ago=3 * PERIOD)
    kept = personal(enquiry)
    assert purge(db).erased == 0
    assert personal(enquiry) == kept


def test_period_runs_from_the_last_move_into_the_final_status(db, course):
    enquiry = ended(db, course, days_ago=PERIOD + 100)
    move(db, enquiry, S.CONTACTED, days_ago=PERIOD + 50)
    move(db, enquiry, S.CLOSED, days_ago=10)
    assert purge(db).erased == 0
    assert enquiry.email != ""


def test_a_note_added_after_closing_does_not_restart_the_period(db, course):
    enquiry = ended(db, course)
    move(db, enquiry, S.CLOSED, days_ago=1, note="Asked again whether the batch runs.")
    assert purge(db).erased == 1


def test_staff_notes_of_an_erased_enquiry_are_erased(db, course):
    enquiry = ended(db, course)
    move(
        db,
        enquiry,
        S.CLOSED,
        days_ago=PERIOD + 1,
        note="Called Priya on 98765 43210; she chose another course.",
    )
    purge(db)
    notes = [event.note for event in enquiry.history]
    assert notes == ["", "", ERASED_NOTE]


def test_learner_receipt_in_the_outbox_is_erased_and_an_unsent_one_never_goes(db, course):
    enquiry = ended(db, course, email="priya@example.in", name="Priya")
    receipt = OutboxMessage(
        kind=RECEIPT,
        to_email="priya@example.in",
        subject=f"Your enquiry {enquiry.reference}",
        body="Hello Priya, your private link: https://courses.example.in/enquiries/X?token=secret",
        enquiry_id=enquiry.id,
    )
    db.session.add(receipt)
    db.session.commit()
    purge(db)
    assert (receipt.to_email, receipt.body) == ("", retention.ERASED_EMAIL_BODY)
    assert receipt.status == OutboxStatus.FAILED


def test_learner_details_in_other_emails_of_the_enquiry_are_erased(db, course):
    enquiry = ended(db, course, email="priya@example.in", name="Priya Sharma")
    notice = OutboxMessage(
        kind="enquiry-notice",
        to_email="admissions@institute.example",
        subject="New enquiry from Priya Sharma",
        body="Priya Sharma (priya@example.in) asked about a course.",
        enquiry_id=enquiry.id,
    )
    db.session.add(notice)
    db.session.commit()
    purge(db)
    assert notice.to_email == "admissions@institute.example"
    assert "Priya" not in notice.subject + notice.body and "priya@example.in" not in notice.body


def test_learner_details_in_audit_entries_of_the_enquiry_are_erased(db, course):
    enquiry = ended(db, course, email="priya@example.in", phone="+919876543210")
    entry = AuditEntry(
        action="note",
        record_type="Enquiry",
        record_id=enquiry.id,
        summary=f"{enquiry.reference}: wrote to priya@example.in",
        changes={"note": [None, "call +919876543210 after six"]},
    )
    db.session.add(entry)
    db.session.commit()
    purge(db)
    assert entry.summary == f"{enquiry.reference}: wrote to [erased]"
    assert entry.changes == {"note": [None, "call [erased] after six"]}


def test_statistics_still_count_erased_enquiries(db, course):
    ended(db, course, S.CLOSED)
    ended(db, course, S.ENROLLED)
    ended(db, course, S.NEW, days_ago=2)

    def counts():
        rows = db.session.execute(
            select(Enquiry.course_id, Enquiry.status, func.count()).group_by(
                Enquiry.course_id, Enquiry.status
            )
        )
        return sorted(rows, key=lambda row: row[1])

    before = counts()
    assert purge(db).erased == 2
    assert counts() == before


def test_a_second_run_erases_nothing_more(db, course):
    ended(db, course)
    assert purge(db).erased == 1
    assert purge(db).erased == 0
    assert db.session.scalar(select(func.count()).select_from(AuditEntry)) == 1


def test_purge_records_one_audit_entry_with_the_count(db, course):
    ended(db, course)
    ended(db, course, S.WITHDRAWN)
    purge(db)
    (entry,) = db.session.scalars(select(AuditEntry)).all()
    assert (entry.action, entry.record_type, entry.changes) == ("purge", "Enquiry", {"count": [None, 2]})


def test_purge_is_one_transaction_nothing_changes_when_it_fails(db, course, monkeypatch):
    first, second = ended(db, course), ended(db, course)
    calls = []
    erase = retention._erase

    def failing_erase(session, enquiry):
        calls.append(enquiry.id)
        if len(calls) == 2:
            raise RuntimeError("disk full")
        erase(session, enquiry)

    monkeypatch.setattr(retention, "_erase", failing_erase)
    with pytest.raises(RuntimeError):
        purge_personal_data(db.session, PERIOD)
    db.session.expire_all()
    assert first.email != "" and second.email != ""
    assert db.session.scalar(select(func.count()).select_from(AuditEntry)) == 0
