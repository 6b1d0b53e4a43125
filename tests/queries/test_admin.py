"""The admin area's reads: each data-quality figure counts what its list shows, built on the
models' own rules; the audit log's filters."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from catalog.models import AuditEntry, BatchStatus, CourseStatus, InstituteStatus, OutboxMessage, OutboxStatus
from catalog.queries.admin import (
    AuditFilters,
    audit_entries_for_export,
    audit_query,
    problem_courses_query,
    problem_institutes_query,
    quality_figures,
)
from catalog.timeutil import local_today
from tests.builders import make_batch, make_course, make_institute, make_user

TODAY = date(2026, 12, 1)


def course_titles(db, problem: str) -> list[str]:
    return [course.title for course in db.session.scalars(problem_courses_query(problem, local_today()))]


def institute_names(db, problem: str) -> list[str]:
    return [i.name for i in db.session.scalars(problem_institutes_query(problem, local_today()))]


def test_a_published_listing_with_a_zero_fee_is_counted_without_a_fee(db):
    make_batch(make_course(title="Free taster", fee_inr=0))
    make_batch(make_course(title="Paid bootcamp"))
    assert course_titles(db, "no-fee") == ["Free taster"]
    assert quality_figures(db.session, local_today()).courses["no-fee"] == 1


def test_a_blank_refund_policy_is_counted_without_a_refund_policy(db):
    make_course(title="No refunds said", refund_policy="   ")
    make_course(title="Refunds said")
    assert course_titles(db, "no-refund") == ["No refunds said"]


def test_a_listing_whose_only_batch_is_full_or_started_has_no_upcoming_open_batch(db):
    full = make_course(title="Full")
    make_batch(full, seats_left=0)
    started = make_course(title="Started")
    make_batch(started, starts_in_days=-3)
    make_batch(make_course(title="Open"))
    assert course_titles(db, "no-batch") == ["Full", "Started"]


def test_drafts_and_suspended_institutes_listings_are_not_counted_as_published(db):
    make_course(title="Draft", status=CourseStatus.DRAFT)
    make_course(title="Suspended", institute=make_institute(status=InstituteStatus.SUSPENDED))
    assert course_titles(db, "no-batch") == []


def test_a_syllabus_reviewed_over_a_year_ago_or_never_is_stale(db):
    today = local_today()
    make_course(title="Old", syllabus_reviewed_on=today - timedelta(days=400))
    make_course(title="Never", syllabus_reviewed_on=None)
    make_course(title="Fresh", syllabus_reviewed_on=today - timedelta(days=300))
    assert course_titles(db, "stale") == ["Never", "Old"]


def test_pending_course_listings_are_counted_whoever_offers_them(db):
    make_course(title="Waiting", status=CourseStatus.PENDING)
    make_course(title="Live")
    assert course_titles(db, "pending") == ["Waiting"]


def test_a_batch_still_marked_open_after_its_start_is_counted(db):
    course = make_course()
    make_batch(course, starts_in_days=-1, status=BatchStatus.OPEN)
    make_batch(course, starts_in_days=0, status=BatchStatus.OPEN)
    make_batch(course, starts_in_days=-5, status=BatchStatus.CLOSED)
    make_batch(course, starts_in_days=5, status=BatchStatus.OPEN)
    assert quality_figures(db.session, local_today()).past_open_batches == 2


def test_an_institute_whose_only_batch_is_past_has_no_upcoming_batch(db):
    idle = make_institute(name="Idle")
    make_batch(make_course(institute=idle), starts_in_days=-10)
    busy = make_institute(name="Busy")
    make_batch(make_course(institute=busy), seats_left=0)
    make_institute(name="Waiting", status=InstituteStatus.PENDING)
    assert institute_names(db, "no-batch") == ["Idle"]


def test_pending_institutes_are_listed(db):
    make_institute(name="Waiting", status=InstituteStatus.PENDING)
    make_institute(name="Approved")
    assert institute_names(db, "pending") == ["Waiting"]


def test_failed_outbox_messages_are_counted(db):
    for status in (OutboxStatus.FAILED, OutboxStatus.PENDING, OutboxStatus.SENT):
        db.session.add(OutboxMessage(kind="k", to_email="a@example.in", subject="s", body="b", status=status))
    db.session.commit()
    assert quality_figures(db.session, local_today()).failed_messages == 1


def audit(db, user=None, record_type="Course", record_id=1, at=None) -> AuditEntry:
    entry = AuditEntry(
        user_id=user.id if user else None,
        action="update",
        record_type=record_type,
        record_id=record_id,
        created_at=at or datetime.now(UTC),
    )
    db.session.add(entry)
    db.session.commit()
    return entry


def entry_ids(db, **filters) -> list[int]:
    return [entry.id for entry in db.session.scalars(audit_query(AuditFilters(**filters)))]


def test_the_audit_log_is_newest_first(db):
    older = audit(db, at=datetime(2026, 1, 1, tzinfo=UTC))
    newer = audit(db, at=datetime(2026, 2, 1, tzinfo=UTC))
    assert entry_ids(db) == [newer.id, older.id]


def test_the_audit_log_filters_by_part_of_the_email_in_any_case(db):
    lakshmi = make_user(email="lakshmi@gachibowli.in")
    mine = audit(db, user=lakshmi)
    audit(db, user=make_user(email="ravi@kondapur.in"))
    assert entry_ids(db, who="GACHIBOWLI") == [mine.id]


@pytest.mark.parametrize("wildcard", ["%", "_"])
def test_a_wildcard_in_the_email_filter_matches_only_itself(db, wildcard):
    audit(db, user=make_user(email="ravi@kondapur.in"))
    assert entry_ids(db, who=wildcard) == []


def test_the_audit_log_filters_by_record_type_and_id(db):
    wanted = audit(db, record_type="Course", record_id=7)
    audit(db, record_type="Course", record_id=8)
    audit(db, record_type="Batch", record_id=7)
    assert entry_ids(db, record_type="Course", record_id=7) == [wanted.id]


def test_the_audit_log_date_range_is_whole_days_in_hyderabad(db):
    # 1 Dec 00:30 in Hyderabad is still 30 Nov in UTC.
    early = audit(db, at=datetime(2026, 11, 30, 19, 0, tzinfo=UTC))
    late = audit(db, at=datetime(2026, 12, 1, 18, 0, tzinfo=UTC))
    audit(db, at=datetime(2026, 12, 1, 18, 40, tzinfo=UTC))  # 2 Dec 00:10 in Hyderabad
    assert entry_ids(db, changed_from=TODAY, changed_to=TODAY) == [late.id, early.id]


def test_the_export_reads_every_entry_in_chunks_newest_first(db, monkeypatch):
    monkeypatch.setattr("catalog.queries.admin.EXPORT_CHUNK", 2)
    moment = datetime(2026, 3, 1, tzinfo=UTC)
    entries = [audit(db, at=moment) for _ in range(3)] + [audit(db, at=moment - timedelta(days=1))]
    exported = [entry.id for entry in audit_entries_for_export(db.session, AuditFilters())]
    assert exported == [entries[2].id, entries[1].id, entries[0].id, entries[3].id]
