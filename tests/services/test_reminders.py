"""Staleness reminders: one email to the institute through the outbox, at most once per course
in 30 days, in one transaction with its audit entry."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from catalog.models import AuditEntry, OutboxMessage, Role, StalenessReminder
from catalog.models.base import utcnow
from catalog.services.errors import DomainError
from catalog.services.reminders import send_staleness_reminder
from catalog.timeutil import local_today
from tests.builders import make_course, make_institute, make_user


@pytest.fixture
def admin(db):
    return make_user(role=Role.ADMIN)


@pytest.fixture
def stale(db):
    institute = make_institute(name="Madhapur Model Works", email="hello@madhapur.in")
    reviewed = local_today() - timedelta(days=500)
    return make_course(title="Airflow Pipelines", institute=institute, syllabus_reviewed_on=reviewed)


def count(db, model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_a_reminder_queues_an_email_to_the_institute_with_the_edit_link(db, admin, stale):
    send_staleness_reminder(db.session, stale.id, admin, local_today())
    message = db.session.scalar(select(OutboxMessage))
    assert message.to_email == "hello@madhapur.in"
    assert message.kind == "staleness-reminder"
    assert "Airflow Pipelines" in message.subject
    assert f"/portal/courses/{stale.id}" in message.body


def test_a_reminder_is_audited_with_who_sent_it(db, admin, stale):
    send_staleness_reminder(db.session, stale.id, admin, local_today())
    entry = db.session.scalar(select(AuditEntry))
    assert (entry.action, entry.record_type, entry.record_id) == ("remind", "Course", stale.id)
    assert entry.user_id == admin.id
    assert entry.changes["reminded_at"][0] is None


def test_a_second_reminder_within_30_days_is_refused_and_sends_nothing(db, admin, stale):
    now = utcnow()
    send_staleness_reminder(db.session, stale.id, admin, local_today(), now=now)
    with pytest.raises(DomainError) as refused:
        send_staleness_reminder(db.session, stale.id, admin, local_today(), now=now + timedelta(days=29))
    assert refused.value.code == "reminded-recently"
    assert refused.value.params["next_on"] == now + timedelta(days=30)
    assert (count(db, OutboxMessage), count(db, StalenessReminder), count(db, AuditEntry)) == (1, 1, 1)


def test_a_reminder_may_go_again_after_30_days(db, admin, stale):
    now = utcnow()
    send_staleness_reminder(db.session, stale.id, admin, local_today(), now=now)
    send_staleness_reminder(db.session, stale.id, admin, local_today(), now=now + timedelta(days=30))
    assert count(db, OutboxMessage) == 2


def test_the_interval_is_per_course(db, admin, stale):
    other = make_course(institute=stale.institute, syllabus_reviewed_on=None)
    send_staleness_reminder(db.session, stale.id, admin, local_today())
    send_staleness_reminder(db.session, other.id, admin, local_today())
    assert count(db, StalenessReminder) == 2


def test_a_course_reviewed_within_the_year_is_not_reminded(db, admin):
    fresh = make_course(syllabus_reviewed_on=local_today() - timedelta(days=10))
    with pytest.raises(DomainError) as refused:
        send_staleness_reminder(db.session, fresh.id, admin, local_today())
    assert refused.value.code == "not-stale"
    assert count(db, OutboxMessage) == 0


def test_an_institute_without_an_email_is_reminded_through_its_active_staff(db, admin):
    institute = make_institute(email=None)
    make_user(institute=institute, email="b@inst.in")
    make_user(institute=institute, email="a@inst.in")
    make_user(institute=institute, email="gone@inst.in", active=False)
    course = make_course(institute=institute, syllabus_reviewed_on=None)
    send_staleness_reminder(db.session, course.id, admin, local_today())
    assert sorted(db.session.scalars(select(OutboxMessage.to_email))) == ["a@inst.in", "b@inst.in"]


def test_an_institute_with_no_one_to_write_to_is_refused(db, admin):
    course = make_course(institute=make_institute(email=None), syllabus_reviewed_on=None)
    with pytest.raises(DomainError) as refused:
        send_staleness_reminder(db.session, course.id, admin, local_today())
    assert refused.value.code == "no-recipient"
    assert count(db, StalenessReminder) == 0


def test_a_missing_course_is_refused(db, admin):
    with pytest.raises(DomainError) as refused:
        send_staleness_reminder(db.session, 999_999, admin, local_today())
    assert refused.value.code == "course-missing"
