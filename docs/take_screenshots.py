"""Screenshots of the public pages and the admin area at 360 and 1280 px, for the README.

Seeds a throw-away SQLite catalog from data/, adds an admin account and a held edit of a
published listing (for the moderation diff), serves it on a free loopback port and drives
Debian's headless Chromium through Playwright. Run with ``make screenshots``.
"""

from __future__ import annotations

import sys
import tempfile
import threading
from pathlib import Path

from flask_migrate import upgrade
from playwright.sync_api import sync_playwright
from sqlalchemy import func, select
from werkzeug.serving import make_server

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from catalog import create_app  # noqa: E402
from catalog.data.seeding import seed_catalog  # noqa: E402
from catalog.extensions import db  # noqa: E402
from catalog.models import Batch, Course, CourseStatus, Event, Role  # noqa: E402
from catalog.services.admin_accounts import create_user  # noqa: E402
from catalog.services.courses import apply_course  # noqa: E402
from tests.chromium import launch  # noqa: E402
from tests.helpers import changes_of_course  # noqa: E402

OUT = ROOT / "docs" / "screenshots"
SEARCH = "/courses?q=kubernetes&mode=classroom&mode=hybrid&format=bootcamp"
ADMIN_EMAIL, ADMIN_PASSWORD = "screenshots@example.org", "a long screenshot passphrase"


def richest_course_slug() -> str:
    """The published course with the most batches: the fullest course page to show."""
    batches = func.count(Batch.id)
    return db.session.scalar(
        select(Course.slug)
        .join(Batch)
        .where(Course.status == CourseStatus.PUBLISHED, Course.placement_rate.is_not(None))
        .group_by(Course.id)
        .order_by(batches.desc(), Course.slug)
        .limit(1)
    )


def two_other_courses(slug: str) -> list[str]:
    """Two more published courses with batches, to shortlist and compare beside ``slug``."""
    return list(
        db.session.scalars(
            select(Course.slug)
            .join(Batch)
            .where(Course.status == CourseStatus.PUBLISHED, Course.slug != slug)
            .group_by(Course.id)
            .order_by(func.count(Batch.id).desc(), Course.slug)
            .limit(2)
        )
    )


def shortlist(page, base: str, slugs: list[str]) -> None:
    """Add the courses to this browser's shortlist, as a learner would, from their pages."""
    for slug in slugs:
        page.goto(f"{base}/courses/{slug}")
        page.get_by_role("button", name="Add to shortlist").first.click()
        page.wait_for_load_state()


def hold_an_edit(slug: str) -> int:
    """Save a published listing with a placement promise, so its edit waits in moderation."""
    course = db.session.scalar(select(Course).where(Course.slug == slug))
    changes = changes_of_course(
        course,
        summary=course.summary + " 100% placement assured.",
        fee_inr=course.fee_inr + 5000,
    )
    apply_course(db.session, None, course.institute, changes, course)
    return course.id


def admin_pages(course_id: int) -> dict[str, str]:
    return {
        "admin-dashboard": "/admin/",
        "admin-moderation": f"/admin/moderation/courses/{course_id}",
        "admin-records": "/admin/records?q=kubernetes",
        "admin-import": "/admin/import",
    }


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder}/catalog.sqlite3"})
        with app.app_context():
            upgrade()
            seed_catalog(db.session, ROOT / "data")
            course = richest_course_slug()
            compared = [course, *two_other_courses(course)]
            event = db.session.scalar(select(Event.slug).order_by(Event.starts_at.desc()).limit(1))
            held = hold_an_edit(course)
            create_user(db.session, ADMIN_EMAIL, ADMIN_PASSWORD, Role.ADMIN)
        server = make_server("127.0.0.1", 0, app, threaded=True)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        base = f"http://127.0.0.1:{server.server_port}"
        pages = {
            "home": "/",
            "search": SEARCH,
            "course": f"/courses/{course}",
            "event": f"/events/{event}",
            "compare": "/compare?" + "&".join(f"c={slug}" for slug in compared),
            "insights": "/insights",
        }
        OUT.mkdir(parents=True, exist_ok=True)
        with sync_playwright() as playwright:
            browser = launch(playwright)
            for width in (360, 1280):
                context = browser.new_context(viewport={"width": width, "height": 900})
                page = context.new_page()
                shoot(page, base, pages, width)
                shortlist(page, base, compared)
                shoot(page, base, {"shortlist": "/shortlist"}, width)
                page.goto(base + "/portal/login")
                page.get_by_label("Email").fill(ADMIN_EMAIL)
                page.get_by_label("Password").fill(ADMIN_PASSWORD)
                page.get_by_role("button", name="Sign in").click()
                page.wait_for_load_state()
                shoot(page, base, admin_pages(held), width)
                context.close()
            browser.close()
        server.shutdown()


def shoot(page, base: str, pages: dict[str, str], width: int) -> None:
    for name, path in pages.items():
        page.goto(base + path)
        target = OUT / f"{name}-{width}.png"
        page.screenshot(path=str(target), full_page=True)
        print(f"{target.relative_to(ROOT)}  {base + path}")


if __name__ == "__main__":
    main()
