"""Builders: the smallest valid records, with any field overridden by keyword."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta

from catalog.extensions import db
from catalog.models import (
    Area,
    Batch,
    BatchStatus,
    Campus,
    ContactMethod,
    Course,
    CourseFormat,
    CourseLanguage,
    CourseModule,
    CourseStatus,
    Enquiry,
    EnquiryStatus,
    Event,
    EventKind,
    Institute,
    InstituteStatus,
    Instructor,
    Level,
    Mode,
    Role,
    Schedule,
    Tool,
    Topic,
    User,
)
from catalog.timeutil import local_today

_counter = itertools.count(1)


def _n() -> int:
    return next(_counter)


def _save(obj):
    db.session.add(obj)
    db.session.commit()
    return obj


def make_area(**overrides) -> Area:
    n = _n()
    values = {"name": f"Area {n}", "slug": f"area-{n}", "latitude": 17.4, "longitude": 78.4}
    return _save(Area(**{**values, **overrides}))


def make_topic(**overrides) -> Topic:
    n = _n()
    values = {"name": f"Topic {n}", "slug": f"topic-{n}", "synonyms": []}
    return _save(Topic(**{**values, **overrides}))


def make_tool(**overrides) -> Tool:
    n = _n()
    values = {"name": f"Tool {n}", "slug": f"tool-{n}", "category": "ci-cd", "synonyms": []}
    return _save(Tool(**{**values, **overrides}))


def make_institute(**overrides) -> Institute:
    n = _n()
    values = {
        "name": f"Institute {n}",
        "slug": f"institute-{n}",
        "description": "Teaches MLOps.",
        "status": InstituteStatus.APPROVED,
        "verified": True,
    }
    return _save(Institute(**{**values, **overrides}))


def make_campus(institute: Institute, area: Area, **overrides) -> Campus:
    return _save(Campus(**{"institute": institute, "area": area, "address": "Plot 1", **overrides}))


def make_course(**overrides) -> Course:
    """A published course; ``languages`` may be given as plain names."""
    n = _n()
    languages = overrides.pop("languages", ["English"])
    modules = overrides.pop("modules", [("Foundations", 10)])
    values = {
        "title": f"Course {n}",
        "slug": f"course-{n}",
        "summary": "A course.",
        "description": "",
        "format": CourseFormat.BOOTCAMP,
        "level": Level.INTERMEDIATE,
        "duration_days": 90,
        "total_hours": 120,
        "fee_inr": 50_000,
        "mode": Mode.CLASSROOM,
        "refund_policy": "Full refund before the start date.",
        "status": CourseStatus.PUBLISHED,
        "syllabus_reviewed_on": local_today() - timedelta(days=30),
    }
    values.update(overrides)
    if "institute" not in values:
        values["institute"] = make_institute()
    course = Course(**values)
    course.languages = [CourseLanguage(language=name) for name in languages]
    course.modules = [CourseModule(position=i, title=t, hours=h) for i, (t, h) in enumerate(modules, 1)]
    return _save(course)


def make_batch(course: Course, starts_in_days: int = 10, **overrides) -> Batch:
    values = {
        "course": course,
        "start_date": local_today() + timedelta(days=starts_in_days),
        "schedule": Schedule.WEEKEND,
        "mode": course.mode,
        "seats_total": 30,
        "seats_left": 10,
        "status": BatchStatus.OPEN,
    }
    return _save(Batch(**{**values, **overrides}))


def make_instructor(institute: Institute, **overrides) -> Instructor:
    n = _n()
    values = {
        "institute": institute,
        "name": f"Instructor {n}",
        "years_experience": 8,
        "industry_background": "Fintech",
    }
    return _save(Instructor(**{**values, **overrides}))


def make_event(**overrides) -> Event:
    n = _n()
    starts = datetime.now(UTC) + timedelta(days=overrides.pop("starts_in_days", 7))
    values = {
        "title": f"Event {n}",
        "slug": f"event-{n}",
        "kind": EventKind.MEETUP,
        "description": "A meetup.",
        "starts_at": starts,
        "ends_at": starts + timedelta(hours=3),
        "venue": "T-Hub",
        "organiser": "Hyderabad MLOps Circle",
        "fee_inr": 0,
    }
    return _save(Event(**{**values, **overrides}))


TEST_PASSWORD = "correct horse battery staple"


def make_user(institute: Institute | None = None, role: Role = Role.INSTITUTE, **overrides) -> User:
    """A user who can sign in with ``TEST_PASSWORD``; staff get an institute unless given one."""
    from catalog.services.passwords import hash_password, new_session_stamp

    n = _n()
    if role == Role.INSTITUTE and institute is None:
        institute = make_institute()
    values = {
        "email": f"user{n}@example.in",
        "name": f"User {n}",
        "password_hash": hash_password(overrides.pop("password", TEST_PASSWORD)),
        "role": role,
        "institute": institute,
        "active": True,
        "session_stamp": new_session_stamp(),
    }
    return _save(User(**{**values, **overrides}))


def make_enquiry(course: Course, **overrides) -> Enquiry:
    """A stored enquiry about ``course``; ``token`` in overrides sets the tracking token."""
    from catalog.tokens import hash_token

    n = _n()
    values = {
        "reference": f"ENQ-T{n:05d}",
        "submission_key": f"test-submission-{n}",
        "token_hash": hash_token(overrides.pop("token", f"token-{n}")),
        "institute_id": course.institute_id,
        "course": course,
        "name": f"Learner {n}",
        "email": f"learner{n}@example.in",
        "phone": "+919876543210",
        "preferred_contact": ContactMethod.EMAIL,
        "message": "When does the next batch start?",
        "consent": True,
        "consent_text": "I agree to be contacted.",
        "status": EnquiryStatus.NEW,
    }
    return _save(Enquiry(**{**values, **overrides}))


def signed_form_stamp(secret_key: str, submission_key: str, seconds_ago: int = 0) -> str:
    """An enquiry form stamp for ``submission_key``, signed with ``secret_key`` as if ``seconds_ago``."""
    import time

    from itsdangerous import TimestampSigner, URLSafeTimedSerializer

    from catalog.enquiries.forms import STAMP_SALT

    class EarlierSigner(TimestampSigner):
        def get_timestamp(self) -> int:
            return int(time.time()) - seconds_ago

    return URLSafeTimedSerializer(secret_key, salt=STAMP_SALT, signer=EarlierSigner).dumps(submission_key)
