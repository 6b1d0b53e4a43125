"""Learners' enquiries: who may be asked, how an enquiry is stored and withdrawn.

An enquiry, its first history entry and the two emails it causes (a receipt to the learner, a
notice to the institute) are written in one transaction: either all of them exist, or none.
The form's random submission key is unique in the database, so sending one form twice stores
one enquiry; the second attempt is answered with the first.

Refusals are :class:`DomainError` codes, with the field they concern:
``course-not-published`` and ``institute-not-approved`` (the whole enquiry), ``consent-required``
(``consent``), ``phone-required`` (``phone``), ``batch-unknown`` and ``batch-closed`` (``batch``).

One form on the shortlist asks several institutes at once (:func:`submit_enquiries`): one enquiry
per chosen course, each with its own reference, tracking token, emails and the consent sentence
of its institute, which the learner agrees to once per institute. All are stored in one
transaction or none is; a refusal names its course or institute in its ``params``, and
``no-course-chosen`` (``courses``) is its own.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Collection, Sequence
from dataclasses import dataclass, replace
from datetime import date

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from catalog import emails
from catalog.models import (
    Batch,
    ContactMethod,
    Course,
    CourseStatus,
    Enquiry,
    EnquiryEvent,
    EnquiryStatus,
    Institute,
    InstituteStatus,
    OutboxStatus,
)
from catalog.models.base import utcnow
from catalog.queries.enquiries import RECEIPT, find_by_submission_key, receipts_of
from catalog.services import outbox
from catalog.services.errors import DomainError
from catalog.timeutil import local_today
from catalog.tokens import hash_token, new_token

log = logging.getLogger(__name__)

#: Letters and digits that cannot be mistaken for one another when read aloud or copied.
REFERENCE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"
REFERENCE_LENGTH = 6
REFERENCE_ATTEMPTS = 5
#: The ways of being contacted that need a phone number.
NEEDS_PHONE = (ContactMethod.PHONE, ContactMethod.WHATSAPP)

WITHDRAWN_NOTE = "Withdrawn by the learner; name, email, phone and message erased."
ERASED_BODY = "Erased when the learner withdrew the enquiry."


class EnquiryNotSaved(Exception):
    """Storing the enquiry failed and everything was rolled back; trying again is safe."""


@dataclass(frozen=True)
class EnquiryDetails:
    """What the learner entered, parsed: the email in its stored form (trimmed, validated and
    lower-cased, see ``catalog.models.contacts``), the phone in E.164 or empty, and whether they
    ticked the consent box."""

    name: str
    email: str
    phone: str
    preferred_contact: ContactMethod
    message: str
    batch_id: int | None
    consent: bool


@dataclass(frozen=True)
class Submission:
    """The outcome of :func:`submit_enquiry`; ``token`` is known only to the call that created it."""

    enquiry: Enquiry
    token: str | None
    created: bool


def consent_text(institute: Institute, about: str = "this course") -> str:
    """The consent sentence, naming the one institute that will receive the learner's details."""
    return (
        f"I agree that {institute.name} may contact me about {about}. "
        f"My details go to {institute.name} alone and to no one else."
    )


def closed_refusal(course: Course) -> DomainError | None:
    """Why nobody may enquire about ``course`` now, or None when enquiries are open."""
    if course.status != CourseStatus.PUBLISHED:
        return DomainError("course-not-published")
    if course.institute.status != InstituteStatus.APPROVED:
        return DomainError("institute-not-approved")
    return None


def open_batches(course: Course, today: date) -> list[Batch]:
    """The batches of ``course`` a learner can still ask to join, soonest first."""
    return [batch for batch in course.batches if batch.is_open(today)]


def enquiry_problems(course: Course, details: EnquiryDetails, today: date) -> list[DomainError]:
    """Every enquiry rule ``details`` break, in the order a learner should read them.

    Enquiries closed (course not published, institute not approved) comes alone: nothing
    else matters then. Otherwise: no consent, no phone for a call or message, a batch of
    another course or one that is no longer open.
    """
    closed = closed_refusal(course)
    if closed:
        return [closed]
    problems = []
    if not details.consent:
        problems.append(DomainError("consent-required", "consent"))
    if details.preferred_contact in NEEDS_PHONE and not details.phone:
        problems.append(DomainError("phone-required", "phone"))
    if details.batch_id is not None:
        batch = _chosen_batch(course, details.batch_id)
        if batch is None:
            problems.append(DomainError("batch-unknown", "batch"))
        elif not batch.is_open(today):
            problems.append(DomainError("batch-closed", "batch"))
    return problems


def _chosen_batch(course: Course, batch_id: int) -> Batch | None:
    return next((b for b in course.batches if b.id == batch_id), None)


def check_enquiry(course: Course, details: EnquiryDetails, today: date) -> Batch | None:
    """The batch ``details`` choose (None for no preference), once every enquiry rule holds.

    Raises :class:`DomainError` for the first rule broken (see :func:`enquiry_problems`).
    """
    problems = enquiry_problems(course, details, today)
    if problems:
        raise problems[0]
    return None if details.batch_id is None else _chosen_batch(course, details.batch_id)


def new_reference() -> str:
    """A reference such as ``ENQ-7K4P2Q``, easy to read out over the phone."""
    return "ENQ-" + "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(REFERENCE_LENGTH))


def new_submission_key() -> str:
    """The random key a freshly rendered enquiry form carries."""
    return secrets.token_urlsafe(24)


def _enquiry_values(course: Course, details: EnquiryDetails, submission_key: str, consent: str) -> dict:
    return {
        "submission_key": submission_key,
        "institute_id": course.institute_id,
        "course_id": course.id,
        "batch_id": details.batch_id,
        "name": details.name,
        "email": details.email,
        "phone": details.phone,
        "preferred_contact": details.preferred_contact,
        "message": details.message,
        "consent": True,
        "consent_text": consent,
    }


@dataclass(frozen=True)
class _Draft:
    """One enquiry about to be stored: its course, chosen batch and column values."""

    course: Course
    batch: Batch | None
    values: dict


def submit_enquiry(
    session: Session,
    course: Course,
    details: EnquiryDetails,
    *,
    submission_key: str,
    today: date | None = None,
) -> Submission:
    """Store an enquiry with its history and emails in one transaction, once per submission key.

    Raises :class:`DomainError` when the enquiry breaks a rule (see :func:`check_enquiry`), and
    :class:`EnquiryNotSaved` when storing failed (nothing is left behind).
    """
    batch = check_enquiry(course, details, today or local_today())
    values = _enquiry_values(course, details, submission_key, consent_text(course.institute))
    return _store_once(session, [_Draft(course, batch, values)], f"course {course.id}")[0]


def _store_once(session: Session, drafts: list[_Draft], subject: str) -> list[Submission]:
    """Store every draft in one commit, unless one of their submission keys is already stored:
    then answer with the enquiries stored under those keys (``created=False``)."""
    for _ in range(REFERENCE_ATTEMPTS):
        existing = [find_by_submission_key(session, draft.values["submission_key"]) for draft in drafts]
        if any(existing):
            return [Submission(enquiry, None, created=False) for enquiry in existing if enquiry]
        try:
            submissions = []
            for draft in drafts:
                token = new_token()
                submissions.append(Submission(_add(session, draft, token), token, created=True))
            session.commit()
        except IntegrityError:
            # Either a twin of this form committed first (found above on the next pass)
            # or a reference was taken: try again with new ones.
            session.rollback()
        except Exception as error:
            session.rollback()
            log.exception("Enquiry about %s not saved", subject)
            raise EnquiryNotSaved from error
        else:
            return submissions
    raise EnquiryNotSaved("no free reference")


def _add(session: Session, draft: _Draft, token: str) -> Enquiry:
    """Add the enquiry, its first history entry and its two emails to the open transaction."""
    course, batch = draft.course, draft.batch
    enquiry = Enquiry(**draft.values, reference=new_reference(), token_hash=hash_token(token))
    enquiry.history.append(EnquiryEvent(from_status=None, to_status=EnquiryStatus.NEW))
    session.add(enquiry)
    session.flush()
    receipt = emails.enquiry_receipt(enquiry, course, batch, token)
    outbox.queue_email(session, RECEIPT, enquiry.email, receipt, enquiry_id=enquiry.id)
    if course.institute.email:
        notice = emails.enquiry_notice(enquiry, course, batch)
        outbox.queue_email(session, "enquiry-notice", course.institute.email, notice, enquiry_id=enquiry.id)
    return enquiry


#: What the shortlist's consent sentence says the learner may be contacted about.
SHORTLIST_CONSENT_ABOUT = "its courses I ticked above"


def shortlist_consent_text(institute: Institute) -> str:
    """The consent sentence of one institute on the shortlist's form, covering its chosen courses."""
    return consent_text(institute, SHORTLIST_CONSENT_ABOUT)


def institutes_of(courses: Sequence[Course]) -> list[Institute]:
    """The institutes teaching ``courses``, each once, in the order of the courses."""
    return list({course.institute_id: course.institute for course in courses}.values())


def course_submission_key(submission_key: str, course_id: int) -> str:
    """The submission key of one course's enquiry sent from the shortlist's form."""
    return f"{submission_key}.{course_id}"


def enquiries_problems(
    courses: Sequence[Course], details: EnquiryDetails, consented: Collection[int], today: date
) -> list[DomainError]:
    """Every rule a send of the shortlist's form breaks, each refusal once, with the course or the
    institute it concerns in its ``params`` (``course_id``, ``course``, ``institute_id``,
    ``institute``).

    ``consented`` holds the ids of the institutes whose consent box was ticked; ``details``'
    own ``consent`` and ``batch_id`` are not read (the form chooses no batch). The rules are
    :func:`enquiry_problems`' for each course: a closed course is refused by itself (on
    ``courses``), missing consent once per institute, a missing phone once for the form.
    """
    if not courses:
        return [DomainError("no-course-chosen", "courses")]
    problems: dict[tuple, DomainError] = {}
    for course in courses:
        own = replace(details, consent=course.institute_id in consented, batch_id=None)
        for problem in enquiry_problems(course, own, today):
            about = {"consent-required": course.institute_id, "phone-required": None}
            key = (problem.code, about.get(problem.code, course.id))
            problems.setdefault(
                key,
                DomainError(
                    problem.code,
                    problem.field or "courses",
                    course_id=course.id,
                    course=course.title,
                    institute_id=course.institute_id,
                    institute=course.institute.name,
                ),
            )
    return list(problems.values())


def submit_enquiries(
    session: Session,
    courses: Sequence[Course],
    details: EnquiryDetails,
    consented: Collection[int],
    *,
    submission_key: str,
    today: date | None = None,
) -> list[Submission]:
    """Store one enquiry per course of ``courses``, in their order, all in one transaction.

    Each has its own reference, tracking token, history, emails (as :func:`submit_enquiry`
    writes them) and its institute's :func:`shortlist_consent_text`. The same form sent again
    is answered with the enquiries it stored (``created=False``). Raises :class:`DomainError`
    for the first rule broken (see :func:`enquiries_problems`) before anything is stored, and
    :class:`EnquiryNotSaved` when storing failed (nothing is left behind).
    """
    problems = enquiries_problems(courses, details, consented, today or local_today())
    if problems:
        raise problems[0]
    own = replace(details, consent=True, batch_id=None)
    drafts = [
        _Draft(
            course,
            None,
            _enquiry_values(
                course,
                own,
                course_submission_key(submission_key, course.id),
                shortlist_consent_text(course.institute),
            ),
        )
        for course in courses
    ]
    return _store_once(session, drafts, "courses " + ", ".join(str(course.id) for course in courses))


def sent_with_key(session: Session, submission_key: str | None, courses: Sequence[Course]) -> list[Enquiry]:
    """The enquiries about ``courses`` that the shortlist's form with this key already stored."""
    if not submission_key:
        return []
    found = (find_by_submission_key(session, course_submission_key(submission_key, c.id)) for c in courses)
    return [enquiry for enquiry in found if enquiry is not None]


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
    for message in receipts_of(session, enquiry.id):
        message.to_email = ""
        message.body = ERASED_BODY
        if message.status == OutboxStatus.PENDING:
            message.status = OutboxStatus.FAILED
            message.last_error = "Not sent: the learner withdrew the enquiry."
    session.commit()
