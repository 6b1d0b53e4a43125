"""Screenshots of the home, search and course pages at 360 and 1280 px, for the README.

Seeds a throw-away SQLite catalog from data/, serves it on a free loopback port and drives
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
from catalog.models import Batch, Course, CourseStatus  # noqa: E402
from tests.chromium import launch  # noqa: E402

OUT = ROOT / "docs" / "screenshots"
SEARCH = "/courses?q=kubernetes&mode=classroom&mode=hybrid&format=bootcamp"


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


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder}/catalog.sqlite3"})
        with app.app_context():
            upgrade()
            seed_catalog(db.session, ROOT / "data")
            course = richest_course_slug()
        server = make_server("127.0.0.1", 0, app, threaded=True)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        base = f"http://127.0.0.1:{server.server_port}"
        pages = {"home": "/", "search": SEARCH, "course": f"/courses/{course}"}
        OUT.mkdir(parents=True, exist_ok=True)
        with sync_playwright() as playwright:
            browser = launch(playwright)
            for width in (360, 1280):
                context = browser.new_context(viewport={"width": width, "height": 900})
                page = context.new_page()
                for name, path in pages.items():
                    page.goto(base + path)
                    target = OUT / f"{name}-{width}.png"
                    page.screenshot(path=str(target), full_page=True)
                    print(f"{target.relative_to(ROOT)}  {base + path}")
                context.close()
            browser.close()
        server.shutdown()


if __name__ == "__main__":
    main()
