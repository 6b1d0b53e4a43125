"""Public pages. Views parse input, call a service, render; the queries live in ``queries``."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, render_template, request

from catalog.extensions import db
from catalog.public import queries
from catalog.public.forms import EventFilterForm, InstituteFilterForm, SearchForm, as_choices
from catalog.search import SearchParams, search_courses
from catalog.timeutil import local_today

bp = Blueprint("public", __name__)

LANDSCAPE_SOURCE = (
    "“MLOps Training in Hyderabad: Bridging the Gap Between ML Development and Operations”, 2024"
)


@bp.get("/")
def home():
    """Search box, topics with counts, upcoming batches, institutes, landscape figures."""
    today = local_today()
    return render_template(
        "public/home.html",
        form=SearchForm(),
        topics=queries.topics_with_counts(db.session),
        batches=queries.upcoming_batches(db.session, today, limit=8),
        institutes=queries.institutes_with_counts(db.session, limit=8),
        stats=queries.catalog_stats(db.session, today),
        source=LANDSCAPE_SOURCE,
    )


@bp.get("/courses")
def course_search():
    """The course search: text, facets, sort, page, all held in the URL."""
    params = SearchParams.from_args(request.args)
    result = search_courses(db.session, params, per_page=current_app.config["SEARCH_PAGE_SIZE"])
    return render_template("public/course_search.html", form=SearchForm(), result=result)


@bp.get("/courses/<slug>")
def course_detail(slug: str):
    """Everything about one published course."""
    course = queries.get_published_course_or_404(db.session, slug)
    today = local_today()
    return render_template(
        "public/course_detail.html",
        course=course,
        today=today,
        related=queries.related_courses(db.session, course, limit=4),
    )


@bp.get("/institutes")
def institute_list():
    """Approved institutes, optionally in one area."""
    form = InstituteFilterForm()
    areas = queries.areas_with_institutes(db.session)
    form.area.choices = as_choices([("", "All areas")] + [(a.slug, a.name) for a in areas])
    area_slug = form.area.data if form.area.data in {a.slug for a in areas} else None
    return render_template(
        "public/institute_list.html",
        form=form,
        area=next((a for a in areas if a.slug == area_slug), None),
        institutes=queries.institutes_with_counts(db.session, area_slug=area_slug),
    )


@bp.get("/institutes/<slug>")
def institute_detail(slug: str):
    """An institute's profile, campuses, partners, courses and events."""
    institute = queries.get_approved_institute_or_404(db.session, slug)
    today = local_today()
    return render_template(
        "public/institute_detail.html",
        institute=institute,
        courses=queries.institute_courses(db.session, institute),
        events=queries.upcoming_events(db.session, today, institute_id=institute.id),
        today=today,
    )


@bp.get("/topics/<slug>")
def topic_detail(slug: str):
    """A landing page for one topic: its courses, tools and events."""
    topic = queries.get_topic_or_404(db.session, slug)
    today = local_today()
    result = search_courses(
        db.session, SearchParams(filters={"topic": (topic.slug,)}), today=today, per_page=12
    )
    return render_template(
        "public/topic_detail.html",
        topic=topic,
        result=result,
        tools=queries.tools_for_topic(db.session, topic),
        events=queries.upcoming_events(db.session, today, topic_id=topic.id),
    )


@bp.get("/events")
def event_list():
    """Upcoming events, filtered by kind, topic and place."""
    form = EventFilterForm()
    choices = queries.event_filter_choices(db.session)
    for name, options in choices.items():
        getattr(form, name).choices = as_choices(options)
    chosen = {
        name: (getattr(form, name).data if getattr(form, name).data in {v for v, _ in options[1:]} else None)
        for name, options in choices.items()
    }
    events = queries.upcoming_events(
        db.session, local_today(), kind=chosen["kind"], topic_slug=chosen["topic"], area_slug=chosen["area"]
    )
    return render_template("public/event_list.html", form=form, events=events, filtered=any(chosen.values()))


@bp.get("/healthz")
def healthz():
    """Liveness and database reachability, for load balancers."""
    from sqlalchemy import text

    try:
        db.session.execute(text("SELECT 1"))
    except Exception:
        abort(503)
    return {"status": "ok"}
