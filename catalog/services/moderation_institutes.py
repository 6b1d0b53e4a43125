"""What admins do to an institute beyond approving it: the verified mark, suspension, reinstatement.

Suspending takes the institute's courses out of search at once (the index follows the status
change in the same transaction, through the session listener of :mod:`catalog.search.index`),
ends every session of its staff and refuses their sign-in until it is reinstated. Each change
commits with its audit entry and, for suspension and reinstatement, an email to every active
staff member. Refusals: ``reason-required`` (``reason``), ``institute-not-approved``
(only an approved institute can be suspended), ``institute-not-suspended``.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from catalog import emails
from catalog.models import Institute, InstituteStatus, User
from catalog.queries.accounts import active_staff
from catalog.services.audit import record_change
from catalog.services.errors import DomainError
from catalog.services.outbox import queue_email
from catalog.services.sessions import close_sessions
from catalog.services.transactions import one_write

#: The longest suspension reason kept (it goes into an email and the audit log).
REASON_MAX = 1000


def sign_in_refused(user: User) -> bool:
    """True for staff of a suspended institute: their right password still opens no session."""
    return user.institute is not None and user.institute.status == InstituteStatus.SUSPENDED


def set_verified(session: Session, institute: Institute, verified: bool, by: User) -> bool:
    """Give or take away the verified mark; False when it already was so (nothing changes)."""
    if institute.verified == verified:
        return False
    with one_write(session):
        institute.verified = verified
        record_change(
            session,
            by,
            "institute-verify" if verified else "institute-unverify",
            institute,
            changes={"verified": [not verified, verified]},
            summary=f"Institute {institute.name} {'verified' if verified else 'no longer verified'}.",
            institute_id=institute.id,
        )
    return True


def suspend_institute(session: Session, institute: Institute, reason: str, by: User) -> int:
    """Suspend an approved institute for ``reason``; returns how many staff sessions ended."""
    reason = " ".join(reason.split())
    if not reason:
        raise DomainError("reason-required", "reason")
    if len(reason) > REASON_MAX:
        raise DomainError("reason-too-long", "reason", max=REASON_MAX)
    if institute.status != InstituteStatus.APPROVED:
        raise DomainError("institute-not-approved", None, status=institute.status.value)
    with one_write(session):
        institute.status = InstituteStatus.SUSPENDED
        ended = 0
        for user in active_staff(session, institute.id):
            ended += close_sessions(session, user)
            queue_email(
                session,
                "institute-suspended",
                user.email,
                emails.institute_suspended(user, institute, reason),
            )
        record_change(
            session,
            by,
            "institute-suspend",
            institute,
            changes={"status": [InstituteStatus.APPROVED.value, InstituteStatus.SUSPENDED.value]},
            summary=f"Institute {institute.name} suspended: {reason}",
            institute_id=institute.id,
        )
    return ended


def reinstate_institute(session: Session, institute: Institute, by: User) -> None:
    """Lift a suspension: the courses return to search and the staff may sign in again."""
    if institute.status != InstituteStatus.SUSPENDED:
        raise DomainError("institute-not-suspended", None, status=institute.status.value)
    with one_write(session):
        institute.status = InstituteStatus.APPROVED
        for user in active_staff(session, institute.id):
            queue_email(
                session, "institute-reinstated", user.email, emails.institute_reinstated(user, institute)
            )
        record_change(
            session,
            by,
            "institute-reinstate",
            institute,
            changes={"status": [InstituteStatus.SUSPENDED.value, InstituteStatus.APPROVED.value]},
            summary=f"Institute {institute.name} reinstated.",
            institute_id=institute.id,
        )
