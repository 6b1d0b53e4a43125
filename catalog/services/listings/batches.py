"""Saving batches (intakes of a course): seats, status and the campus they meet at."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from catalog.forms.catalog import BatchForm
from catalog.models import Batch, BatchStatus, Campus, Course, Mode, Schedule, User
from catalog.services.audit import snapshot
from catalog.services.listings.common import Outcome, audit, one_transaction
from catalog.templating import format_date


def batch_snapshot(batch: Batch) -> dict[str, Any]:
    """A batch's fields as plain values, for the audit log."""
    values = snapshot(batch, ["start_date", "schedule", "mode", "seats_total", "seats_left", "status"])
    values["campus"] = batch.campus.area.name if batch.campus is not None else None
    return values


def _status(batch: Batch) -> BatchStatus:
    if batch.status == BatchStatus.CLOSED:
        return BatchStatus.CLOSED
    return BatchStatus.FULL if batch.seats_left == 0 else BatchStatus.OPEN


def save_batch(
    session: Session, user: User, course: Course, form: BatchForm, batch: Batch | None = None
) -> Outcome:
    """Create or update a batch of ``course`` from a validated form, with its audit entry."""
    creating = batch is None
    before = {} if creating else batch_snapshot(batch)
    campus = None
    if form.campus.data is not None:
        campus = session.scalar(
            select(Campus).where(Campus.id == form.campus.data, Campus.institute_id == course.institute_id)
        )
    with one_transaction(session), session.no_autoflush:
        if creating:
            batch = Batch(course=course, status=BatchStatus.OPEN)
            session.add(batch)
        batch.start_date = form.start_date.data
        batch.schedule = Schedule(form.schedule.data)
        batch.mode = Mode(form.mode.data)
        batch.campus = campus
        batch.seats_total = form.seats_total.data
        batch.seats_left = form.seats_total.data if form.seats_left.data is None else form.seats_left.data
        batch.status = _status(batch)
        session.flush()
        audit(
            session,
            user,
            "create" if creating else "update",
            batch,
            before,
            batch_snapshot(batch),
            summary=f"{'Added' if creating else 'Saved'} batch of “{course.title}” from {batch.start_date}",
            institute_id=course.institute_id,
        )
    when = format_date(batch.start_date)
    if batch.status == BatchStatus.FULL:
        return Outcome(batch, f"Batch starting {when} saved. With no seats left, it shows as full.", "info")
    return Outcome(batch, f"Batch starting {when} saved.")


def close_batch(session: Session, user: User, batch: Batch) -> Outcome:
    """Close a batch to enquiries (it stays listed as closed)."""
    when = format_date(batch.start_date)
    if batch.status == BatchStatus.CLOSED:
        return Outcome(batch, f"The batch starting {when} is already closed.", "info")
    before = batch_snapshot(batch)
    with one_transaction(session):
        batch.status = BatchStatus.CLOSED
        session.flush()
        audit(
            session,
            user,
            "close",
            batch,
            before,
            batch_snapshot(batch),
            summary=f"Closed batch of “{batch.course.title}” starting {batch.start_date}",
            institute_id=batch.course.institute_id,
        )
    return Outcome(batch, f"The batch starting {when} is closed: learners can no longer ask about it.")
