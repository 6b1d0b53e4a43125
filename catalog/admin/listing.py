"""The steps every admin list page shares: one page of a query, and a list by problem."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date

from flask import abort, render_template, request
from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import Select

from catalog.extensions import db
from catalog.search import page_number
from catalog.timeutil import local_today


def list_page(query: Select, per_page: int) -> Pagination:
    """The page of ``query`` the ``?page=`` argument asks for (an empty page past the end)."""
    return db.paginate(query, page=page_number(request.args.get("page")), per_page=per_page, error_out=False)


def problem_list(
    template: str,
    problems: Mapping[str, tuple[str, object]],
    problem: str,
    problem_query: Callable[[str, date], Select],
    what: str,
    per_page: int,
) -> str:
    """The list of ``what`` (courses, institutes) with one data-quality problem, rendered with
    ``template``; 404 for a problem the list does not know."""
    if problem not in problems:
        abort(404, description=f"There is no such list of {what}; open one from the admin dashboard.")
    heading, _ = problems[problem]
    return render_template(
        template,
        heading=heading,
        problem=problem,
        problems=problems,
        page=list_page(problem_query(problem, local_today()), per_page),
        args={"problem": problem},
    )
