"""The course search and a course's own page."""

from __future__ import annotations

from flask import abort, make_response, redirect, render_template, request, url_for

from catalog.extensions import db
from catalog.public.blueprint import bp
from catalog.public.forms import SearchForm
from catalog.public.presenters import AS_TYPED, present
from catalog.queries import courses, vocabulary
from catalog.search import SearchParams, catalog_counts, search_courses
from catalog.timeutil import local_today

COURSE_NOT_FOUND = "No published course has that address. It may have been archived."


#: How many of the most popular topics a search that found nothing offers.
POPULAR_TOPICS = 6


@bp.get("/courses")
def course_search():
    """The course search: text, facets, sort, page, all held in the URL.

    Live search (htmx) asks for the same URL with an ``HX-Request`` header and gets only the
    parts that change: the results, their heading and the facets.
    """
    today = local_today()
    params = SearchParams.from_args(request.args)
    moved = params.with_moved_slugs(lambda kind, slug: vocabulary.redirected_slug(db.session, kind, slug))
    if moved is not params:
        # A renamed or merged term's old slug: the search has a new address, permanently.
        return redirect(url_for("public.course_search", **moved.to_args()), 301)
    result = search_courses(db.session, params, today=today, correct=request.args.get(AS_TYPED) != "1")
    popular = []
    if not result.total:
        topics = catalog_counts(db.session, today).topics
        popular = [topic for topic in topics if topic.count][:POPULAR_TOPICS]
    # A history restore wants the whole page, even though htmx marks it as one of its requests.
    restoring = "HX-History-Restore-Request" in request.headers
    partial = request.headers.get("HX-Request") == "true" and not restoring
    response = make_response(
        render_template(
            "public/_search_update.html" if partial else "public/course_search.html",
            form=SearchForm(),
            result=present(db.session, result, today),
            popular_topics=popular,
        )
    )
    response.vary.add("HX-Request")
    return response


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
