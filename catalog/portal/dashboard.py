"""Portal home: what needs the staff's attention today."""

from __future__ import annotations

from datetime import timedelta

from flask import render_template
from flask_login import current_user, login_required
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from catalog.extensions import db
from catalog.models import Batch, BatchStatus, Course, CourseStatus, Enquiry, EnquiryStatus
from catalog.portal import bp
from catalog.security import current_institute_id, staff_required
from catalog.timeutil import local_today

STALE_SYLLABUS_DAYS = 183


@bp.get("/")
@login_required
@staff_required
def dashboard():
    """New enquiries, courses by status, upcoming batches and stale syllabi of this institute."""
    institute_id = current_institute_id()
    today = local_today()
    own_courses = select(Course.id).where(Course.institute_id == institute_id)
    status_counts = dict(
        db.session.execute(
            select(Course.status, func.count(Course.id))
            .where(Course.institute_id == institute_id)
            .group_by(Course.status)
        ).all()
    )
    new_enquiries = db.session.scalars(
        select(Enquiry)
        .where(Enquiry.institute_id == institute_id, Enquiry.status == EnquiryStatus.NEW)
        .order_by(Enquiry.created_at.desc())
        .limit(10)
        .options(selectinload(Enquiry.course), selectinload(Enquiry.batch))
    ).all()
    new_count = db.session.scalar(
        select(func.count(Enquiry.id)).where(
            Enquiry.institute_id == institute_id, Enquiry.status == EnquiryStatus.NEW
        )
    )
    live_courses = own_courses.where(Course.status.in_([CourseStatus.PUBLISHED, CourseStatus.PENDING]))
    batches = db.session.scalars(
        select(Batch)
        .where(
            Batch.course_id.in_(live_courses), Batch.start_date > today, Batch.status != BatchStatus.CLOSED
        )
        .order_by(Batch.start_date)
        .limit(10)
        .options(selectinload(Batch.course), selectinload(Batch.campus))
    ).all()
    stale = db.session.scalars(
        select(Course)
        .where(
            Course.institute_id == institute_id,
            Course.status.in_([CourseStatus.PUBLISHED, CourseStatus.PENDING]),
            (Course.syllabus_reviewed_on.is_(None))
            | (Course.syllabus_reviewed_on < today - timedelta(days=STALE_SYLLABUS_DAYS)),
        )
        .order_by(Course.syllabus_reviewed_on)
    ).all()
    return render_template(
        "portal/dashboard.html",
        institute=current_user.institute,
        status_counts={CourseStatus(k): v for k, v in status_counts.items()},
        new_enquiries=new_enquiries,
        new_count=new_count,
        batches=batches,
        stale=stale,
        today=today,
    )
