""" "Did you mean", by example, and what it may cost; every test runs on SQLite and PostgreSQL."""

from __future__ import annotations

import random

from catalog.search import SearchParams, search_courses
from catalog.search.index import backend_for
from catalog.search.query import parse_query
from catalog.search.suggest import MAX_CORRECTED_WORDS, suggest
from tests.builders import make_course
from tests.helpers import count_queries, run_search

#: 400 made-up four-letter words (1,999 characters), none of them near a catalog word.
UNKNOWN_WORDS = ["".join(random.Random(index).choices("bcdfghjklmnpqrstvwxz", k=4)) for index in range(400)]
LONG_QUERY = " ".join(UNKNOWN_WORDS)


def suggestion(db, text: str) -> str | None:
    return search_courses(db.session, SearchParams(q=text)).suggestion


def test_misspelling_offers_did_you_mean(db, kubernetes):
    make_course(title="Kubernetes for ML Engineers")
    assert run_search(db, {"q": "kubernets"}).suggestion == "kubernetes"


def test_misspelling_with_no_results_suggests_the_word_that_has_them(db):
    make_course(title="Model Monitoring Essentials")
    result = run_search(db, {"q": "monitring "})
    assert result.total == 0
    assert result.suggestion == "monitoring"
    assert run_search(db, {"q": result.suggestion}).total == 1


def test_correct_words_get_no_suggestion(db):
    make_course(title="Kubernetes for ML Engineers")
    assert run_search(db, {"q": "kubernetes"}).suggestion is None


def test_a_word_being_typed_that_begins_a_known_word_gets_no_suggestion(db):
    make_course(title="Model Monitoring Essentials")
    assert suggestion(db, "monit") is None


def test_did_you_mean_corrects_only_the_words_the_search_reads(db):
    make_course(title="Model Monitoring Essentials")
    before = UNKNOWN_WORDS[: MAX_CORRECTED_WORDS - 1]
    assert suggestion(db, " ".join([*before, "monitring "])) == " ".join([*before, "monitoring"])
    too_late = UNKNOWN_WORDS[:MAX_CORRECTED_WORDS]
    assert suggestion(db, " ".join([*too_late, "monitring "])) is None


def test_did_you_mean_asks_the_dictionary_once_for_400_unknown_words(db):
    make_course(title="Model Monitoring Essentials")
    query = parse_query(LONG_QUERY)
    with count_queries(db) as statements:
        suggest(db.session, backend_for(db.session), query, LONG_QUERY)
    assert len(statements) == 1


def test_a_query_of_400_unknown_words_costs_no_more_statements_than_one_misspelling(db):
    make_course(title="Model Monitoring Essentials")
    suggestion(db, "model")  # builds this process's facet snapshot, which both searches share
    with count_queries(db) as one_misspelling:
        suggestion(db, "monitring ")
    with count_queries(db) as long_query:
        suggestion(db, LONG_QUERY)
    assert len(LONG_QUERY) == 1999
    assert len(long_query) <= len(one_misspelling)
