"""The index contract: every write path keeps the search in step, renames and deletes included.

Each test changes a record, then searches its old word (no longer found) and its new word or the
course's own title (found). Every test runs on SQLite FTS5 and on PostgreSQL.
"""

from __future__ import annotations

from sqlalchemy import delete, select, update

from catalog.models import Course, SearchState, Topic
from catalog.search import courses_changed, courses_of
from tests.builders import make_area, make_campus, make_course, make_institute, make_tool, make_topic
from tests.helpers import indexed_course_ids, search_titles


def course_on_topic(db, topic_name: str) -> Course:
    course = make_course(title="Dashboards Bootcamp")
    course.topics = [make_topic(name=topic_name)]
    db.session.commit()
    return course


def course_with_tool(db, tool_name: str) -> Course:
    course = make_course(title="Dashboards Bootcamp")
    course.tools = [make_tool(name=tool_name)]
    db.session.commit()
    return course


def course_in_area(db, area_name: str) -> Course:
    institute = make_institute()
    campus = make_campus(institute, make_area(name=area_name))
    return make_course(title="Dashboards Bootcamp", institute=institute, campuses=[campus])


def test_index_follows_title_edit(db):
    course = make_course(title="Airflow Basics")
    course.title = "Dagster Basics"
    db.session.commit()
    assert search_titles(db, "airflow") == []
    assert search_titles(db, "dagster") == ["Dagster Basics"]


def test_index_follows_topic_assignment(db):
    course = make_course(title="Course One")
    topic = make_topic(name="CI/CD for ML", synonyms=["cicd"])
    assert search_titles(db, "cicd") == []
    course.topics.append(topic)
    db.session.commit()
    assert search_titles(db, "cicd") == ["Course One"]


def test_rolled_back_edit_leaves_index_unchanged(db):
    course = make_course(title="Airflow Basics")
    course.title = "Dagster Basics"
    db.session.flush()
    db.session.rollback()
    assert search_titles(db, "airflow") == ["Airflow Basics"]
    assert search_titles(db, "dagster") == []


def test_renaming_a_topic_moves_its_word(db):
    course = course_on_topic(db, "Observability")
    course.topics[0].name = "Telemetry"
    db.session.commit()
    assert search_titles(db, "observability") == []
    assert search_titles(db, "telemetry") == ["Dashboards Bootcamp"]


def test_deleting_a_topic_removes_its_word_from_search(db):
    course = course_on_topic(db, "Observability")
    db.session.delete(course.topics[0])
    db.session.commit()
    assert search_titles(db, "observability") == []
    assert search_titles(db, "dashboards") == ["Dashboards Bootcamp"]


def test_renaming_a_tool_moves_its_word(db):
    course = course_with_tool(db, "Prometheus")
    course.tools[0].name = "Grafana"
    db.session.commit()
    assert search_titles(db, "prometheus") == []
    assert search_titles(db, "grafana") == ["Dashboards Bootcamp"]


def test_deleting_a_tool_removes_its_word_from_search(db):
    course = course_with_tool(db, "Prometheus")
    db.session.delete(course.tools[0])
    db.session.commit()
    assert search_titles(db, "prometheus") == []
    assert search_titles(db, "dashboards") == ["Dashboards Bootcamp"]


def test_renaming_an_area_moves_its_word(db):
    course = course_in_area(db, "Madhapur")
    course.campuses[0].area.name = "Kondapur"
    db.session.commit()
    assert search_titles(db, "madhapur") == []
    assert search_titles(db, "kondapur") == ["Dashboards Bootcamp"]


def test_deleting_an_area_with_its_campuses_removes_its_word_from_search(db):
    course = course_in_area(db, "Madhapur")
    campus = course.campuses[0]
    db.session.delete(campus)
    db.session.delete(campus.area)
    db.session.commit()
    assert search_titles(db, "madhapur") == []
    assert search_titles(db, "dashboards") == ["Dashboards Bootcamp"]


def test_moving_a_campus_to_another_area_moves_the_area_word(db):
    course = course_in_area(db, "Madhapur")
    course.campuses[0].area = make_area(name="Kondapur")
    db.session.commit()
    assert search_titles(db, "madhapur") == []
    assert search_titles(db, "kondapur") == ["Dashboards Bootcamp"]


def test_deleting_a_campus_removes_its_area_word_from_search(db):
    course = course_in_area(db, "Madhapur")
    db.session.delete(course.campuses[0])
    db.session.commit()
    assert search_titles(db, "madhapur") == []
    assert search_titles(db, "dashboards") == ["Dashboards Bootcamp"]


def test_renaming_an_institute_moves_its_word(db):
    institute = make_institute(name="Charminar Academy")
    make_course(title="Course One", institute=institute)
    institute.name = "Golconda Academy"
    db.session.commit()
    assert search_titles(db, "golconda") == ["Course One"]
    assert search_titles(db, "charminar") == []


def test_deleting_an_institute_with_its_courses_empties_their_index_rows(db):
    institute = make_institute(name="Charminar Academy")
    course = make_course(title="Course One", institute=institute)
    other = make_course(title="Course Two")
    db.session.delete(course)
    db.session.delete(institute)
    db.session.commit()
    assert search_titles(db, "charminar") == []
    assert indexed_course_ids(db) == {other.id}


def test_deleting_a_course_removes_its_index_row(db):
    course = make_course(title="Airflow Basics")
    course_id = course.id
    db.session.delete(course)
    db.session.commit()
    assert search_titles(db, "airflow") == []
    assert course_id not in indexed_course_ids(db)


def test_core_rename_is_seen_once_the_writer_names_its_courses(db):
    course = course_on_topic(db, "Observability")
    topic_id = course.topics[0].id
    conn = db.session.connection()
    conn.execute(update(Topic).where(Topic.id == topic_id).values(name="Telemetry"))
    courses_changed(conn, courses_of(conn, topics=[topic_id]))
    db.session.commit()
    assert search_titles(db, "observability") == []
    assert search_titles(db, "telemetry") == ["Dashboards Bootcamp"]


def test_core_delete_names_its_courses_before_their_links_go(db):
    course = course_on_topic(db, "Observability")
    topic_id = course.topics[0].id
    conn = db.session.connection()
    affected = courses_of(conn, topics=[topic_id])
    conn.execute(delete(Topic).where(Topic.id == topic_id))
    courses_changed(conn, affected)
    db.session.commit()
    assert affected == {course.id}
    assert search_titles(db, "observability") == []
    assert search_titles(db, "dashboards") == ["Dashboards Bootcamp"]


def test_a_change_that_touches_no_course_still_moves_the_search_version(db):
    before = db.session.scalar(select(SearchState.version))
    courses_changed(db.session.connection(), [])
    db.session.commit()
    assert db.session.scalar(select(SearchState.version)) != before


def test_a_word_longer_than_the_dictionary_keeps_is_indexed_without_error(db):
    long_word = "x" * 120
    course = make_course(title="Dashboards Bootcamp", summary=f"See {long_word} for details.")
    assert search_titles(db, "dashboards") == ["Dashboards Bootcamp"]
    assert course.id in indexed_course_ids(db)
