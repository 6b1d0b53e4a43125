"""The course search and a course's own page."""

from __future__ import annotations

from flask import abort, redirect, render_template, request, url_for

from catalog.extensions import db
from catalog.public.blueprint import bp
from catalog.public.forms import SearchForm
from catalog.public.presenters import present
from catalog.queries import courses, vocabulary
from catalog.search import SearchParams, search_courses
from catalog.timeutil import local_today

COURSE_NOT_FOUND = "No published course has that address. It may have been archived."


@bp.get("/courses")
def course_search():
    """The course search: text, facets, sort, page, all held in the URL."""
    today = local_today()
    params = SearchParams.from_args(request.args)
    moved = params.with_moved_slugs(lambda kind, slug: vocabulary.redirected_slug(db.session, kind, slug))
    if moved is not params:
        # A renamed or merged term's old slug: the search has a new address, permanently.
        return redirect(url_for("public.course_search", **moved.to_args()), 301)
    result = search_courses(db.session, params, today=today)
    return render_template(
        "public/course_search.html", form=SearchForm(), result=present(db.session, result, today)
    )


@bp.get("/courses/<slug>")
def course_detail(slug: str):
    """Everything about one published course."""
    course = courses.published_course(db.session, slug)
    if course is None:
        abort(404, description=COURSE_NOT_FOUND)
    return render_template(
        "public/course_detail.html",
        course=course,
        today=local_today(),
        related=courses.related_courses(db.session, course, limit=4),
    )
