"""Search results as the public pages show them: marks, cards and chips from the engine's data."""

from __future__ import annotations

from werkzeug.datastructures import MultiDict

from catalog.models import Mode
from catalog.public.presenters import mark, present
from catalog.search import MarkedText, SearchParams, search_courses
from catalog.timeutil import local_today
from tests.builders import make_batch, make_course


def presented(db, args: dict | None = None):
    result = search_courses(db.session, SearchParams.from_args(MultiDict(args or {})))
    return present(db.session, result, local_today())


def test_marks_wrap_each_span_and_escape_the_rest():
    text = MarkedText("<b>Airflow</b> & Dagster", ((3, 10), (17, 24)))
    assert str(mark(text)) == "&lt;b&gt;<mark>Airflow</mark>&lt;/b&gt; &amp; <mark>Dagster</mark>"


def test_matched_words_are_highlighted_and_escaped(db):
    make_course(title="Airflow <script>alert(1)</script> & Pipelines")
    hit = presented(db, {"q": "airflow"}).hits[0]
    assert str(hit.title) == "<mark>Airflow</mark> &lt;script&gt;alert(1)&lt;/script&gt; &amp; Pipelines"


def test_snippet_highlights_match_in_summary(db):
    make_course(title="Course A", summary="Learn drift detection with Evidently dashboards.")
    hit = presented(db, {"q": "evidently"}).hits[0]
    assert "<mark>Evidently</mark>" in str(hit.snippet)


def test_cards_keep_the_engine_order_with_their_courses(db):
    make_course(title="Pricey", fee_inr=200_000)
    make_course(title="Cheap", fee_inr=5_000)
    assert [hit.course.title for hit in presented(db, {"sort": "fee"}).hits] == ["Cheap", "Pricey"]


def test_full_batch_is_not_a_card_next_batch(db):
    course = make_course(title="Full One")
    make_batch(course, starts_in_days=5, seats_left=0)
    assert presented(db).hits[0].next_batch is None


def test_chip_removes_exactly_one_filter(db):
    make_course(title="A", mode=Mode.ONLINE)
    page = presented(db, {"q": "a", "mode": ["online", "hybrid"], "format": "workshop"})
    chips = {(facet, label): args for facet, label, args in page.chips()}
    assert chips[("Mode", "Online")] == {"q": "a", "mode": ["hybrid"], "format": ["workshop"]}
