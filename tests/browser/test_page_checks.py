"""Every page type on the seed catalog passes the page checks: no axe-core WCAG 2.2 AA
violations, no Nu Html Checker errors, no sideways scroll at 360, 768 and 1280 px, and under
150 KB transferred before images.

The checks run on SQLite only: the markup does not depend on the database backend, and one
seeded catalog serves every page. axe, the page weight (as a first visit, nothing cached) and
the HTML are taken at 360 px, where learners are; the scroll check at every width. Java starts
once, for all the pages' HTML together, while the browser goes on. A page "with errors" must
show its error summary.

To check a new page, add one line to ``PAGES`` (``{course}``-style places are filled from the
seed by ``places``). One test gathers every page, so under pytest-xdist one worker seeds once.
"""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from catalog.data.seeding import seed_catalog
from catalog.models import Alert, AlertKind, Course, Event, Role
from catalog.search import SearchParams, search_courses
from catalog.services import alerts
from tests.builders import TEST_PASSWORD, make_enquiry, make_user
from tests.chromium import BROWSER_TEST
from tests.pagechecks import (
    MAX_TRANSFER_BYTES,
    WIDTHS,
    PageReport,
    PageVisit,
    axe_violations,
    disable_cache,
    nu_checker_missing,
    nu_html_errors,
    open_page,
    sideways_overflow,
    start_nu_checker,
    transferred_bytes,
)

pytestmark = BROWSER_TEST

#: The forms the table submits: a learner's (enquiry, report), a staff one, the shortlist button.
LEARNER_FORM = "main form.enquiry-form"
STAFF_FORM = "main form.stacked-form"
SHORTLIST_ADD = "form[action$='/shortlist/add']"
ANSWERS = {"#name": "Asha Rao", "#email": "asha@example.in", "#phone": "98765 43210", "#consent": True}
NO_TITLE = {"#title": ""}
COURSE_EDIT = "/portal/courses/{course_id}/edit"
ALERT_FORM = "main form.alert-form"
ALERT_ANSWER = {"#alert-email": "asha@example.in"}
SHORTLIST_ENQUIRE = "/shortlist/enquire?course={course_id}&course={other_course_id}"

#: One line per page type: what it is called, how to reach it, who is signed in.
PAGES = [
    PageVisit("home", "/"),
    PageVisit("search with results", "/courses?q=kubernetes"),
    PageVisit("search with filters ticked", "/courses?q=mlops&mode=online&level=beginner"),
    PageVisit("search with no results", "/courses?q=zzqxwv"),
    PageVisit("search page 2", "/courses?page=2"),
    PageVisit("course page", "/courses/{course}"),
    PageVisit("institute list", "/institutes"),
    PageVisit("institute page", "/institutes/{institute}"),
    PageVisit("topic", "/topics/{topic}"),
    PageVisit("event list", "/events"),
    PageVisit("event page", "/events/{event}"),
    PageVisit("compare", "/compare?c={course}&c={other_course}"),
    PageVisit("shortlist empty", "/shortlist"),
    PageVisit("shortlist with courses", "/courses/{course}", submit=SHORTLIST_ADD, then="/shortlist"),
    PageVisit("about", "/about"),
    PageVisit("contact", "/contact"),
    PageVisit("privacy", "/privacy"),
    PageVisit("report form with errors", "/courses/{course}/report", submit=LEARNER_FORM, status=400),
    PageVisit("enquiry form", "/courses/{course}/enquire"),
    PageVisit("enquiry form with errors", "/courses/{course}/enquire", submit=LEARNER_FORM, status=400),
    PageVisit("enquiry confirmation", "/courses/{course}/enquire", submit=LEARNER_FORM, fill=ANSWERS),
    PageVisit("enquiry tracking", "/enquiries/{enquiry}?token=page-check-token"),
    PageVisit("sign-in", "/portal/login"),
    PageVisit("sign-in with errors", "/portal/login", submit=STAFF_FORM),
    PageVisit("not found", "/courses/no-such-course", status=404),
    PageVisit("portal dashboard", "/portal/", who="staff"),
    PageVisit("course edit form", COURSE_EDIT, who="staff"),
    PageVisit("course edit form with errors", COURSE_EDIT, "staff", STAFF_FORM, NO_TITLE),
    PageVisit("admin dashboard", "/admin/", who="admin"),
    PageVisit("admin institute list", "/admin/institutes", who="admin"),
    PageVisit("admin new user with errors", "/admin/users/new", "admin", STAFF_FORM, status=400),
    PageVisit("insights and map", "/insights"),
    PageVisit("alert form with errors", "/courses?q=kubernetes", submit=ALERT_FORM, status=400),
    PageVisit("alert check your email", "/topics/{topic}", submit=ALERT_FORM, fill=ALERT_ANSWER),
    PageVisit("alert confirmed", "/alerts/confirm/{alert_confirm}"),
    PageVisit("alert list", "/alerts/{alert_manage}"),
    PageVisit("alert unsubscribe", "/alerts/unsubscribe/{alert_unsubscribe}"),
    PageVisit("shortlist enquiry form", SHORTLIST_ENQUIRE),
    PageVisit("shortlist enquiry with errors", SHORTLIST_ENQUIRE, submit=LEARNER_FORM, status=400),
]  # fmt: skip

ALERT_LINKS = (alerts.CONFIRM, alerts.MANAGE, alerts.UNSUBSCRIBE)

#: Who signs in for a page: the seed has no accounts, so the test adds these.
ACCOUNTS = {"staff": "staff@example.in", "admin": "admin@example.in"}


def places(db) -> dict[str, str]:
    """The seed's records the page table's paths name, and the accounts it signs in with."""
    hits = search_courses(db.session, SearchParams()).hits
    course = db.session.get(Course, hits[0].course_id)
    event = db.session.scalars(select(Event).order_by(Event.id)).first()
    make_user(course.institute, email=ACCOUNTS["staff"])
    make_user(None, role=Role.ADMIN, email=ACCOUNTS["admin"])
    enquiry = make_enquiry(course, token="page-check-token")
    db.session.commit()
    alerts.subscribe(
        db.session, alerts.AlertRequest("ravi@example.in", AlertKind.COURSE, {"course": course.id})
    )
    alert = db.session.scalars(select(Alert)).one()
    return {
        "course": course.slug,
        "course_id": str(course.id),
        "other_course": hits[1].slug,
        "other_course_id": str(hits[1].course_id),
        **{f"alert_{purpose}": alerts.link_token(alert, purpose) for purpose in ALERT_LINKS},
        "institute": course.institute.slug,
        "topic": course.topics[0].slug,
        "event": event.slug,
        "enquiry": enquiry.reference,
    }


def sign_in(page, base_url: str, who: str) -> None:
    """Sign ``who`` in through the sign-in form (visitors stay signed out)."""
    if who not in ACCOUNTS:
        return
    page.goto(base_url + "/portal/login")
    page.fill("#email", ACCOUNTS[who])
    page.fill("#password", TEST_PASSWORD)
    with page.expect_navigation():
        page.locator("main form [type=submit]").click()


def check_every_page(
    browser, base_url: str, where: dict[str, str], width: int, full: bool
) -> list[PageReport]:
    """Visit every page of ``PAGES`` at ``width``, a browser context per account. ``full`` also
    runs axe, weighs each page as a first visit would (no cache) and keeps its HTML."""
    reports = []
    for who in dict.fromkeys(visit.who for visit in PAGES):
        context = browser.new_context(viewport={"width": width, "height": 800})
        page = context.new_page()
        if full:
            disable_cache(context)
        sign_in(page, base_url, who)
        for visit in (visit for visit in PAGES if visit.who == who):
            response, requests = open_page(page, base_url, visit, where)
            report = PageReport(visit.name, width, page.url, response.status if response else 0)
            report.overflow = sideways_overflow(page)
            report.has_error_summary = page.locator(".error-summary").count() > 0
            if full:
                report.violations = axe_violations(page)
                report.html = response.body() if response else b""
                report.transferred = transferred_bytes(requests)
            reports.append(report)
        context.close()
    return reports


def problems_in(report: PageReport) -> list[str]:
    """What is wrong with one page at one width, each saying which page and where."""
    visit = next(visit for visit in PAGES if visit.name == report.name)
    where = f"{report.name} at {report.width}px ({report.url})"
    problems = [f"{where}: axe {message}" for message in report.violations]
    if report.status != visit.status:
        problems.append(f"{where}: status {report.status}, expected {visit.status}")
    if "with errors" in visit.name and not report.has_error_summary:
        problems.append(f"{where}: no error summary")
    if report.overflow:
        problems.append(f"{where}: scrolls sideways by {report.overflow}px")
    if report.transferred >= MAX_TRANSFER_BYTES:
        problems.append(f"{where}: {report.transferred // 1024} KB transferred before images")
    return problems


def test_every_page_type_passes_the_page_checks(app, live_server, browser, db, backend_name, tmp_path):
    if backend_name != "sqlite":
        pytest.skip("the page checks run on SQLite only: the markup does not depend on the backend")
    # The table sends many forms from one address within a minute, at each width.
    app.config.update({key: "1000 per minute" for key in app.config if "_LIMITS_" in key})
    seed_catalog(db.session, app.config["DATA_DIR"])
    where = places(db)

    # axe, page weight and HTML at the phone width, where learners are; then the other widths'
    # scroll checks while Java reads the HTML.
    reports = check_every_page(browser, live_server, where, WIDTHS[0], full=True)
    missing = nu_checker_missing()
    checker = None
    if missing is None:
        files = [tmp_path / f"{re.sub(r'[^a-z0-9]+', '-', report.name)}.html" for report in reports]
        for file, report in zip(files, reports, strict=True):
            file.write_bytes(report.html)
        checker = start_nu_checker(files)
    for width in WIDTHS[1:]:
        reports += check_every_page(browser, live_server, where, width, full=False)

    problems = [problem for report in reports for problem in problems_in(report)]
    if checker is not None:
        problems += [f"Nu Html Checker: {message}" for message in nu_html_errors(checker)]
    assert not problems, "\n".join(problems)
    if missing:
        pytest.skip(f"Nu Html Checker not run: {missing}")
