"""What every listing service shares: refusals, outcomes, slugs and the one-commit rule."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from catalog.models import User
from catalog.services.audit import diff, record_change


class ListingError(Exception):
    """A change refused for a reason staff can act on; ``field`` names the form field at fault."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field

    def show_on(self, form) -> None:
        """Put the message beside its field (or at the top of the form when none is named)."""
        if self.field is not None:
            form[self.field].errors = [*form[self.field].errors, self.message]
        else:
            form.form_errors.append(self.message)


@dataclass(frozen=True)
class Outcome:
    """What a save did: the record, and the message to show staff."""

    record: Any
    message: str
    category: str = "success"


class EditConflict(Exception):
    """Another staff member saved the record after this form was opened; nothing was changed."""


@contextmanager
def one_transaction(session: Session) -> Iterator[None]:
    """Commit the block's changes (with their audit entry) together, or none of them.

    A stale version becomes :class:`EditConflict`; a unique-constraint clash (two staff adding
    the same name at once) becomes a :class:`ListingError`.
    """
    try:
        yield
        session.commit()
    except StaleDataError:
        session.rollback()
        raise EditConflict() from None
    except IntegrityError:
        session.rollback()
        raise ListingError(
            "Someone saved a record with the same name at the same moment. Check the list and try again."
        ) from None
    except BaseException:
        session.rollback()
        raise


def audit(
    session: Session,
    user: User,
    action: str,
    record,
    before: dict[str, Any],
    after: dict[str, Any],
    summary: str,
    institute_id: int | None = None,
) -> None:
    """Add the audit entry of a change: who, what, which record, and each field before and after."""
    record_change(
        session, user, action, record, diff(before, after), summary=summary, institute_id=institute_id
    )
