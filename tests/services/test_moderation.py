"""Moderation: approving publishes a pending listing, sending it back needs a reason that is
stored and emailed; each is checked against the version the admin saw, with an audit entry."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from catalog.models import AuditEntry, CourseStatus, InstituteStatus, OutboxMessage, Role
from catalog.services.courses import apply_course
from catalog.services.errors import DomainError
from catalog.services.moderation import approve_course, approve_pending_institute, reject_course
from tests.builders import make_institute, make_user
from tests.helpers import course_changes, search_titles


@pytest.fixture
def institute(db):
    return make_institute(name="Deccan MLOps Academy", verified=True)


@pytest.fixture
def staff(institute):
    return make_user(institute, email="asha@deccan.example.in")


@pytest.fixture
def admin(db):
    return make_user(role=Role.ADMIN)


@pytest.fixture
def pending(db, staff, institute):
    changes = course_changes(title="Zanzibar Pipelines", summary="Job guarantee for all.")
    return apply_course(db.session, staff, institute, changes).record


def test_approving_publishes_the_listing_and_search_finds_it(db, admin, pending):
    outcome = approve_course(db.session, admin, pending, pending.version)
    assert (outcome.code, pending.status) == ("course-approved", CourseStatus.PUBLISHED)
    assert search_titles(db, "zanzibar") == ["Zanzibar Pipelines"]


def test_approving_keeps_the_listing_as_its_approved_form(db, admin, pending):
    approve_course(db.session, admin, pending, pending.version)
    assert pending.approved_snapshot["summary"] == "Job guarantee for all."


def test_approving_writes_an_audit_entry_by_the_admin(db, admin, pending):
    approve_course(db.session, admin, pending, pending.version)
    entry = db.session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
    assert (entry.action, entry.user_id, entry.changes["status"]) == (
        "approve",
        admin.id,
        ["pending", "published"],
    )


def test_approving_a_version_the_admin_did_not_see_is_refused(db, admin, pending):
    with pytest.raises(DomainError) as refused:
        approve_course(db.session, admin, pending, pending.version - 1)
    assert refused.value.code == "course-changed-meanwhile"
    assert pending.status == CourseStatus.PENDING


def test_approving_a_listing_that_no_longer_waits_is_refused(db, admin, pending):
    approve_course(db.session, admin, pending, pending.version)
    with pytest.raises(DomainError) as refused:
        approve_course(db.session, admin, pending, pending.version)
    assert refused.value.code == "course-not-pending"


def test_sending_back_without_a_reason_is_refused(db, admin, pending):
    with pytest.raises(DomainError) as refused:
        reject_course(db.session, admin, pending, pending.version, "   ")
    assert (refused.value.code, refused.value.field) == ("reason-required", "reason")
    assert pending.status == CourseStatus.PENDING


def test_sending_back_makes_a_draft_with_the_reason(db, admin, pending):
    outcome = reject_course(db.session, admin, pending, pending.version, "Remove the job guarantee.")
    assert outcome.code == "course-rejected"
    assert (pending.status, pending.rejection_reason) == (CourseStatus.DRAFT, "Remove the job guarantee.")


def test_sending_back_emails_the_reason_to_the_institute_staff(db, admin, pending):
    reject_course(db.session, admin, pending, pending.version, "Remove the job guarantee.")
    message = db.session.scalars(select(OutboxMessage).where(OutboxMessage.kind == "course-rejected")).one()
    assert message.to_email == "asha@deccan.example.in"
    assert "Zanzibar Pipelines" in message.subject
    assert "Remove the job guarantee." in message.body


def test_sending_back_writes_an_audit_entry_with_the_reason(db, admin, pending):
    reject_course(db.session, admin, pending, pending.version, "Remove the job guarantee.")
    entry = db.session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
    assert (entry.action, entry.user_id) == ("reject", admin.id)
    assert entry.changes["rejection_reason"] == [None, "Remove the job guarantee."]


def test_a_listing_published_after_a_rejection_forgets_the_reason(db, admin, staff, institute, pending):
    reject_course(db.session, admin, pending, pending.version, "Remove the job guarantee.")
    fixed = course_changes(title="Zanzibar Pipelines", publish=True, version=pending.version)
    apply_course(db.session, staff, institute, fixed, pending)
    assert (pending.status, pending.rejection_reason) == (CourseStatus.PUBLISHED, None)


def test_approving_a_pending_institute_opens_it(db, admin):
    institute = make_institute(status=InstituteStatus.PENDING, verified=False)
    outcome = approve_pending_institute(db.session, admin, institute)
    assert (outcome.code, institute.status) == ("institute-approved", InstituteStatus.APPROVED)


def test_approving_an_institute_is_audited_as_the_admin(db, admin):
    institute = make_institute(status=InstituteStatus.PENDING, verified=False)
    approve_pending_institute(db.session, admin, institute)
    entry = db.session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
    assert (entry.action, entry.user_id) == ("institute-approve", admin.id)
