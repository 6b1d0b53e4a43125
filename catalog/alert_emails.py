"""The words of the alert emails: the confirmation of a new alert and the daily digest.

Like :mod:`catalog.emails` (whose footer and ``SITE_URL`` links they share), these compose only;
``services.alerts`` decides when one is queued and gives it the ``List-Unsubscribe`` headers.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from flask import render_template

from catalog.emails import SITE_NAME, SUBJECT_MAX, Email, site_url
from catalog.models import Batch, Course


@dataclass(frozen=True)
class AlertLinks:
    """The absolute links an alert email carries."""

    confirm: str
    unsubscribe: str
    manage: str


@dataclass(frozen=True)
class DigestItem:
    """One course of a digest: new to the alert's matches (``new_course``), and/or with new batches."""

    course: Course
    new_course: bool
    batches: Sequence[Batch] = field(default_factory=tuple)


def _email(subject: str, template: str, **context) -> Email:
    body = render_template(template, site_name=SITE_NAME, **context)
    footer = render_template("email/footer.txt", site_name=SITE_NAME, privacy_url=site_url("public.privacy"))
    return Email(" ".join(subject.split())[:SUBJECT_MAX], body + footer)


def alert_confirmation(following: str, links: AlertLinks) -> Email:
    """The double opt-in: nothing more is sent unless the address opens ``links.confirm``."""
    return _email(
        f"Confirm your alert: {following}",
        "email/alerts/confirm.txt",
        following=following,
        links=links,
    )


def alert_digest(following: str, items: Sequence[DigestItem], links: AlertLinks, follow_url: str) -> Email:
    """The daily digest of the new batches and courses matching an alert."""
    batches = sum(len(item.batches) for item in items)
    courses = sum(1 for item in items if item.new_course)
    news = []
    if courses:
        news.append(f"{courses} new {'course' if courses == 1 else 'courses'}")
    if batches:
        news.append(f"{batches} new {'batch' if batches == 1 else 'batches'}")
    return _email(
        f"{' and '.join(news).capitalize()}: {following}",
        "email/alerts/digest.txt",
        following=following,
        items=items,
        links=links,
        follow_url=follow_url,
        course_url=lambda course: site_url("public.course_detail", slug=course.slug),
    )
