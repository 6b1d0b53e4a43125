"""The course search, by example; every test runs on SQLite FTS5 and on PostgreSQL."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from catalog.models import Course, CourseFormat, CourseStatus, Mode
from catalog.search import SearchParams, search_courses
from catalog.search.facets import FACETS_BY_NAME
from catalog.timeutil import local_today
from tests.builders import (
    make_area,
    make_batch,
    make_campus,
    make_course,
    make_institute,
    make_tool,
    make_topic,
)


def search(db, q: str = "", **filters) -> list[str]:
    """Titles of the first page of results."""
    params = SearchParams(q=q, filters={k: tuple(v) for k, v in filters.items()})
    return [hit.course.title for hit in search_courses(db.session, params).hits]


def run(db, args: dict | None = None, **kwargs):
    return search_courses(db.session, SearchParams.from_args(MultiDict(args or {})), **kwargs)


@pytest.fixture
def kubernetes(db):
    return make_tool(name="Kubernetes", slug="kubernetes", category="orchestration", synonyms=["k8s", "kube"])


@pytest.fixture
def cicd(db):
    return make_topic(
        name="CI/CD for ML",
        slug="ci-cd-for-ml",
        synonyms=["continuous integration", "continuous delivery", "cicd"],
    )


def test_word_in_title_finds_course(db):
    make_course(title="Airflow Pipelines in Practice")
    make_course(title="Model Monitoring Essentials")
    assert search(db, "airflow") == ["Airflow Pipelines in Practice"]


def test_words_are_all_required(db):
    make_course(title="Kubeflow Pipelines", summary="Build ML pipelines on Kubeflow.")
    make_course(title="Airflow Pipelines", summary="Schedule pipelines with Airflow.")
    assert search(db, "kubeflow pipelines") == ["Kubeflow Pipelines"]


def test_title_match_ranks_above_description_match(db):
    make_course(title="Practical MLOps", description="Lots about monitoring dashboards and alerts.")
    make_course(title="Monitoring Models in Production", description="Dashboards.")
    assert search(db, "monitoring")[0] == "Monitoring Models in Production"


def test_last_word_matches_as_prefix_while_typing(db, kubernetes):
    make_course(title="Kubernetes for ML Engineers")
    assert search(db, "kuber") == ["Kubernetes for ML Engineers"]


def test_finished_word_is_not_a_prefix(db):
    make_course(title="Data Versioning with DVC")
    make_course(title="Data Vault Modelling")
    assert search(db, "dvc ") == ["Data Versioning with DVC"]


def test_tool_synonym_finds_courses_of_the_tool(db, kubernetes):
    course = make_course(title="Container Orchestration Bootcamp")
    course.tools = [kubernetes]
    db.session.commit()
    make_course(title="Unrelated Statistics Course")
    assert search(db, "k8s") == ["Container Orchestration Bootcamp"]


def test_topic_synonym_phrase_finds_topic(db, cicd):
    course = make_course(title="Shipping Models Safely")
    course.topics = [cicd]
    db.session.commit()
    make_course(title="Feature Engineering Basics")
    assert search(db, "continuous integration") == ["Shipping Models Safely"]


def test_ci_cd_typed_with_space_finds_ci_cd(db, cicd):
    course = make_course(title="Release Engineering for Models")
    course.topics = [cicd]
    db.session.commit()
    assert search(db, "ci cd") == ["Release Engineering for Models"]


def test_misspelling_offers_did_you_mean(db, kubernetes):
    make_course(title="Kubernetes for ML Engineers")
    assert run(db, {"q": "kubernets"}).suggestion == "kubernetes"


def test_misspelling_with_no_results_suggests_the_word_that_has_them(db):
    make_course(title="Model Monitoring Essentials")
    result = run(db, {"q": "monitring "})
    assert result.total == 0
    assert result.suggestion == "monitoring"
    assert run(db, {"q": result.suggestion}).total == 1


def test_correct_words_get_no_suggestion(db):
    make_course(title="Kubernetes for ML Engineers")
    assert run(db, {"q": "kubernetes"}).suggestion is None


def test_matched_words_are_highlighted_and_escaped(db):
    make_course(title="Airflow <script>alert(1)</script> & Pipelines")
    hit = run(db, {"q": "airflow"}).hits[0]
    assert str(hit.title) == "<mark>Airflow</mark> &lt;script&gt;alert(1)&lt;/script&gt; &amp; Pipelines"


def test_snippet_highlights_match_in_summary(db):
    make_course(title="Course A", summary="Learn drift detection with Evidently dashboards.")
    hit = run(db, {"q": "evidently"}).hits[0]
    assert "<mark>Evidently</mark>" in str(hit.snippet)


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
    make_course(title="Airflow Pipelines")
    result = run(db, {"q": query})
    assert result.total >= 0
    assert db.session.scalar(select(Course.id)) is not None


def test_quoted_phrase_requires_adjacent_words(db):
    make_course(title="Model Serving at Scale")
    make_course(title="Serving Suggestions for Model Kitchens")
    assert search(db, '"model serving"') == ["Model Serving at Scale"]


def test_unpublished_courses_are_not_found(db):
    make_course(title="Airflow Draft", status=CourseStatus.DRAFT)
    make_course(title="Airflow Live")
    assert search(db, "airflow") == ["Airflow Live"]


def test_index_follows_title_edit(db):
    course = make_course(title="Airflow Basics")
    course.title = "Dagster Basics"
    db.session.commit()
    assert search(db, "airflow") == []
    assert search(db, "dagster") == ["Dagster Basics"]


def test_index_follows_delete(db):
    course = make_course(title="Airflow Basics")
    db.session.delete(course)
    db.session.commit()
    assert search(db, "airflow") == []


def test_index_follows_institute_rename(db):
    institute = make_institute(name="Charminar Academy")
    make_course(title="Course One", institute=institute)
    institute.name = "Golconda Academy"
    db.session.commit()
    assert search(db, "golconda") == ["Course One"]
    assert search(db, "charminar") == []


def test_index_follows_topic_assignment(db, cicd):
    course = make_course(title="Course One")
    assert search(db, "cicd") == []
    course.topics.append(cicd)
    db.session.commit()
    assert search(db, "cicd") == ["Course One"]


def test_rolled_back_edit_leaves_index_unchanged(db):
    course = make_course(title="Airflow Basics")
    course.title = "Dagster Basics"
    db.session.flush()
    db.session.rollback()
    assert search(db, "airflow") == ["Airflow Basics"]
    assert search(db, "dagster") == []


def test_values_within_a_facet_are_ored(db):
    make_course(title="Online One", mode=Mode.ONLINE)
    make_course(title="Hybrid One", mode=Mode.HYBRID)
    make_course(title="Classroom One", mode=Mode.CLASSROOM)
    assert sorted(search(db, mode=["online", "hybrid"])) == ["Hybrid One", "Online One"]


def test_facets_are_anded(db):
    make_course(title="Online Workshop", mode=Mode.ONLINE, format=CourseFormat.WORKSHOP)
    make_course(title="Online Bootcamp", mode=Mode.ONLINE, format=CourseFormat.BOOTCAMP)
    make_course(title="Classroom Workshop", mode=Mode.CLASSROOM, format=CourseFormat.WORKSHOP)
    assert search(db, mode=["online"], format=["workshop"]) == ["Online Workshop"]


def test_facet_counts_apply_the_other_filters(db):
    make_course(title="A", mode=Mode.ONLINE, format=CourseFormat.WORKSHOP)
    make_course(title="B", mode=Mode.ONLINE, format=CourseFormat.BOOTCAMP)
    make_course(title="C", mode=Mode.CLASSROOM, format=CourseFormat.WORKSHOP)
    result = run(db, {"mode": "online"})
    counts = {f.facet.name: {v.value: v.count for v in f.values} for f in result.facets}
    # Mode counts ignore the mode filter itself, so the learner sees what switching would give.
    assert counts["mode"] == {"classroom": 1, "online": 2, "hybrid": 0}
    assert counts["format"]["workshop"] == 1
    assert counts["format"]["bootcamp"] == 1


def test_zero_count_values_are_still_listed(db):
    make_course(title="A", mode=Mode.ONLINE)
    mode = next(f for f in run(db).facets if f.facet.name == "mode")
    assert [(v.value, v.count) for v in mode.values] == [("classroom", 0), ("online", 1), ("hybrid", 0)]


def test_selected_value_with_zero_results_stays_selected(db):
    make_course(title="A", mode=Mode.ONLINE, format=CourseFormat.BOOTCAMP)
    result = run(db, {"mode": "online", "format": "workshop"})
    assert result.total == 0
    fmt = next(f for f in result.facets if f.facet.name == "format")
    workshop = next(v for v in fmt.values if v.value == "workshop")
    assert workshop.selected and workshop.count == 0


def test_area_facet_covers_campuses_and_online(db):
    hitec = make_area(name="HITEC City", slug="hitec-city")
    make_area(name="Online", slug="online", latitude=None, longitude=None)
    institute = make_institute()
    campus = make_campus(institute, hitec)
    make_course(title="At HITEC", institute=institute, campuses=[campus], mode=Mode.CLASSROOM)
    make_course(title="Online Only", institute=institute, mode=Mode.ONLINE)
    make_course(title="Hybrid at HITEC", institute=institute, campuses=[campus], mode=Mode.HYBRID)
    assert sorted(search(db, area=["hitec-city"])) == ["At HITEC", "Hybrid at HITEC"]
    assert sorted(search(db, area=["online"])) == ["Hybrid at HITEC", "Online Only"]


def test_fee_and_duration_bands(db):
    make_course(title="Free Meetup", fee_inr=0, duration_days=1)
    make_course(title="Mid Bootcamp", fee_inr=60_000, duration_days=120)
    make_course(title="Long Diploma", fee_inr=250_000, duration_days=365)
    assert search(db, fee=["free"]) == ["Free Meetup"]
    assert search(db, fee=["25k-75k"]) == ["Mid Bootcamp"]
    assert search(db, duration=["6-to-12-months"]) == ["Long Diploma"]
    assert search(db, duration=["up-to-1-week"]) == ["Free Meetup"]


def test_topic_tool_language_certification_placement_facets(db, kubernetes, cicd):
    a = make_course(
        title="A", languages=["English", "Telugu"], certification_name="Cert", placement_support=True
    )
    a.tools, a.topics = [kubernetes], [cicd]
    db.session.commit()
    make_course(title="B", languages=["Hindi"])
    assert search(db, tool=["kubernetes"]) == ["A"]
    assert search(db, topic=["ci-cd-for-ml"]) == ["A"]
    assert search(db, language=["Telugu"]) == ["A"]
    assert search(db, certification=["yes"]) == ["A"]
    assert search(db, placement=["no"]) == ["B"]


def test_schedule_and_start_window_use_open_future_batches(db):
    soon = make_course(title="Soon Weekend")
    make_batch(soon, starts_in_days=5)
    later = make_course(title="Later Evening")
    make_batch(later, starts_in_days=60, schedule="evening")
    started = make_course(title="Already Started")
    make_batch(started, starts_in_days=-3)
    assert search(db, starts=["7"]) == ["Soon Weekend"]
    assert sorted(search(db, starts=["90"])) == ["Later Evening", "Soon Weekend"]
    assert search(db, schedule=["evening"]) == ["Later Evening"]


def test_unknown_filter_values_are_ignored(db):
    make_course(title="A")
    result = run(db, {"mode": "teleport", "topic": "no-such-topic", "sort": "random", "page": "x"})
    assert result.total == 1
    assert result.params.filters == {}


def test_default_sort_without_query_is_next_batch_start(db):
    later = make_course(title="Later")
    make_batch(later, starts_in_days=40)
    none = make_course(title="No Batch")
    sooner = make_course(title="Sooner")
    make_batch(sooner, starts_in_days=4)
    assert none.id and search(db) == ["Sooner", "Later", "No Batch"]


def test_sort_by_fee_and_duration(db):
    make_course(title="Pricey", fee_inr=200_000, duration_days=30)
    make_course(title="Cheap", fee_inr=5_000, duration_days=200)
    assert [h.course.title for h in run(db, {"sort": "fee"}).hits] == ["Cheap", "Pricey"]
    assert [h.course.title for h in run(db, {"sort": "fee-desc"}).hits] == ["Pricey", "Cheap"]
    assert [h.course.title for h in run(db, {"sort": "duration"}).hits] == ["Pricey", "Cheap"]


def test_default_sort_with_query_is_relevance(db):
    make_course(title="Other", summary="mentions mlflow once")
    make_course(title="MLflow Deep Dive")
    result = run(db, {"q": "mlflow"})
    assert result.params.effective_sort == "relevance"
    assert [h.course.title for h in result.hits] == ["MLflow Deep Dive", "Other"]


def test_pagination_splits_results_and_clamps_page(db):
    for n in range(5):
        make_course(title=f"Course {n}", fee_inr=1000 * (n + 1))
    first = run(db, {"sort": "fee"}, per_page=2)
    assert (first.total, first.pages, len(first.hits)) == (5, 3, 2)
    last = run(db, {"sort": "fee", "page": "99"}, per_page=2)
    assert last.params.page == 3
    assert [h.course.fee_inr for h in last.hits] == [5000]


def test_url_state_round_trips(db):
    args = MultiDict(
        [("q", "mlflow"), ("mode", "online"), ("mode", "hybrid"), ("sort", "fee"), ("page", "2")]
    )
    params = SearchParams.from_args(args)
    assert SearchParams.from_args(MultiDict(params.to_args())) == params


def test_chip_removes_exactly_one_filter(db):
    make_course(title="A", mode=Mode.ONLINE)
    result = run(db, {"q": "a", "mode": ["online", "hybrid"], "format": "workshop"})
    chips = {(facet, label): args for facet, label, args in result.chips()}
    assert chips[("Mode", "Online")] == {"q": "a", "mode": ["hybrid"], "format": ["workshop"]}


def test_every_facet_is_counted(db):
    make_course(title="A")
    result = run(db)
    assert {f.facet.name for f in result.facets} == set(FACETS_BY_NAME)


def test_full_batches_do_not_count_as_open(db):
    course = make_course(title="Full One")
    make_batch(course, starts_in_days=5, seats_left=0)
    assert search(db, starts=["30"]) == []
    hit = run(db).hits[0]
    assert hit.next_batch is None
    assert local_today() + timedelta(days=5) == course.batches[0].start_date


def test_courses_of_institutes_not_approved_are_not_found(db):
    from catalog.models import InstituteStatus

    make_course(title="Airflow Suspended", institute=make_institute(status=InstituteStatus.SUSPENDED))
    make_course(title="Airflow Pending", institute=make_institute(status=InstituteStatus.PENDING))
    make_course(title="Airflow Approved")
    assert search(db, "airflow") == ["Airflow Approved"]


def test_results_follow_a_change_committed_by_another_process(db):
    """Another process's commit raises search_state.version; this one rebuilds its index."""
    from sqlalchemy import update

    from catalog.search.facet_index import bump_version

    course = make_course(title="Airflow Basics", fee_inr=10_000)
    assert search(db, fee=["under-25k"]) == ["Airflow Basics"]
    with db.engine.begin() as other_process:
        other_process.execute(update(Course).where(Course.id == course.id).values(fee_inr=90_000))
        bump_version(other_process)
    db.session.expire_all()
    assert search(db, fee=["under-25k"]) == []
    assert search(db, fee=["75k-150k"]) == ["Airflow Basics"]


def test_start_windows_move_with_the_day(db):
    course = make_course(title="Soon")
    make_batch(course, starts_in_days=5)
    today = local_today()
    assert [
        h.course.title
        for h in search_courses(db.session, SearchParams(filters={"starts": ("7",)}), today=today).hits
    ] == ["Soon"]
    later = today + timedelta(days=6)
    assert search_courses(db.session, SearchParams(filters={"starts": ("7",)}), today=later).total == 0


def test_an_index_built_inside_a_rolled_back_transaction_is_not_reused(db):
    course = make_course(title="Airflow Basics", fee_inr=10_000)
    course.fee_inr = 90_000
    db.session.flush()
    assert search(db, fee=["75k-150k"]) == ["Airflow Basics"]  # sees its own uncommitted change
    db.session.rollback()
    course.title = "Airflow Foundations"  # one committed change: one new version
    db.session.commit()
    assert search(db, fee=["75k-150k"]) == []
    assert search(db, fee=["under-25k"]) == ["Airflow Foundations"]


def test_results_stay_right_when_the_search_state_row_was_deleted(db):
    from sqlalchemy import delete

    from catalog.models import SearchState

    make_course(title="Airflow Basics")
    assert search(db, "airflow") == ["Airflow Basics"]
    db.session.execute(delete(SearchState))
    db.session.commit()
    make_course(title="Airflow Advanced")
    assert sorted(search(db, "airflow")) == ["Airflow Advanced", "Airflow Basics"]
    assert db.session.scalar(select(SearchState.version)) is not None
