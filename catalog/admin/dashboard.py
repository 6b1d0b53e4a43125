"""The admin area's front page: how honest the catalog's data is today, figure by figure.

Each figure links to the list of records behind it: courses (:func:`dashboard_courses`, a page
of this module), institutes (the staleness report's institute list) or failed outbox messages.
"""

from __future__ import annotations

from flask import current_app, render_template, request

from catalog.admin.blueprint import bp, nav_entry
from catalog.admin.listing import problem_list
from catalog.extensions import db
from catalog.queries.admin import COURSE_PROBLEMS, problem_courses_query, quality_figures
from catalog.timeutil import local_today

#: Rows of every admin list page.
PER_PAGE = 50


def endpoint_exists(endpoint: str) -> bool:
    """True when the application has a route named ``endpoint`` (pages built by other parts of
    the admin area are linked only once they exist)."""
    return endpoint in current_app.view_functions


@bp.get("/")
def dashboard():
    """The data-quality figures, each linked to its filtered list."""
    today = local_today()
    return render_template(
        "admin/dashboard.html",
        figures=quality_figures(db.session, today),
        course_problems=COURSE_PROBLEMS,
        outbox_link=endpoint_exists("admin.outbox"),
        today=today,
    )


@bp.get("/courses")
def dashboard_courses():
    """The course listings with one data-quality problem (``?problem=``), by title."""
    return problem_list(
        "admin/course_list.html",
        COURSE_PROBLEMS,
        request.args.get("problem", ""),
        problem_courses_query,
        "courses",
        PER_PAGE,
    )


nav_entry("admin.dashboard", "Dashboard", 10)
