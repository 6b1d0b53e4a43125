"""Every course a search finds, unpaged (what an alert follows); on SQLite and PostgreSQL."""

from __future__ import annotations

from catalog.models import CourseStatus, Mode
from catalog.search import SearchParams, matching_course_ids
from catalog.search.params import PAGE_SIZE
from tests.builders import make_course


def test_every_match_is_returned_beyond_one_page(db):
    wanted = {make_course(title=f"Kubernetes Lab {n}").id for n in range(PAGE_SIZE + 5)}
    make_course(title="Statistics Refresher")
    db.session.commit()
    assert matching_course_ids(db.session, SearchParams(q="kubernetes")) == wanted


def test_filters_narrow_the_matches(db):
    online = make_course(title="Kubernetes Online", mode=Mode.ONLINE)
    make_course(title="Kubernetes Classroom", mode=Mode.CLASSROOM)
    db.session.commit()
    params = SearchParams(q="kubernetes", filters={"mode": ("online",)})
    assert matching_course_ids(db.session, params) == {online.id}


def test_unpublished_courses_are_never_matched(db):
    make_course(title="Kubernetes Draft", status=CourseStatus.DRAFT)
    db.session.commit()
    assert matching_course_ids(db.session, SearchParams(q="kubernetes")) == set()


def test_misspelt_words_are_matched_corrected_only_when_asked(db):
    course = make_course(title="Model Monitoring Essentials")
    db.session.commit()
    params = SearchParams(q="monitring")
    assert matching_course_ids(db.session, params) == set()
    assert matching_course_ids(db.session, params, correct=True) == {course.id}
