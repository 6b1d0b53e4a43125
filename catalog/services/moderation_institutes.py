"""What admins do to an institute: approval, the verified mark, suspension, reinstatement.

Approving opens the portal to the institute's staff. Suspending takes the institute's courses
out of search at once (the index follows the status change in the same transaction, through the
session listener of :mod:`catalog.search.index`), ends every session of its staff and refuses
their sign-in until it is reinstated. Each change commits with its audit entry and, but for the
verified mark, an email to every active staff member. Refusals: ``reason-required``
(``reason``), ``institute-not-approved`` (only an approved institute can be suspended),
``institute-not-suspended``.
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


def _change_status(
    session: Session,
    institute: Institute,
    status: InstituteStatus,
    by: User | None,
    action: str,
    news: str,
    reason: str = "",
) -> list[User]:
    """Give the institute ``status``, queue the ``news`` of it (:func:`catalog.emails.institute_news`)
    to each active staff member and record ``action`` (in the caller's transaction); returns the
    staff told."""
    before = institute.status
    institute.status = status
    staff = active_staff(session, institute.id)
    for user in staff:
        queue_email(
            session, f"institute-{news}", user.email, emails.institute_news(user, institute, news, reason)
        )
    summary = (
        f"Institute {institute.name} {news}: {reason}" if reason else f"Institute {institute.name} {news}."
    )
    record_change(
        session,
        by,
        action,
        institute,
        changes={"status": [before.value, status.value]},
        summary=summary,
        institute_id=institute.id,
    )
    return staff


def approve_institute(
    session: Session, institute: Institute, by: User | None = None
) -> InstituteStatus | None:
    """Approve an institute, opening the portal to its staff, and email them that it is open.

    Returns the status it had before, or None when it was already approved (nothing changes).
    ``by`` is the admin doing it, None for the command line.
    """
    before = institute.status
    if before == InstituteStatus.APPROVED:
        return None
    with one_write(session):
        _change_status(session, institute, InstituteStatus.APPROVED, by, "institute-approve", "approved")
    return before


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
        staff = _change_status(
            session, institute, InstituteStatus.SUSPENDED, by, "institute-suspend", "suspended", reason=reason
        )
        ended = sum(close_sessions(session, user) for user in staff)
    return ended


def reinstate_institute(session: Session, institute: Institute, by: User) -> None:
    """Lift a suspension: the courses return to search and the staff may sign in again."""
    if institute.status != InstituteStatus.SUSPENDED:
        raise DomainError("institute-not-suspended", None, status=institute.status.value)
    with one_write(session):
        _change_status(session, institute, InstituteStatus.APPROVED, by, "institute-reinstate", "reinstated")
