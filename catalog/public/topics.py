"""A topic's landing page: its courses, the tools they teach, its events."""

from __future__ import annotations

from flask import abort, redirect, render_template, url_for

from catalog.extensions import db
from catalog.public.blueprint import bp
from catalog.public.presenters import present
from catalog.queries import events, vocabulary
from catalog.search import SearchParams, search_courses
from catalog.timeutil import local_today

#: Courses shown on a topic's page; the link under them opens the full search.
TOPIC_PAGE_SIZE = 12


@bp.get("/topics/<slug>")
def topic_detail(slug: str):
    """A landing page for one topic: its courses, tools and events."""
    topic = vocabulary.topic_by_slug(db.session, slug)
    if topic is None:
        # A renamed or merged topic's old address leads, permanently, to the topic now.
        moved_to = vocabulary.redirected_slug(db.session, "topic", slug)
        if moved_to is not None:
            return redirect(url_for("public.topic_detail", slug=moved_to), 301)
        abort(404, description="No topic has that address.")
    today = local_today()
    params = SearchParams(filters={"topic": (topic.slug,)})
    result = search_courses(db.session, params, today=today, per_page=TOPIC_PAGE_SIZE)
    return render_template(
        "public/topic_detail.html",
        topic=topic,
        result=present(db.session, result, today),
        tools=vocabulary.tools_for_topic(db.session, topic),
        events=events.upcoming_events(db.session, today, topic_id=topic.id),
    )
