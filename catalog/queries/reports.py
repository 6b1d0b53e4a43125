"""Reads of learner reports: the admin queue (waiting first), one report, how many wait."""

from __future__ import annotations

from sqlalchemy import ColumnElement, Select, case, func, select
from sqlalchemy.orm import Session, selectinload

from catalog.models import Course, ListingReport, ReportStatus

#: Reports no admin has resolved or dismissed yet.
WAITING: ColumnElement[bool] = ListingReport.status == ReportStatus.NEW


def _with_listing(statement: Select) -> Select:
    return statement.options(
        selectinload(ListingReport.course).selectinload(Course.institute),
        selectinload(ListingReport.institute),
        selectinload(ListingReport.resolved_by),
    )


def reports_query(status: ReportStatus | None = None) -> Select:
    """Learner reports (or those of one ``status``) with their listings, for paginating: waiting
    ones first, each group newest first."""
    statement = select(ListingReport).order_by(
        case((WAITING, 0), else_=1), ListingReport.created_at.desc(), ListingReport.id.desc()
    )
    if status is not None:
        statement = statement.where(ListingReport.status == status)
    return _with_listing(statement)


def find_report(session: Session, report_id: int) -> ListingReport | None:
    """One report with its listing, or None."""
    return session.scalar(_with_listing(select(ListingReport).where(ListingReport.id == report_id)))


def waiting_count(session: Session) -> int:
    """How many reports wait for an admin (the dashboard's "learner reports waiting")."""
    return session.scalar(select(func.count()).select_from(ListingReport).where(WAITING)) or 0
