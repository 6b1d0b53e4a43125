"""Searching corrected words when the typed ones find nothing; every test runs on SQLite and
PostgreSQL."""

from __future__ import annotations

from tests.builders import make_course
from tests.helpers import run_search


def test_words_that_find_nothing_are_searched_corrected_when_asked(db):
    make_course(title="Model Monitoring Essentials")
    result = run_search(db, {"q": "monitring "}, correct=True)
    assert result.total == 1
    assert result.params.q == "monitoring"
    assert result.corrected_from == "monitring "


def test_without_asking_the_words_are_searched_as_typed(db):
    make_course(title="Model Monitoring Essentials")
    result = run_search(db, {"q": "monitring "})
    assert result.total == 0
    assert result.corrected_from is None


def test_words_that_find_courses_are_not_corrected(db):
    make_course(title="Model Monitoring Essentials")
    result = run_search(db, {"q": "monitoring"}, correct=True)
    assert result.corrected_from is None


def test_a_correction_that_finds_nothing_either_is_not_applied(db):
    make_course(title="Model Monitoring Essentials", fee_inr=90_000)
    result = run_search(db, {"q": "monitring ", "fee": "under-25k"}, correct=True)
    assert result.total == 0
    assert result.params.q == "monitring "
    assert result.suggestion == "monitoring"


def test_a_search_that_finds_nothing_carries_the_closest_known_words(db):
    make_course(title="Kubernetes Pipelines")
    result = run_search(db, {"q": "kuberntes "})
    assert "kubernetes" in result.close_words


def test_a_search_that_finds_courses_carries_no_close_words(db):
    make_course(title="Kubernetes Pipelines")
    assert run_search(db, {"q": "kubernetes "}).close_words == ()
