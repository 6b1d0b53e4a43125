"""The home page."""

from __future__ import annotations

from flask import render_template

from catalog.extensions import db
from catalog.public.blueprint import bp
from catalog.public.forms import SearchForm
from catalog.queries import courses, institutes, vocabulary
from catalog.timeutil import local_today

#: How many upcoming batches and institutes the home page lists.
HOME_LIST_SIZE = 8
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
        topics=vocabulary.topics_with_counts(db.session, today),
        batches=courses.upcoming_batches(db.session, today, limit=HOME_LIST_SIZE),
        institutes=institutes.institutes_with_counts(db.session, limit=HOME_LIST_SIZE, today=today),
        stats=institutes.catalog_stats(db.session, today),
        source=LANDSCAPE_SOURCE,
    )
