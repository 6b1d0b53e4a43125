"""What admins do to accounts: create one with an emailed link to set its password, reactivate
it, change its role; and never deactivate or demote themselves."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from catalog.models import AuditEntry, OutboxMessage, PasswordResetToken, Role, UserSession
from catalog.services import accounts, admin_accounts
from catalog.services.errors import DomainError
from catalog.services.passwords import verify_password
from catalog.services.sessions import start_session
from tests.builders import make_institute, make_user


@pytest.fixture
def admin(db):
    return make_user(role=Role.ADMIN)


def live_sessions(db, user) -> int:
    stmt = select(UserSession).where(UserSession.user_id == user.id, UserSession.ended_at.is_(None))
    return len(db.session.scalars(stmt).all())


def test_a_new_account_gets_a_link_to_set_its_password(db, admin):
    institute = make_institute()
    user = admin_accounts.invite_user(db.session, admin, "New.Staff@Example.in", Role.INSTITUTE, institute)
    [message] = db.session.scalars(select(OutboxMessage).where(OutboxMessage.to_email == user.email))
    assert message.kind == "account-created"
    assert db.session.scalars(select(PasswordResetToken).where(PasswordResetToken.user_id == user.id)).one()


def test_the_welcome_link_lets_the_owner_choose_a_password(db, admin):
    user = admin_accounts.invite_user(db.session, admin, "new@example.in", Role.ADMIN, None)
    message = db.session.scalars(select(OutboxMessage).where(OutboxMessage.to_email == user.email)).one()
    token = re.search(r"/portal/password/reset/(\S+)", message.body).group(1)
    assert accounts.reset_password(db.session, token, "a passphrase of my own") == user
    assert verify_password(user.password_hash, "a passphrase of my own")


def test_a_new_account_is_stored_with_its_email_normalised(db, admin):
    user = admin_accounts.invite_user(db.session, admin, "New.Admin@Example.IN", Role.ADMIN, None)
    assert (user.email, user.role, user.active) == ("new.admin@example.in", Role.ADMIN, True)


def test_a_new_account_opens_with_no_password_anyone_knows(db, admin):
    user = admin_accounts.invite_user(db.session, admin, "new@example.in", Role.ADMIN, None)
    assert not verify_password(user.password_hash, "")


def test_creating_an_account_is_audited_with_the_admin(db, admin):
    user = admin_accounts.invite_user(db.session, admin, "new@example.in", Role.ADMIN, None)
    entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "user-create")).one()
    assert (entry.user_id, entry.record_id) == (admin.id, user.id)


def test_creating_staff_without_an_institute_is_refused(db, admin):
    with pytest.raises(DomainError) as refused:
        admin_accounts.invite_user(db.session, admin, "new@example.in", Role.INSTITUTE, None)
    assert (refused.value.code, refused.value.field) == ("institute-required", "institute")


def test_creating_an_account_with_a_taken_email_is_refused(db, admin):
    make_user(email="taken@example.in")
    with pytest.raises(DomainError) as refused:
        admin_accounts.invite_user(db.session, admin, "Taken@example.in", Role.ADMIN, None)
    assert refused.value.code == "email-taken"


def test_an_admin_cannot_deactivate_their_own_account(db, admin):
    with pytest.raises(DomainError) as refused:
        admin_accounts.deactivate_user(db.session, admin, by=admin)
    assert refused.value.code == "own-account"
    assert admin.active


def test_reactivating_opens_the_account_again(db, admin):
    user = make_user(active=False)
    assert admin_accounts.reactivate_user(db.session, user, by=admin)
    db.session.expire_all()
    assert user.active


def test_reactivating_an_active_account_changes_nothing(db, admin):
    assert not admin_accounts.reactivate_user(db.session, make_user(), by=admin)


def test_promoting_staff_to_admin_drops_their_institute(db, admin):
    user = make_user(make_institute())
    assert admin_accounts.change_role(db.session, user, Role.ADMIN, None, by=admin)
    db.session.expire_all()
    assert (user.role, user.institute_id) == (Role.ADMIN, None)


def test_changing_the_role_ends_every_session(db, admin):
    user = make_user(make_institute())
    start_session(db.session, user)
    admin_accounts.change_role(db.session, user, Role.ADMIN, None, by=admin)
    assert live_sessions(db, user) == 0


def test_changing_the_role_is_audited(db, admin):
    user = make_user(role=Role.ADMIN)
    institute = make_institute()
    admin_accounts.change_role(db.session, user, Role.INSTITUTE, institute, by=admin)
    entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "user-role")).one()
    assert entry.changes == {"role": ["admin", "institute"], "institute_id": [None, institute.id]}


def test_making_someone_staff_needs_an_institute(db, admin):
    with pytest.raises(DomainError) as refused:
        admin_accounts.change_role(db.session, make_user(role=Role.ADMIN), Role.INSTITUTE, None, by=admin)
    assert refused.value.code == "institute-required"


def test_an_admin_cannot_change_their_own_role(db, admin):
    with pytest.raises(DomainError) as refused:
        admin_accounts.change_role(db.session, admin, Role.INSTITUTE, make_institute(), by=admin)
    assert refused.value.code == "own-account"
    assert admin.role == Role.ADMIN


def test_an_admins_reset_queues_a_link_for_the_account(db):
    user = make_user()
    admin_accounts.send_password_reset(db.session, user)
    [message] = db.session.scalars(select(OutboxMessage).where(OutboxMessage.to_email == user.email))
    assert message.kind == "password-reset"


def test_an_admins_reset_of_a_deactivated_account_is_refused_and_queues_nothing(db):
    user = make_user(active=False)
    with pytest.raises(DomainError) as refused:
        admin_accounts.send_password_reset(db.session, user)
    assert refused.value.code == "account-inactive"
    assert db.session.scalars(select(OutboxMessage)).all() == []
