"""Learners' enquiries: who may be asked, how an enquiry is stored, tracked and withdrawn.

An enquiry, its first history entry and the two emails it causes (a receipt to the learner, a
notice to the institute) are written in one transaction: either all of them exist, or none.
The form's random submission key is unique in the database, so sending one form twice stores
one enquiry; the second attempt is answered with the first.
"""

from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass
from datetime import date
from urllib.parse import urlsplit

from flask import current_app, has_request_context, render_template, url_for
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload

from catalog.models import (
    Batch,
    Campus,
    ContactMethod,
    Course,
    CourseStatus,
    Enquiry,
    EnquiryEvent,
    EnquiryStatus,
    Institute,
    InstituteStatus,
    OutboxMessage,
    OutboxStatus,
)
from catalog.models.base import utcnow
from catalog.services import outbox
from catalog.services.tokens import hash_token, new_token, token_matches
from catalog.timeutil import local_today

log = logging.getLogger(__name__)

#: Letters and digits that cannot be mistaken for one another when read aloud or copied.
REFERENCE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"
REFERENCE_LENGTH = 6
REFERENCE_ATTEMPTS = 5

NOT_PUBLISHED = "Enquiries are closed: this course is not published."
INSTITUTE_NOT_APPROVED = "Enquiries are closed: this institute is not taking enquiries through the catalog."
BATCH_CLOSED = "That batch has started or is full; choose another batch"
BATCH_UNKNOWN = "Choose one of this course's batches, or No preference"

CONTACT_LABELS = {
    ContactMethod.EMAIL: "Email",
    ContactMethod.PHONE: "Phone call",
    ContactMethod.WHATSAPP: "WhatsApp",
}

#: What a learner reads about their enquiry's status: a word, then a sentence.
STATUS_WORDS = {
    EnquiryStatus.NEW: ("New", "The institute has not contacted you about it yet."),
    EnquiryStatus.CONTACTED: ("Contacted", "The institute says it has contacted you."),
    EnquiryStatus.ENROLLED: ("Enrolled", "The institute says you have enrolled."),
    EnquiryStatus.CLOSED: ("Closed", "The institute has closed this enquiry."),
    EnquiryStatus.INVALID: ("Closed", "The institute could not take this enquiry further."),
    EnquiryStatus.WITHDRAWN: ("Withdrawn", "You withdrew this enquiry and your personal data was erased."),
}

WITHDRAWN_NOTE = "Withdrawn by the learner; name, email, phone and message erased."
ERASED_BODY = "Erased when the learner withdrew the enquiry."


class EnquiryRefused(Exception):
    """The enquiry cannot be accepted as asked; ``message`` says why, ``field`` where."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class EnquiryNotSaved(Exception):
    """Storing the enquiry failed and everything was rolled back; trying again is safe."""


@dataclass(frozen=True)
class EnquiryDetails:
    """What the learner entered, already checked and normalised (email lower-cased, phone E.164)."""

    name: str
    email: str
    phone: str
    preferred_contact: ContactMethod
    message: str
    batch_id: int | None


@dataclass(frozen=True)
class Submission:
    """The outcome of :func:`submit_enquiry`; ``token`` is known only to the call that created it."""

    enquiry: Enquiry
    token: str | None
    created: bool


def consent_text(institute: Institute) -> str:
    """The consent sentence, naming the one institute that will receive the learner's details."""
    return (
        f"I agree that {institute.name} may contact me about this course. "
        f"My details go to {institute.name} alone and to no one else."
    )


def course_by_slug(session: Session, slug: str) -> Course | None:
    """The course with this slug whatever its status, with its institute and batches."""
    return session.scalar(
        select(Course)
        .where(Course.slug == slug)
        .options(
            selectinload(Course.institute),
            selectinload(Course.batches).selectinload(Batch.campus).selectinload(Campus.area),
        )
    )


def closed_reason(course: Course) -> str | None:
    """Why nobody may enquire about ``course`` now, or None when enquiries are open."""
    if course.status != CourseStatus.PUBLISHED:
        return NOT_PUBLISHED
    if course.institute.status != InstituteStatus.APPROVED:
        return INSTITUTE_NOT_APPROVED
    return None


def open_batches(course: Course, today: date) -> list[Batch]:
    """The batches of ``course`` a learner can still ask to join, soonest first."""
    return [batch for batch in course.batches if batch.is_open(today)]


def batch_problem(course: Course, batch_id: int | None, today: date) -> str | None:
    """Why ``batch_id`` cannot be chosen for ``course`` (another course's, closed), or None."""
    if batch_id is None:
        return None
    batch = next((b for b in course.batches if b.id == batch_id), None)
    if batch is None:
        return BATCH_UNKNOWN
    if not batch.is_open(today):
        return BATCH_CLOSED
    return None


def new_reference() -> str:
    """A reference such as ``ENQ-7K4P2Q``, easy to read out over the phone."""
    return "ENQ-" + "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(REFERENCE_LENGTH))


def new_submission_key() -> str:
    """The random key a freshly rendered enquiry form carries."""
    return secrets.token_urlsafe(24)


def find_by_submission_key(session: Session, key: str | None) -> Enquiry | None:
    """The enquiry a form with this submission key already stored, if any."""
    if not key:
        return None
    return session.scalar(select(Enquiry).where(Enquiry.submission_key == key))


def submit_enquiry(
    session: Session,
    course: Course,
    data: EnquiryDetails,
    *,
    submission_key: str,
    today: date | None = None,
) -> Submission:
    """Store an enquiry with its history and emails in one transaction, once per submission key.

    Raises :class:`EnquiryRefused` when the course or batch cannot be enquired about, and
    :class:`EnquiryNotSaved` when storing failed (nothing is left behind).
    """
    today = today or local_today()
    reason = closed_reason(course)
    if reason:
        raise EnquiryRefused(reason)
    problem = batch_problem(course, data.batch_id, today)
    if problem:
        raise EnquiryRefused(problem, field="batch")
    values = {
        "submission_key": submission_key,
        "institute_id": course.institute_id,
        "course_id": course.id,
        "batch_id": data.batch_id,
        "name": data.name,
        "email": data.email,
        "phone": data.phone,
        "preferred_contact": data.preferred_contact,
        "message": data.message,
        "consent": True,
        "consent_text": consent_text(course.institute),
    }
    for _ in range(REFERENCE_ATTEMPTS):
        existing = find_by_submission_key(session, submission_key)
        if existing is not None:
            return Submission(existing, None, created=False)
        token = new_token()
        try:
            enquiry = _store(session, course, values, token)
        except IntegrityError:
            # Either a twin of this form committed first (found above on the next pass)
            # or the reference was taken: try again with a new one.
            session.rollback()
        except Exception as error:
            session.rollback()
            log.exception("Enquiry about course %s not saved", course.id)
            raise EnquiryNotSaved from error
        else:
            return Submission(enquiry, token, created=True)
    raise EnquiryNotSaved("no free reference")


def _store(session: Session, course: Course, values: dict, token: str) -> Enquiry:
    enquiry = Enquiry(**values, reference=new_reference(), token_hash=hash_token(token))
    enquiry.history.append(EnquiryEvent(from_status=None, to_status=EnquiryStatus.NEW))
    session.add(enquiry)
    session.flush()
    _queue_emails(session, course, enquiry, token)
    session.commit()
    return enquiry


def _queue_emails(session: Session, course: Course, enquiry: Enquiry, token: str) -> None:
    institute = course.institute
    batch = session.get(Batch, enquiry.batch_id) if enquiry.batch_id else None
    context = {
        "enquiry": enquiry,
        "course": course,
        "institute": institute,
        "batch": batch,
        "contact": CONTACT_LABELS[enquiry.preferred_contact],
        "tracking_url": absolute_url("enquiries.track", reference=enquiry.reference, token=token),
        "course_url": absolute_url("public.course_detail", slug=course.slug),
    }
    outbox.queue_email(
        session,
        "enquiry-receipt",
        enquiry.email,
        f"Your enquiry {enquiry.reference} to {institute.name}"[:200],
        render_template("enquiries/email/receipt.txt", **context),
        enquiry_id=enquiry.id,
    )
    if institute.email:
        outbox.queue_email(
            session,
            "enquiry-notice",
            institute.email,
            f"New enquiry {enquiry.reference}: {course.title}"[:200],
            render_template("enquiries/email/notice.txt", inbox_url=absolute_url("portal.inbox"), **context),
            enquiry_id=enquiry.id,
        )


def absolute_url(endpoint: str, **values) -> str:
    """An absolute URL: from the request when there is one, else from the ``SITE_URL`` setting."""
    if has_request_context():
        return url_for(endpoint, _external=True, **values)
    site = urlsplit(current_app.config["SITE_URL"])
    adapter = current_app.url_map.bind(site.netloc, script_name=site.path or "/", url_scheme=site.scheme)
    return adapter.build(endpoint, values, force_external=True)


def find_enquiry(session: Session, reference: str, token: str | None) -> Enquiry | None:
    """The enquiry with ``reference``, only if ``token`` is its tracking token."""
    enquiry = session.scalar(select(Enquiry).where(Enquiry.reference == reference.upper()))
    if enquiry is None or not token_matches(token, enquiry.token_hash):
        return None
    return enquiry


def withdraw_enquiry(session: Session, enquiry: Enquiry) -> None:
    """Withdraw the enquiry at the learner's request and erase their personal data, in one commit.

    The learner's copy of the receipt in the outbox is erased too; if it was not yet sent, it
    never will be. The institute keeps the reference, course and history, and sees "withdrawn".
    """
    if enquiry.is_withdrawn:
        return
    enquiry.history.append(
        EnquiryEvent(from_status=enquiry.status, to_status=EnquiryStatus.WITHDRAWN, note=WITHDRAWN_NOTE)
    )
    enquiry.status = EnquiryStatus.WITHDRAWN
    enquiry.invalid_reason = None
    enquiry.withdrawn_at = utcnow()
    enquiry.name = enquiry.email = enquiry.phone = enquiry.message = ""
    receipts = session.scalars(
        select(OutboxMessage).where(
            OutboxMessage.enquiry_id == enquiry.id, OutboxMessage.kind == "enquiry-receipt"
        )
    )
    for message in receipts:
        message.to_email = ""
        message.body = ERASED_BODY
        if message.status == OutboxStatus.PENDING:
            message.status = OutboxStatus.FAILED
            message.last_error = "Not sent: the learner withdrew the enquiry."
    session.commit()
