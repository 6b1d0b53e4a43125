"""The words of every email the catalog sends: subject and body, composed from text templates.

Services decide *that* an email goes out and queue it in their transaction; this module decides
what it says. Links in emails are built from the ``SITE_URL`` setting alone, never from the
request's Host header, which a client controls.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from flask import current_app, render_template

from catalog.models import Batch, Course, Enquiry, Institute, User

SITE_NAME = "Hyderabad MLOps Courses"
#: Subjects are stored in a column of this length.
SUBJECT_MAX = 200


@dataclass(frozen=True)
class Email:
    """A composed email: what its subject line and its plain-text body say."""

    subject: str
    body: str


def site_url(endpoint: str, **values) -> str:
    """The absolute address of ``endpoint`` on the site named by the ``SITE_URL`` setting."""
    site = urlsplit(current_app.config["SITE_URL"])
    adapter = current_app.url_map.bind(site.netloc, script_name=site.path or "/", url_scheme=site.scheme)
    return adapter.build(endpoint, values, force_external=True)


def _email(subject: str, template: str, **context) -> Email:
    """An email from its body template, every one ending with the link to the privacy notice."""
    body = render_template(template, site_name=SITE_NAME, **context)
    footer = render_template("email/footer.txt", site_name=SITE_NAME, privacy_url=site_url("public.privacy"))
    # A subject is one header line: a line break typed into a name or title would stop delivery.
    return Email(" ".join(subject.split())[:SUBJECT_MAX], body + footer)


def enquiry_receipt(enquiry: Enquiry, course: Course, batch: Batch | None, token: str) -> Email:
    """The learner's receipt: the reference, what they asked, and their private tracking link."""
    return _email(
        f"Your enquiry {enquiry.reference} to {course.institute.name}",
        "enquiries/email/receipt.txt",
        enquiry=enquiry,
        course=course,
        institute=course.institute,
        batch=batch,
        tracking_url=site_url("enquiries.track", reference=enquiry.reference, token=token),
        course_url=site_url("public.course_detail", slug=course.slug),
    )


def enquiry_notice(enquiry: Enquiry, course: Course, batch: Batch | None) -> Email:
    """The institute's notice of a new enquiry, without the learner's details (they are in the inbox)."""
    return _email(
        f"New enquiry {enquiry.reference}: {course.title}",
        "enquiries/email/notice.txt",
        enquiry=enquiry,
        course=course,
        institute=course.institute,
        batch=batch,
        inbox_url=site_url("portal.inbox"),
    )


def _account_email(template: str, subject: str, **context) -> Email:
    """An email about an account or its institute, its body ``portal/auth/email/<template>.txt``;
    each may link to signing in, a forgotten password, registering and the portal."""
    return _email(
        subject,
        f"portal/auth/email/{template}.txt",
        login_url=site_url("portal.login"),
        forgot_url=site_url("portal.password_forgot"),
        register_url=site_url("portal.register"),
        portal_url=site_url("portal.dashboard"),
        **context,
    )


def password_reset(user: User, token: str, hours: int) -> Email:
    """A single-use link to choose a new password."""
    link = site_url("portal.password_reset", token=token)
    return _account_email(
        "password_reset", f"Reset your password: {SITE_NAME}", user=user, link=link, hours=hours
    )


def account_created(user: User, token: str, hours: int) -> Email:
    """A new account's welcome: a single-use link to choose its first password."""
    link = site_url("portal.password_reset", token=token)
    return _account_email(
        "account_created", f"Your account on {SITE_NAME}", user=user, link=link, hours=hours
    )


def password_reset_no_account(email: str) -> Email:
    """The answer to a reset asked for an address without an active account (so that both
    answers cost the same and neither page nor inbox tells a stranger which addresses exist)."""
    return _account_email("password_reset_no_account", f"Password reset on {SITE_NAME}", email=email)


def registration_email_taken(email: str) -> Email:
    """The account holder's news that someone tried to register with their address, and how to
    sign in or reset the password if it was them."""
    subject = f"Someone tried to register with your address on {SITE_NAME}"
    return _account_email("registration_email_taken", subject, email=email)


def registration_received(user: User, institute: Institute) -> Email:
    """The applicant's confirmation that their institute's sign-up awaits an admin."""
    subject = f"We have received the registration of {institute.name}"
    return _account_email("registration_received", subject, user=user, institute=institute)


def institute_news(user: User, institute: Institute, news: str, reason: str = "") -> Email:
    """A staff member's news that an admin changed their institute's status: ``news`` is
    ``approved`` (the portal is open), ``suspended`` (for the admins' ``reason``) or ``reinstated``."""
    subject = f"{institute.name} is {news}"
    return _account_email(f"institute_{news}", subject, user=user, institute=institute, reason=reason)


def staleness_reminder(course: Course) -> Email:
    """The institute's reminder that a course's syllabus is due for review, with the link to edit it."""
    return _email(
        f"Please review the syllabus of {course.title}",
        "admin/email/staleness_reminder.txt",
        course=course,
        institute=course.institute,
        edit_url=site_url("portal.course_edit", course_id=course.id),
        course_url=site_url("public.course_detail", slug=course.slug),
    )


def course_rejected(course: Course, reason: str) -> Email:
    """The institute's news that an admin sent a course listing back, with the admin's reason."""
    return _email(
        f"Your course “{course.title}” needs changes",
        "portal/courses/email_rejected.txt",
        course=course,
        institute=course.institute,
        reason=reason,
        edit_url=site_url("portal.course_edit", course_id=course.id),
    )
