"""Batches (intakes of a course): their date, schedule, seats, status and the campus they meet at."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from catalog.models import Batch, BatchStatus, Campus, Course, Mode, Schedule, User
from catalog.services.audit import audit_change, snapshot
from catalog.services.errors import DomainError
from catalog.services.outcomes import Outcome
from catalog.services.transactions import one_write
from catalog.timeutil import local_today

#: Modes whose learners come to a campus, so the batch must say which one.
CAMPUS_MODES = (Mode.CLASSROOM, Mode.HYBRID)


@dataclass(frozen=True)
class BatchChanges:
    """What a batch is: ``campus`` is the id of one of the institute's campuses (None: online);
    ``seats_left`` None means every seat is still free."""

    start_date: date
    schedule: Schedule
    mode: Mode
    seats_total: int
    seats_left: int | None = None
    campus: int | None = None


def batch_snapshot(batch: Batch) -> dict[str, Any]:
    """A batch's fields as plain values, for the audit log."""
    values = snapshot(batch, ["start_date", "schedule", "mode", "seats_total", "seats_left", "status"])
    values["campus"] = batch.campus.area.name if batch.campus is not None else None
    return values


def _status(batch: Batch) -> BatchStatus:
    if batch.status == BatchStatus.CLOSED:
        return BatchStatus.CLOSED
    return BatchStatus.FULL if batch.seats_left == 0 else BatchStatus.OPEN


def _campus(session: Session, course: Course, changes: BatchChanges) -> Campus | None:
    if changes.campus is None:
        if changes.mode in CAMPUS_MODES:
            raise DomainError("campus-needed", field="campus")
        return None
    campus = session.scalar(
        select(Campus).where(Campus.id == changes.campus, Campus.institute_id == course.institute_id)
    )
    if campus is None:
        raise DomainError("unknown-choice", field="campus")
    return campus


def apply_batch(
    session: Session,
    actor: User | None,
    course: Course,
    changes: BatchChanges,
    batch: Batch | None = None,
    *,
    may_have_started: bool = False,
) -> Outcome[Batch]:
    """Add a batch to ``course`` (or update ``batch``), with its audit entry.

    A new batch cannot start in the past; ``may_have_started`` lifts that for the demo batches
    only the seed writes. An existing batch keeps a past date when edited (it has started).
    """
    creating = batch is None
    if creating and not may_have_started and changes.start_date < local_today():
        raise DomainError("batch-starts-in-past", field="start_date")
    if changes.seats_left is not None and changes.seats_left > changes.seats_total:
        raise DomainError("seats-left-above-total", field="seats_left")
    campus = _campus(session, course, changes)
    before = {} if creating else batch_snapshot(batch)
    with one_write(session), session.no_autoflush:
        if creating:
            batch = Batch(course=course, status=BatchStatus.OPEN)
            session.add(batch)
        batch.start_date = changes.start_date
        batch.schedule = changes.schedule
        batch.mode = changes.mode
        batch.campus = campus
        batch.seats_total = changes.seats_total
        batch.seats_left = changes.seats_total if changes.seats_left is None else changes.seats_left
        batch.status = _status(batch)
        session.flush()
        audit_change(
            session,
            actor,
            "create" if creating else "update",
            batch,
            before,
            batch_snapshot(batch),
            summary=f"{'Added' if creating else 'Saved'} batch of “{course.title}” from {batch.start_date}",
            institute_id=course.institute_id,
        )
    code = "batch-saved-full" if batch.status == BatchStatus.FULL else "batch-saved"
    return Outcome(batch, code, {"start_date": batch.start_date})


def close_batch(session: Session, actor: User | None, batch: Batch) -> Outcome[Batch]:
    """Close a batch to enquiries (it stays listed as closed)."""
    if batch.status == BatchStatus.CLOSED:
        return Outcome(batch, "batch-already-closed", {"start_date": batch.start_date})
    before = batch_snapshot(batch)
    with one_write(session):
        batch.status = BatchStatus.CLOSED
        session.flush()
        audit_change(
            session,
            actor,
            "close",
            batch,
            before,
            batch_snapshot(batch),
            summary=f"Closed batch of “{batch.course.title}” starting {batch.start_date}",
            institute_id=batch.course.institute_id,
        )
    return Outcome(batch, "batch-closed", {"start_date": batch.start_date})
