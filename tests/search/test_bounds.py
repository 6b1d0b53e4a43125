"""What a search may cost, whatever it is asked: page numbers of any size, queries of any length.

Every test runs on SQLite and PostgreSQL.
"""

from __future__ import annotations

import random

import pytest

from catalog.search import MAX_PAGE, page_number
from catalog.search.index import backend_for
from catalog.search.query import MAX_QUERY_WORDS, MAX_TERMS, Synonyms, parse_query
from tests.builders import make_course, make_enquiry, make_topic, make_user
from tests.helpers import count_queries, run_search

#: 400 made-up four-letter words (1,999 characters), none of them near a catalog word.
UNKNOWN_WORDS = ["".join(random.Random(index).choices("bcdfghjklmnpqrstvwxz", k=4)) for index in range(400)]
LONG_QUERY = " ".join(UNKNOWN_WORDS)
NORMAL_QUERY = "mlflow pipelines"
ODD_PAGES = ["99999999999999999999", "9" * 5000, "-1", "0", "1e9", "abc", "", "٣", " 2 ", "+2"]


@pytest.fixture
def catalog(db):
    make_course(title="MLflow Pipelines in Production", summary="Track experiments with MLflow.")
    make_course(title="Kubernetes for ML Engineers", summary="Serve models on Kubernetes.")
    run_search(db, {"q": "warm"})  # builds this process's facet snapshot, which every search shares


@pytest.mark.parametrize(
    ("raw", "page"),
    [("3", 3), (3, 3), ("+2", 2), (" 2 ", 2), ("007", 7), ("500", MAX_PAGE), ("501", MAX_PAGE)],
)
def test_page_number_reads_a_whole_number_within_range(raw, page):
    assert page_number(raw) == page


@pytest.mark.parametrize("raw", ["99999999999999999999", "9" * 5000])
def test_page_number_of_any_size_is_clamped_to_the_last_page(raw):
    assert page_number(raw) == MAX_PAGE
    assert page_number(raw, last=7) == 7


@pytest.mark.parametrize("raw", ["-1", "0", "1e9", "abc", "", None, "٣", "1.5", "0x10"])
def test_page_number_that_is_not_a_positive_whole_number_is_the_first_page(raw):
    assert page_number(raw) == 1


@pytest.mark.parametrize("raw", ODD_PAGES)
@pytest.mark.parametrize("path", ["/courses?q=mlflow&page=", "/institutes?page="])
def test_public_paged_lists_answer_any_page_number(client, catalog, path, raw):
    assert client.get(path + raw).status_code == 200


@pytest.mark.parametrize("raw", ["99999999999999999999", "-1", "1e9", "abc"])
def test_every_list_answers_any_page_number(client, auth, db, raw):
    course = make_course()
    make_enquiry(course)
    topic = make_topic()
    auth.login(make_user(course.institute))
    lists = ["/events", f"/topics/{topic.slug}", "/portal/enquiries", "/portal/courses", "/portal/events"]
    for path in [*lists, "/portal/instructors", f"/portal/courses/{course.id}/batches"]:
        assert client.get(f"{path}?page={raw}").status_code == 200, path


def test_search_serves_a_huge_page_number_as_its_last_page(db, catalog):
    assert run_search(db, {"page": "99999999999999999999"}, per_page=1).params.page == 2


def test_parsing_reads_a_bounded_number_of_words_however_long_the_text(monkeypatch):
    looked_up = []
    original = Synonyms.longest_match

    def counting(self, tokens, start):
        looked_up.append(start)
        return original(self, tokens, start)

    monkeypatch.setattr(Synonyms, "longest_match", counting)
    for text in (LONG_QUERY, " ".join(["the"] * 600), '"' + LONG_QUERY + '"'):
        looked_up.clear()
        query = parse_query(text, Synonyms([(("k8s",), ("kubernetes",))]))
        assert len(query.terms) <= MAX_TERMS
        assert len(looked_up) <= MAX_QUERY_WORDS


def test_a_400_unknown_word_query_runs_no_more_than_twice_the_statements_of_a_two_word_query(db, catalog):
    with count_queries(db) as normal:
        run_search(db, {"q": NORMAL_QUERY})
    with count_queries(db) as long_query:
        run_search(db, {"q": LONG_QUERY})
    assert len(LONG_QUERY) == 1999
    assert len(long_query) <= 2 * len(normal)


def test_a_400_unknown_word_query_looks_up_near_words_at_most_twice_as_often(db, catalog, monkeypatch):
    backend = type(backend_for(db.session))
    looked_up: list[str] = []
    original = backend.similar_words

    def counting(self, word):
        looked_up.append(word)
        return original(self, word)

    monkeypatch.setattr(backend, "similar_words", counting)
    run_search(db, {"q": NORMAL_QUERY})
    normal = len(looked_up)
    looked_up.clear()
    run_search(db, {"q": LONG_QUERY})
    assert normal == 2
    assert len(looked_up) <= 2 * normal


def test_a_400_unknown_word_query_still_finds_nothing_and_answers(db, catalog):
    result = run_search(db, {"q": LONG_QUERY})
    assert result.total == 0 and result.hits == []
