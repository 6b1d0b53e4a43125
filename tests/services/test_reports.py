"""The report service: a learner's report is stored with an audit entry on its listing; an admin
closes a waiting report once, with an optional note, audited."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from catalog.models import AuditEntry, ListingReport, ReportReason, ReportStatus, Role
from catalog.services.errors import DomainError
from catalog.services.reports import ReportDetails, close_report, submit_report
from tests.builders import make_course, make_institute, make_user


def entries(db, action: str) -> list[AuditEntry]:
    return list(db.session.scalars(select(AuditEntry).where(AuditEntry.action == action)))


def test_a_course_report_is_stored_with_an_audit_entry_on_the_course(db):
    course = make_course()
    report = submit_report(db.session, course, ReportDetails(ReportReason.BATCH_NOT_RUNNING, " No batch. "))
    [entry] = entries(db, "learner-report")
    assert (entry.record_type, entry.record_id, entry.institute_id) == (
        "Course",
        course.id,
        course.institute_id,
    )
    assert entry.changes["report"] == [None, report.id]
    assert report.details == "No batch."


def test_an_institute_report_is_audited_on_the_institute(db):
    institute = make_institute()
    submit_report(db.session, institute, ReportDetails(ReportReason.MISLEADING_CLAIM))
    [entry] = entries(db, "learner-report")
    assert (entry.record_type, entry.record_id, entry.institute_id) == (
        "Institute",
        institute.id,
        institute.id,
    )


def test_the_email_is_stored_normalised(db):
    report = submit_report(
        db.session, make_course(), ReportDetails(ReportReason.WRONG_FEE, email=" Asha@Example.IN")
    )
    assert report.email == "asha@example.in"


def test_no_email_is_stored_as_none(db):
    report = submit_report(db.session, make_course(), ReportDetails(ReportReason.WRONG_FEE))
    assert report.email is None


@pytest.mark.parametrize(
    ("details", "code"),
    [
        (ReportDetails(ReportReason.OTHER, "  "), "details-required"),
        (ReportDetails(ReportReason.WRONG_FEE, "x" * 2001), "details-too-long"),
        (ReportDetails(ReportReason.WRONG_FEE, email="not-an-email"), "email-invalid"),
    ],
)
def test_a_report_breaking_a_rule_is_refused_and_nothing_stored(db, details, code):
    with pytest.raises(DomainError) as refused:
        submit_report(db.session, make_course(), details)
    assert refused.value.code == code
    assert db.session.scalars(select(ListingReport)).all() == []
    assert entries(db, "learner-report") == []


def test_resolving_a_report_records_who_when_and_the_note(db):
    admin = make_user(role=Role.ADMIN)
    report = submit_report(db.session, make_course(), ReportDetails(ReportReason.WRONG_FEE))
    close_report(db.session, admin, report, ReportStatus.RESOLVED, " Fee corrected. ")
    db.session.expire_all()
    report = db.session.get(ListingReport, report.id)
    assert report.status == ReportStatus.RESOLVED
    assert report.resolved_by_id == admin.id
    assert report.resolved_at is not None
    assert report.resolution_note == "Fee corrected."
    [entry] = entries(db, "report-resolved")
    assert entry.user_id == admin.id
    assert entry.changes["status"] == ["new", "resolved"]


def test_a_closed_report_cannot_be_closed_again(db):
    admin = make_user(role=Role.ADMIN)
    report = submit_report(db.session, make_course(), ReportDetails(ReportReason.WRONG_FEE))
    close_report(db.session, admin, report, ReportStatus.DISMISSED)
    with pytest.raises(DomainError) as refused:
        close_report(db.session, admin, report, ReportStatus.RESOLVED)
    assert refused.value.code == "report-closed"
    assert db.session.get(ListingReport, report.id).status == ReportStatus.DISMISSED


def test_a_report_closed_meanwhile_by_someone_else_is_not_closed_twice(db):
    admin = make_user(role=Role.ADMIN)
    report = submit_report(db.session, make_course(), ReportDetails(ReportReason.WRONG_FEE))
    assert report.is_waiting
    # Another admin's change, unseen by the loaded report, which still reads as waiting.
    db.session.execute(
        ListingReport.__table__.update()
        .where(ListingReport.id == report.id)
        .values(status="dismissed", resolved_at=report.created_at)
    )
    with pytest.raises(DomainError) as refused:
        close_report(db.session, admin, report, ReportStatus.RESOLVED)
    assert refused.value.code == "report-closed"
    assert entries(db, "report-resolved") == []


def test_closing_as_new_is_refused(db):
    report = submit_report(db.session, make_course(), ReportDetails(ReportReason.WRONG_FEE))
    with pytest.raises(DomainError) as refused:
        close_report(db.session, None, report, ReportStatus.NEW)
    assert refused.value.code == "status-invalid"


def test_an_overlong_note_is_refused(db):
    report = submit_report(db.session, make_course(), ReportDetails(ReportReason.WRONG_FEE))
    with pytest.raises(DomainError) as refused:
        close_report(db.session, None, report, ReportStatus.RESOLVED, "n" * 1001)
    assert refused.value.code == "note-too-long"
