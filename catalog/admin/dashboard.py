"""The admin area's front page: how honest the catalog's data is today, figure by figure.

Each figure links to the list of records behind it: courses (:func:`dashboard_courses`, a page
of this module), institutes (the staleness report's institute list) or failed outbox messages.
"""

from __future__ import annotations

from flask import abort, current_app, render_template, request

from catalog.admin.blueprint import bp, nav_entry
from catalog.extensions import db
from catalog.queries.admin import COURSE_PROBLEMS, problem_courses_query, quality_figures
from catalog.search import page_number
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
    problem = request.args.get("problem", "")
    if problem not in COURSE_PROBLEMS:
        abort(404, description="There is no such list of courses; open one from the admin dashboard.")
    heading, _ = COURSE_PROBLEMS[problem]
    page = db.paginate(
        problem_courses_query(problem, local_today()),
        page=page_number(request.args.get("page")),
        per_page=PER_PAGE,
        error_out=False,
    )
    return render_template(
        "admin/course_list.html",
        heading=heading,
        problem=problem,
        problems=COURSE_PROBLEMS,
        page=page,
        args={"problem": problem},
    )


nav_entry("admin.dashboard", "Dashboard", 10)
