"""Facets, sorting and pages of the course search, and the snapshot that counts them.

Every test runs on SQLite FTS5 and on PostgreSQL.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import delete, select, update
from werkzeug.datastructures import MultiDict

from catalog.models import Course, CourseFormat, Mode, SearchState
from catalog.search import SearchParams, search_courses
from catalog.search.facet_index import bump_version
from catalog.search.facets import FACETS_BY_NAME
from catalog.timeutil import local_today
from tests.builders import make_area, make_batch, make_campus, make_course, make_institute
from tests.helpers import hit_titles, run_search, search_titles


def test_values_within_a_facet_are_ored(db):
    make_course(title="Online One", mode=Mode.ONLINE)
    make_course(title="Hybrid One", mode=Mode.HYBRID)
    make_course(title="Classroom One", mode=Mode.CLASSROOM)
    assert sorted(search_titles(db, mode=["online", "hybrid"])) == ["Hybrid One", "Online One"]


def test_facets_are_anded(db):
    make_course(title="Online Workshop", mode=Mode.ONLINE, format=CourseFormat.WORKSHOP)
    make_course(title="Online Bootcamp", mode=Mode.ONLINE, format=CourseFormat.BOOTCAMP)
    make_course(title="Classroom Workshop", mode=Mode.CLASSROOM, format=CourseFormat.WORKSHOP)
    assert search_titles(db, mode=["online"], format=["workshop"]) == ["Online Workshop"]


def test_facet_counts_apply_the_other_filters(db):
    make_course(title="A", mode=Mode.ONLINE, format=CourseFormat.WORKSHOP)
    make_course(title="B", mode=Mode.ONLINE, format=CourseFormat.BOOTCAMP)
    make_course(title="C", mode=Mode.CLASSROOM, format=CourseFormat.WORKSHOP)
    result = run_search(db, {"mode": "online"})
    counts = {f.name: {v.value: v.count for v in f.values} for f in result.facets}
    # Mode counts ignore the mode filter itself, so the learner sees what switching would give.
    assert counts["mode"] == {"classroom": 1, "online": 2, "hybrid": 0}
    assert counts["format"]["workshop"] == 1
    assert counts["format"]["bootcamp"] == 1


def test_zero_count_values_are_still_listed(db):
    make_course(title="A", mode=Mode.ONLINE)
    mode = next(f for f in run_search(db).facets if f.name == "mode")
    assert [(v.value, v.count) for v in mode.values] == [("classroom", 0), ("online", 1), ("hybrid", 0)]


def test_selected_value_with_zero_results_stays_selected(db):
    make_course(title="A", mode=Mode.ONLINE, format=CourseFormat.BOOTCAMP)
    result = run_search(db, {"mode": "online", "format": "workshop"})
    assert result.total == 0
    fmt = next(f for f in result.facets if f.name == "format")
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
    assert sorted(search_titles(db, area=["hitec-city"])) == ["At HITEC", "Hybrid at HITEC"]
    assert sorted(search_titles(db, area=["online"])) == ["Hybrid at HITEC", "Online Only"]


def test_fee_and_duration_bands(db):
    make_course(title="Free Meetup", fee_inr=0, duration_days=1)
    make_course(title="Mid Bootcamp", fee_inr=60_000, duration_days=120)
    make_course(title="Long Diploma", fee_inr=250_000, duration_days=365)
    assert search_titles(db, fee=["free"]) == ["Free Meetup"]
    assert search_titles(db, fee=["25k-75k"]) == ["Mid Bootcamp"]
    assert search_titles(db, duration=["6-to-12-months"]) == ["Long Diploma"]
    assert search_titles(db, duration=["up-to-1-week"]) == ["Free Meetup"]


def test_topic_tool_language_certification_placement_facets(db, kubernetes, cicd):
    a = make_course(
        title="A", languages=["English", "Telugu"], certification_name="Cert", placement_support=True
    )
    a.tools, a.topics = [kubernetes], [cicd]
    db.session.commit()
    make_course(title="B", languages=["Hindi"])
    assert search_titles(db, tool=["kubernetes"]) == ["A"]
    assert search_titles(db, topic=["ci-cd-for-ml"]) == ["A"]
    assert search_titles(db, language=["Telugu"]) == ["A"]
    assert search_titles(db, certification=["yes"]) == ["A"]
    assert search_titles(db, placement=["no"]) == ["B"]


def test_schedule_and_start_window_use_open_future_batches(db):
    soon = make_course(title="Soon Weekend")
    make_batch(soon, starts_in_days=5)
    later = make_course(title="Later Evening")
    make_batch(later, starts_in_days=60, schedule="evening")
    started = make_course(title="Already Started")
    make_batch(started, starts_in_days=-3)
    assert search_titles(db, starts=["7"]) == ["Soon Weekend"]
    assert sorted(search_titles(db, starts=["90"])) == ["Later Evening", "Soon Weekend"]
    assert search_titles(db, schedule=["evening"]) == ["Later Evening"]


def test_unknown_filter_values_are_ignored(db):
    make_course(title="A")
    result = run_search(db, {"mode": "teleport", "topic": "no-such-topic", "sort": "random", "page": "x"})
    assert result.total == 1
    assert result.params.filters == {}


def test_default_sort_without_query_is_next_batch_start(db):
    later = make_course(title="Later")
    make_batch(later, starts_in_days=40)
    none = make_course(title="No Batch")
    sooner = make_course(title="Sooner")
    make_batch(sooner, starts_in_days=4)
    assert none.id and search_titles(db) == ["Sooner", "Later", "No Batch"]


def test_sort_by_fee_and_duration(db):
    make_course(title="Pricey", fee_inr=200_000, duration_days=30)
    make_course(title="Cheap", fee_inr=5_000, duration_days=200)
    assert hit_titles(run_search(db, {"sort": "fee"})) == ["Cheap", "Pricey"]
    assert hit_titles(run_search(db, {"sort": "fee-desc"})) == ["Pricey", "Cheap"]
    assert hit_titles(run_search(db, {"sort": "duration"})) == ["Pricey", "Cheap"]


def test_default_sort_with_query_is_relevance(db):
    make_course(title="Other", summary="mentions mlflow once")
    make_course(title="MLflow Deep Dive")
    result = run_search(db, {"q": "mlflow"})
    assert result.sort == "relevance"
    assert hit_titles(result) == ["MLflow Deep Dive", "Other"]


def test_best_match_without_words_to_rank_sorts_by_next_batch(db):
    later = make_course(title="Later Course")
    make_batch(later, starts_in_days=40)
    sooner = make_course(title="Sooner Course")
    make_batch(sooner, starts_in_days=4)
    result = run_search(db, {"q": "course", "sort": "relevance"})
    assert result.sort == "start"
    assert hit_titles(result) == ["Sooner Course", "Later Course"]


def test_pagination_splits_results_and_clamps_page(db):
    for n in range(5):
        make_course(title=f"Fee {1000 * (n + 1)}", fee_inr=1000 * (n + 1))
    first = run_search(db, {"sort": "fee"}, per_page=2)
    assert (first.total, first.pages, len(first.hits)) == (5, 3, 2)
    last = run_search(db, {"sort": "fee", "page": "99"}, per_page=2)
    assert last.params.page == 3
    assert hit_titles(last) == ["Fee 5000"]


def test_url_state_round_trips(db):
    args = MultiDict(
        [("q", "mlflow"), ("mode", "online"), ("mode", "hybrid"), ("sort", "fee"), ("page", "2")]
    )
    params = SearchParams.from_args(args)
    assert SearchParams.from_args(MultiDict(params.to_args())) == params


def test_every_facet_is_counted(db):
    make_course(title="A")
    result = run_search(db)
    assert {f.name for f in result.facets} == set(FACETS_BY_NAME)


def test_enum_facet_values_read_as_their_labels(db):
    make_course(title="A")
    schedule = next(f for f in run_search(db).facets if f.name == "schedule")
    assert [v.label for v in schedule.values] == ["Weekday", "Weekend", "Evening", "Fast-track"]


def test_full_batches_do_not_count_as_open(db):
    course = make_course(title="Full One")
    make_batch(course, starts_in_days=5, seats_left=0)
    assert search_titles(db, starts=["30"]) == []
    assert local_today() + timedelta(days=5) == course.batches[0].start_date


def test_results_follow_a_change_committed_by_another_process(db):
    """Another process's commit raises search_state.version; this one rebuilds its index."""
    course = make_course(title="Airflow Basics", fee_inr=10_000)
    assert search_titles(db, fee=["under-25k"]) == ["Airflow Basics"]
    with db.engine.begin() as other_process:
        other_process.execute(update(Course).where(Course.id == course.id).values(fee_inr=90_000))
        bump_version(other_process)
    db.session.expire_all()
    assert search_titles(db, fee=["under-25k"]) == []
    assert search_titles(db, fee=["75k-150k"]) == ["Airflow Basics"]


def test_start_windows_move_with_the_day(db):
    course = make_course(title="Soon")
    make_batch(course, starts_in_days=5)
    today = local_today()
    assert hit_titles(search_courses(db.session, SearchParams(filters={"starts": ("7",)}), today=today)) == [
        "Soon"
    ]
    later = today + timedelta(days=6)
    assert search_courses(db.session, SearchParams(filters={"starts": ("7",)}), today=later).total == 0


def test_an_index_built_inside_a_rolled_back_transaction_is_not_reused(db):
    course = make_course(title="Airflow Basics", fee_inr=10_000)
    course.fee_inr = 90_000
    db.session.flush()
    assert search_titles(db, fee=["75k-150k"]) == ["Airflow Basics"]  # sees its own uncommitted change
    db.session.rollback()
    course.title = "Airflow Foundations"  # one committed change: one new version
    db.session.commit()
    assert search_titles(db, fee=["75k-150k"]) == []
    assert search_titles(db, fee=["under-25k"]) == ["Airflow Foundations"]


def test_results_stay_right_when_the_search_state_row_was_deleted(db):
    make_course(title="Airflow Basics")
    assert search_titles(db, "airflow") == ["Airflow Basics"]
    db.session.execute(delete(SearchState))
    db.session.commit()
    make_course(title="Airflow Advanced")
    assert sorted(search_titles(db, "airflow")) == ["Airflow Advanced", "Airflow Basics"]
    assert db.session.scalar(select(SearchState.version)) is not None
