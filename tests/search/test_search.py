"""Finding courses by text, by example; every test runs on SQLite FTS5 and on PostgreSQL."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from catalog.models import Course, CourseStatus, InstituteStatus
from catalog.search import MAX_QUERY_CHARS, SearchParams
from tests.builders import make_course, make_institute
from tests.helpers import run_search, search_titles


def marked_words(text) -> list[str]:
    """The words of a hit's title or snippet that the spans mark."""
    return [text.text[start:end] for start, end in text.spans]


def test_word_in_title_finds_course(db):
    make_course(title="Airflow Pipelines in Practice")
    make_course(title="Model Monitoring Essentials")
    assert search_titles(db, "airflow") == ["Airflow Pipelines in Practice"]


def test_words_are_all_required(db):
    make_course(title="Kubeflow Pipelines", summary="Build ML pipelines on Kubeflow.")
    make_course(title="Airflow Pipelines", summary="Schedule pipelines with Airflow.")
    assert search_titles(db, "kubeflow pipelines") == ["Kubeflow Pipelines"]


def test_title_match_ranks_above_description_match(db):
    make_course(title="Practical MLOps", description="Lots about monitoring dashboards and alerts.")
    make_course(title="Monitoring Models in Production", description="Dashboards.")
    assert search_titles(db, "monitoring")[0] == "Monitoring Models in Production"


def test_last_word_matches_as_prefix_while_typing(db, kubernetes):
    make_course(title="Kubernetes for ML Engineers")
    assert search_titles(db, "kuber") == ["Kubernetes for ML Engineers"]


def test_finished_word_is_not_a_prefix(db):
    make_course(title="Data Versioning with DVC")
    make_course(title="Data Vault Modelling")
    assert search_titles(db, "dvc ") == ["Data Versioning with DVC"]


def test_tool_synonym_finds_courses_of_the_tool(db, kubernetes):
    course = make_course(title="Container Orchestration Bootcamp")
    course.tools = [kubernetes]
    db.session.commit()
    make_course(title="Unrelated Statistics Course")
    assert search_titles(db, "k8s") == ["Container Orchestration Bootcamp"]


def test_topic_synonym_phrase_finds_topic(db, cicd):
    course = make_course(title="Shipping Models Safely")
    course.topics = [cicd]
    db.session.commit()
    make_course(title="Feature Engineering Basics")
    assert search_titles(db, "continuous integration") == ["Shipping Models Safely"]


def test_ci_cd_typed_with_space_finds_ci_cd(db, cicd):
    course = make_course(title="Release Engineering for Models")
    course.topics = [cicd]
    db.session.commit()
    assert search_titles(db, "ci cd") == ["Release Engineering for Models"]


def test_matched_words_come_as_spans_of_the_plain_title(db):
    make_course(title="Airflow <script>alert(1)</script> & Pipelines")
    hit = run_search(db, {"q": "airflow"}).hits[0]
    assert hit.title.text == "Airflow <script>alert(1)</script> & Pipelines"
    assert hit.title.spans == ((0, 7),)


def test_snippet_spans_mark_the_match_in_summary(db):
    make_course(title="Course A", summary="Learn drift detection with Evidently dashboards.")
    hit = run_search(db, {"q": "evidently"}).hits[0]
    assert marked_words(hit.snippet) == ["Evidently"]


def test_snippet_comes_from_the_description_when_only_it_matches(db):
    make_course(title="Course A", summary="A course.", description="Covers **Feast** feature stores.")
    hit = run_search(db, {"q": "feast"}).hits[0]
    assert hit.snippet.text == "Covers Feast feature stores."
    assert marked_words(hit.snippet) == ["Feast"]


def test_hits_without_text_carry_the_summary_unmarked(db):
    make_course(title="Course A", summary="Learn drift detection.")
    hit = run_search(db).hits[0]
    assert (hit.snippet.text, hit.snippet.spans, hit.title.spans) == ("Learn drift detection.", (), ())


@pytest.mark.parametrize(
    "query",
    [
        '"unbalanced quote',
        "NOT AND OR NEAR(",
        "kube* ^title:x",
        "'; DROP TABLE courses; --",
        "mlops 🚀🔥",
        "a" * 2000,
        "(((",
        "title:airflow",
        "-kubernetes +docker",
        "కుబెర్నెటీస్ శిక్షణ",
        "\x00\x1f",
    ],
)
def test_hostile_queries_never_raise(db, query):
    """Checks only that such text does not raise and leaves the catalog intact.

    What odd text finds is pinned by the parsing tests above (quotes, prefixes, stopwords).
    """
    make_course(title="Airflow Pipelines")
    run_search(db, {"q": query})
    assert db.session.scalar(select(Course.id)) is not None


def test_text_beyond_the_query_limit_is_ignored(db):
    make_course(title="Airflow Pipelines")
    params = SearchParams.from_args(MultiDict({"q": "x" * MAX_QUERY_CHARS + " airflow"}))
    assert params.q == "x" * MAX_QUERY_CHARS
    assert search_titles(db, "airflow".ljust(MAX_QUERY_CHARS) + "unmatched") == ["Airflow Pipelines"]


def test_quoted_phrase_requires_adjacent_words(db):
    make_course(title="Model Serving at Scale")
    make_course(title="Serving Suggestions for Model Kitchens")
    assert search_titles(db, '"model serving"') == ["Model Serving at Scale"]


def test_unpublished_courses_are_not_found(db):
    make_course(title="Airflow Draft", status=CourseStatus.DRAFT)
    make_course(title="Airflow Live")
    assert search_titles(db, "airflow") == ["Airflow Live"]


def test_courses_of_institutes_not_approved_are_not_found(db):
    make_course(title="Airflow Suspended", institute=make_institute(status=InstituteStatus.SUSPENDED))
    make_course(title="Airflow Pending", institute=make_institute(status=InstituteStatus.PENDING))
    make_course(title="Airflow Approved")
    assert search_titles(db, "airflow") == ["Airflow Approved"]
