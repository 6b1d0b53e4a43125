"""What admins do to an institute: approve, the verified mark, suspension and reinstatement,
each with its audit entry, its emails and (for suspension) search and sessions following."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from catalog.models import AuditEntry, InstituteStatus, OutboxMessage, Role, UserSession
from catalog.services import moderation_institutes
from catalog.services.errors import DomainError
from catalog.services.sessions import start_session
from tests.builders import make_course, make_institute, make_user
from tests.helpers import search_titles


@pytest.fixture
def admin(db):
    return make_user(role=Role.ADMIN)


def emails_of(db, kind: str) -> list[OutboxMessage]:
    return list(db.session.scalars(select(OutboxMessage).where(OutboxMessage.kind == kind)))


def last_audit(db) -> AuditEntry:
    return db.session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())).first()


def live_sessions(db, user) -> int:
    stmt = select(UserSession).where(UserSession.user_id == user.id, UserSession.ended_at.is_(None))
    return len(db.session.scalars(stmt).all())


def test_approving_records_the_admin_who_approved(db, admin):
    institute = make_institute(status=InstituteStatus.PENDING)
    moderation_institutes.approve_institute(db.session, institute, by=admin)
    entry = last_audit(db)
    assert (entry.action, entry.user_id) == ("institute-approve", admin.id)


def test_verifying_sets_the_mark_with_an_audit_entry(db, admin):
    institute = make_institute(verified=False)
    assert moderation_institutes.set_verified(db.session, institute, True, by=admin)
    db.session.expire_all()
    assert institute.verified
    assert last_audit(db).changes == {"verified": [False, True]}


def test_verifying_a_verified_institute_changes_nothing(db, admin):
    institute = make_institute(verified=True)
    assert not moderation_institutes.set_verified(db.session, institute, True, by=admin)


def test_suspending_takes_the_courses_out_of_search(db, admin):
    institute = make_institute()
    make_course(institute=institute, title="Kubeflow pipelines in depth")
    assert search_titles(db, "kubeflow") == ["Kubeflow pipelines in depth"]
    moderation_institutes.suspend_institute(db.session, institute, "Fake reviews.", by=admin)
    assert search_titles(db, "kubeflow") == []


def test_reinstating_brings_the_courses_back_to_search(db, admin):
    institute = make_institute()
    make_course(institute=institute, title="Kubeflow pipelines in depth")
    moderation_institutes.suspend_institute(db.session, institute, "Fake reviews.", by=admin)
    moderation_institutes.reinstate_institute(db.session, institute, by=admin)
    assert search_titles(db, "kubeflow") == ["Kubeflow pipelines in depth"]


def test_suspending_ends_every_session_of_the_staff(db, admin):
    institute = make_institute()
    staff = make_user(institute)
    start_session(db.session, staff)
    start_session(db.session, staff)
    ended = moderation_institutes.suspend_institute(db.session, institute, "Fake reviews.", by=admin)
    assert ended == 2
    assert live_sessions(db, staff) == 0


def test_suspending_emails_the_staff_the_reason(db, admin):
    institute = make_institute()
    staff = make_user(institute)
    moderation_institutes.suspend_institute(db.session, institute, "Fake placement figures.", by=admin)
    [message] = emails_of(db, "institute-suspended")
    assert message.to_email == staff.email
    assert "Fake placement figures." in message.body


def test_suspension_is_audited_with_its_reason(db, admin):
    institute = make_institute()
    moderation_institutes.suspend_institute(db.session, institute, "Fake reviews.", by=admin)
    entry = last_audit(db)
    assert (entry.action, entry.user_id) == ("institute-suspend", admin.id)
    assert entry.changes == {"status": ["approved", "suspended"]}
    assert "Fake reviews." in entry.summary


def test_suspending_without_a_reason_is_refused(db, admin):
    institute = make_institute()
    with pytest.raises(DomainError) as refused:
        moderation_institutes.suspend_institute(db.session, institute, "   ", by=admin)
    assert (refused.value.code, refused.value.field) == ("reason-required", "reason")
    assert institute.status == InstituteStatus.APPROVED


def test_a_pending_institute_cannot_be_suspended(db, admin):
    institute = make_institute(status=InstituteStatus.PENDING)
    with pytest.raises(DomainError) as refused:
        moderation_institutes.suspend_institute(db.session, institute, "Spam.", by=admin)
    assert refused.value.code == "institute-not-approved"


def test_reinstating_emails_the_staff(db, admin):
    institute = make_institute(status=InstituteStatus.SUSPENDED)
    staff = make_user(institute)
    moderation_institutes.reinstate_institute(db.session, institute, by=admin)
    assert [m.to_email for m in emails_of(db, "institute-reinstated")] == [staff.email]
    assert institute.status == InstituteStatus.APPROVED


def test_only_a_suspended_institute_can_be_reinstated(db, admin):
    institute = make_institute()
    with pytest.raises(DomainError) as refused:
        moderation_institutes.reinstate_institute(db.session, institute, by=admin)
    assert refused.value.code == "institute-not-suspended"


def test_staff_of_a_suspended_institute_are_refused_sign_in(db):
    staff = make_user(make_institute(status=InstituteStatus.SUSPENDED))
    assert moderation_institutes.sign_in_refused(staff)


def test_staff_of_an_approved_institute_may_sign_in(db):
    staff = make_user(make_institute())
    assert not moderation_institutes.sign_in_refused(staff)
