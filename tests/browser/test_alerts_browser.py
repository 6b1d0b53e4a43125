"""A learner on a phone asks to hear about new batches of a search, confirms, gets a digest when a
matching batch is published, and unsubscribes from the digest's link."""

from __future__ import annotations

import re
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from sqlalchemy import select

from catalog.models import Alert, Mode, OutboxMessage, Schedule
from catalog.services import alerts as service
from catalog.services.batches import BatchChanges, apply_batch
from catalog.timeutil import local_today
from tests.builders import make_course
from tests.chromium import BROWSER_TEST

pytestmark = BROWSER_TEST

LINK_RE = r"(https?://\S+{path}\S+)"


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport={"width": 360, "height": 780})
    page = context.new_page()
    yield page
    context.close()


def link_in_outbox(db, kind: str, path: str) -> str:
    """The path of the first link to ``path`` in the newest outbox message of ``kind``."""
    db.session.expire_all()
    message = db.session.scalar(
        select(OutboxMessage).where(OutboxMessage.kind == kind).order_by(OutboxMessage.id.desc())
    )
    assert message is not None, f"no {kind} message in the outbox"
    return urlsplit(re.search(LINK_RE.format(path=re.escape(path)), message.body).group(1)).path


def test_learner_subscribes_confirms_gets_a_digest_and_unsubscribes(live_server, phone, db, app):
    course = make_course(title="Kubeflow Pipelines")
    phone.goto(live_server + "/courses?q=kubeflow")
    phone.get_by_label("Your email").fill("asha@example.in")
    phone.get_by_role("button", name="Email me").click()
    phone.wait_for_url("**/alerts/sent")
    assert phone.get_by_role("heading", name="Check your email").is_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360

    phone.goto(live_server + link_in_outbox(db, service.CONFIRMATION_KIND, "/alerts/confirm/"))
    assert phone.get_by_role("heading", name="Your alert is on").is_visible()

    changes = BatchChanges(local_today() + timedelta(days=30), Schedule.WEEKEND, Mode.ONLINE, 25)
    apply_batch(db.session, None, course, changes)
    result = app.test_cli_runner().invoke(args=["send-alerts"])
    assert "Queued 1 alert digest(s)" in result.output

    phone.goto(live_server + link_in_outbox(db, service.DIGEST_KIND, "/alerts/unsubscribe/"))
    phone.get_by_role("button", name="Unsubscribe").click()
    assert phone.get_by_role("heading", name="You are unsubscribed").is_visible()
    db.session.expire_all()
    assert db.session.scalar(select(Alert)).unsubscribed_at is not None
