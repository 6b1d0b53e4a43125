"""Alerts about new batches: subscribe (double opt-in), confirm, unsubscribe, and the daily digest.

Nothing but the confirmation email goes to an address before it confirms. A repeat subscribe for
the same address and criteria changes nothing visible (it sends the confirmation again while
the alert waits for one), so the answer never tells a stranger whether an address is known.

Every link of an alert is ``<alert id>.<signature>``, an HMAC of the purpose and the alert's
``link_nonce`` under the app's ``SECRET_KEY``: each digest can carry the unsubscribe link
without any link being stored, the database alone cannot forge one, and a subscribe after an
unsubscribe draws a fresh nonce, so links of the earlier subscription stop working.

:func:`send_digests` finds what is new since each alert's last digest (or its confirmation) in
the audit log, which every write service fills in the transaction of its change: batches added
(``create`` of a ``Batch``) and courses that became published. Which courses an alert matches
is asked of the course search itself (``catalog.search``), as the learner's page would.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from flask import current_app
from sqlalchemy import or_, select
from sqlalchemy.orm import Session, selectinload
from werkzeug.datastructures import MultiDict

from catalog.alert_emails import AlertLinks, DigestItem, alert_confirmation, alert_digest
from catalog.emails import site_url
from catalog.models import Alert, AlertKind, AuditEntry, Batch, Course, CourseStatus
from catalog.models.base import utcnow
from catalog.models.contacts import parse_email
from catalog.queries.vocabulary import redirected_slug, topic_by_slug
from catalog.search import SearchParams, matching_course_ids
from catalog.search.facets import FACETS
from catalog.services.errors import DomainError
from catalog.services.outbox import queue_email
from catalog.services.transactions import one_write
from catalog.timeutil import local_today
from catalog.tokens import new_token

CONFIRM, UNSUBSCRIBE, MANAGE = "confirm", "unsubscribe", "manage"
CONFIRMATION_KIND, DIGEST_KIND = "alert-confirm", "alert-digest"
#: The shortest gap between two digests of one alert. A little under a day, so a daily cron
#: that starts a few seconds earlier than the day before still sends: never two in one day.
DIGEST_INTERVAL = timedelta(hours=23)


@dataclass(frozen=True)
class AlertRequest:
    """A subscribe: the typed address, and what to follow (``{"args": {...}}`` of a search,
    ``{"topic": slug}`` or ``{"course": id}``)."""

    email: str
    kind: AlertKind
    criteria: Mapping[str, Any]


def search_criteria(args: MultiDict) -> dict[str, Any]:
    """The stored criteria of a search: its normalised arguments, without page or sort."""
    return {"args": SearchParams.from_args(args).to_args(page=1, sort="")}


def criteria_key(kind: AlertKind, criteria: Mapping[str, Any]) -> str:
    """The SHA-256 of the kind and criteria in canonical JSON (one alert per address and key)."""
    canonical = json.dumps({"kind": kind.value, **criteria}, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def link_token(alert: Alert, purpose: str) -> str:
    """The token of ``alert``'s link for ``purpose`` (confirm, unsubscribe, manage)."""
    message = f"alert:{purpose}:{alert.id}:{alert.link_nonce}".encode()
    digest = hmac.new(current_app.secret_key.encode(), message, hashlib.sha256).digest()
    return f"{alert.id}.{base64.urlsafe_b64encode(digest[:24]).decode()}"


def alert_for_token(session: Session, token: str, purpose: str) -> Alert | None:
    """The alert whose ``purpose`` link ``token`` is (None for a tampered or unknown one)."""
    alert_id, _, _signature = token.partition(".")
    if not alert_id.isdigit() or len(alert_id) > 18:
        return None
    alert = session.get(Alert, int(alert_id))
    if alert is None or not hmac.compare_digest(link_token(alert, purpose), token):
        return None
    return alert


def alerts_of_address(session: Session, email: str) -> list[Alert]:
    """Every alert of an address, newest first (for its private page)."""
    return list(session.scalars(select(Alert).where(Alert.email == email).order_by(Alert.id.desc())))


def alert_links(alert: Alert) -> AlertLinks:
    """The absolute links of ``alert``, on ``SITE_URL``."""
    return AlertLinks(
        confirm=site_url("public.alert_confirm", token=link_token(alert, CONFIRM)),
        unsubscribe=site_url("public.alert_unsubscribe", token=link_token(alert, UNSUBSCRIBE)),
        manage=site_url("public.alert_list", token=link_token(alert, MANAGE)),
    )


def unsubscribe_headers(links: AlertLinks) -> dict[str, str]:
    """RFC 2369 and RFC 8058 headers: mail clients offer one-click unsubscribe with a POST."""
    return {
        "List-Unsubscribe": f"<{links.unsubscribe}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }


def describe(session: Session, alert: Alert) -> str:
    """What ``alert`` follows, in words: "courses on the topic MLflow", "new batches of …"."""
    if alert.kind == AlertKind.COURSE:
        course = session.get(Course, alert.criteria.get("course"))
        return f"new batches of “{course.title}”" if course else "a course that is no longer listed"
    if alert.kind == AlertKind.TOPIC:
        topic = topic_by_slug(session, alert.criteria.get("topic", ""))
        return f"courses on the topic {topic.name}" if topic else "a topic that is no longer listed"
    params = SearchParams.from_args(MultiDict(alert.criteria.get("args", {})))
    labels = {facet.name: facet.label for facet in FACETS}
    parts = [f"“{params.q}”"] if params.q else []
    parts += [f"{labels[name]}: {', '.join(values)}" for name, values in params.filters.items()]
    return "courses matching " + ("; ".join(parts) if parts else "any search")


def follow_url(session: Session, alert: Alert) -> str:
    """Where on the site the alert's matches are: the search, the topic or the course page."""
    if alert.kind == AlertKind.COURSE:
        slug = session.scalar(select(Course.slug).where(Course.id == alert.criteria.get("course")))
        return site_url("public.course_detail", slug=slug) if slug else site_url("public.course_search")
    if alert.kind == AlertKind.TOPIC:
        return site_url("public.topic_detail", slug=alert.criteria.get("topic", ""))
    return site_url("public.course_search", **alert.criteria.get("args", {}))


def _check_criteria(session: Session, request: AlertRequest) -> None:
    if request.kind == AlertKind.TOPIC and topic_by_slug(session, request.criteria.get("topic", "")) is None:
        raise DomainError("alert-unknown-criteria")
    if request.kind == AlertKind.COURSE:
        course_id = request.criteria.get("course")
        course = session.get(Course, course_id) if isinstance(course_id, int) else None
        if course is None or course.status != CourseStatus.PUBLISHED:
            raise DomainError("alert-unknown-criteria")


def subscribe(session: Session, request: AlertRequest) -> None:
    """Queue the confirmation of an alert (creating it unless the address has it already).

    Refused with ``email-invalid`` (field ``email``) or ``alert-unknown-criteria``. An alert
    already confirmed is left as it is and nothing is queued; one awaiting confirmation gets the
    same link again; one unsubscribed starts over with fresh links.
    """
    email = parse_email(request.email)
    if email is None:
        raise DomainError("email-invalid", field="email")
    _check_criteria(session, request)
    key = criteria_key(request.kind, request.criteria)
    with one_write(session):
        alert = session.scalar(select(Alert).where(Alert.email == email, Alert.criteria_key == key))
        if alert is not None and alert.is_active:
            return
        if alert is None:
            alert = Alert(email=email, kind=request.kind, criteria=dict(request.criteria), criteria_key=key)
            alert.link_nonce = new_token()
            session.add(alert)
        elif alert.unsubscribed_at is not None:
            alert.link_nonce = new_token()
            alert.confirmed_at = alert.unsubscribed_at = alert.last_sent_at = None
        session.flush()
        links = alert_links(alert)
        queue_email(
            session,
            CONFIRMATION_KIND,
            email,
            alert_confirmation(describe(session, alert), links),
            headers=unsubscribe_headers(links),
        )


def confirm(session: Session, alert: Alert, now: datetime | None = None) -> bool:
    """Start ``alert`` (idempotent); False when it was unsubscribed meanwhile (it stays stopped)."""
    if alert.unsubscribed_at is not None:
        return False
    if alert.confirmed_at is None:
        with one_write(session):
            alert.confirmed_at = now or utcnow()
    return True


def unsubscribe(session: Session, alert: Alert, now: datetime | None = None) -> None:
    """Stop ``alert`` for good (idempotent: a second click changes nothing)."""
    if alert.unsubscribed_at is None:
        with one_write(session):
            alert.unsubscribed_at = now or utcnow()


@dataclass(frozen=True)
class _News:
    """What became new in the window: batch ids and published course ids, each with its time."""

    batches: list[tuple[int, datetime]]
    courses: list[tuple[int, datetime]]


def _news_since(session: Session, since: datetime, now: datetime) -> _News:
    entries = session.execute(
        select(
            AuditEntry.record_type,
            AuditEntry.record_id,
            AuditEntry.action,
            AuditEntry.changes,
            AuditEntry.created_at,
        )
        .where(
            AuditEntry.record_type.in_(("Batch", "Course")),
            AuditEntry.created_at > since,
            AuditEntry.created_at <= now,
        )
        .order_by(AuditEntry.id)
    )
    batches, courses = [], []
    for record_type, record_id, action, changes, created_at in entries:
        if record_id is None:
            continue
        if record_type == "Batch" and action == "create":
            batches.append((record_id, created_at))
        status = (changes or {}).get("status")
        # A course counts once, when it became published (not at each later edit).
        published = isinstance(status, list) and status[-1:] == ["published"] and status[0] != "published"
        if record_type == "Course" and published:
            courses.append((record_id, created_at))
    return _News(batches, courses)


def followed_course_ids(session: Session, alert: Alert, today: date) -> set[int]:
    """The public courses ``alert`` follows, as the course search finds them now."""
    if alert.kind == AlertKind.COURSE:
        course_id = alert.criteria.get("course")
        visible = session.scalar(select(Course.id).where(Course.id == course_id, Course.public_condition()))
        return {visible} if visible is not None else set()
    if alert.kind == AlertKind.TOPIC:
        params = SearchParams(filters={"topic": (alert.criteria.get("topic", ""),)})
    else:
        params = SearchParams.from_args(MultiDict(alert.criteria.get("args", {})))
    moved = params.with_moved_slugs(lambda kind, slug: redirected_slug(session, kind, slug))
    # Corrected as the search page corrects it, so the alert finds what its page showed.
    return matching_course_ids(session, moved, today, correct=True)


def send_digests(session: Session, now: datetime | None = None) -> int:
    """Queue one digest for each confirmed alert due one (none within ``DIGEST_INTERVAL`` of the
    last) that has new matching batches or courses since its last digest; commits; returns how
    many were queued. Running it twice queues nothing more."""
    now = now or utcnow()
    today = local_today()
    due = list(
        session.scalars(
            select(Alert)
            .where(
                Alert.confirmed_at.is_not(None),
                Alert.unsubscribed_at.is_(None),
                or_(Alert.last_sent_at.is_(None), Alert.last_sent_at <= now - DIGEST_INTERVAL),
            )
            .order_by(Alert.id)
        )
    )
    if not due:
        return 0
    news = _news_since(session, min(alert.last_sent_at or alert.confirmed_at for alert in due), now)
    batches = {
        batch.id: batch
        for batch in session.scalars(
            select(Batch)
            .where(Batch.id.in_([batch_id for batch_id, _ in news.batches]), Batch.scheduled_condition(today))
            .options(selectinload(Batch.course).selectinload(Course.institute))
        )
    }
    courses = {
        course.id: course
        for course in session.scalars(
            select(Course)
            .where(Course.id.in_([course_id for course_id, _ in news.courses]), Course.public_condition())
            .options(selectinload(Course.institute))
        )
    }
    matches: dict[str, set[int]] = {}
    queued = 0
    with one_write(session):
        for alert in due:
            since = alert.last_sent_at or alert.confirmed_at
            new_batches = [batches[i] for i, at in news.batches if at > since and i in batches]
            new_courses = {i for i, at in news.courses if at > since and i in courses}
            if not new_batches and not new_courses:
                continue
            if alert.criteria_key not in matches:
                matches[alert.criteria_key] = followed_course_ids(session, alert, today)
            items = _digest_items(matches[alert.criteria_key], new_batches, new_courses, courses)
            if not items:
                continue
            links = alert_links(alert)
            email = alert_digest(describe(session, alert), items, links, follow_url(session, alert))
            queue_email(session, DIGEST_KIND, alert.email, email, headers=unsubscribe_headers(links))
            alert.last_sent_at = now
            queued += 1
    return queued


def _digest_items(
    matched: set[int], new_batches: list[Batch], new_courses: set[int], courses: dict[int, Course]
) -> list[DigestItem]:
    by_course: dict[int, list[Batch]] = {}
    for batch in new_batches:
        if batch.course_id in matched:
            by_course.setdefault(batch.course_id, []).append(batch)
    items = [
        DigestItem(courses[course_id], True, tuple(by_course.pop(course_id, ())))
        for course_id in sorted(new_courses & matched)
    ]
    items += [
        DigestItem(course_batches[0].course, False, tuple(course_batches))
        for course_batches in by_course.values()
    ]
    return items
