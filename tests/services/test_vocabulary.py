"""The vocabulary services: edit, rename, delete only when unused, and merge a duplicate into its
survivor so that courses, synonyms, old addresses and the search all follow. Every test runs on
SQLite and on PostgreSQL."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from catalog.models import AuditEntry, Campus, Course, Event, Topic
from catalog.queries.vocabulary import redirected_slug
from catalog.services.errors import DomainError
from catalog.services.vocabulary import TermChanges, delete_term, merge_terms, rename_term, update_term
from tests.builders import (
    make_area,
    make_campus,
    make_course,
    make_event,
    make_institute,
    make_tool,
    make_topic,
)
from tests.helpers import search_titles


@pytest.fixture
def kubernetes(db):
    return make_tool(name="Kubernetes", slug="kubernetes", category="orchestration", synonyms=["kube"])


@pytest.fixture
def k8s(db):
    return make_tool(name="K8s", slug="k8s", category="orchestration", synonyms=["kates"])


def course_with_tools(db, title: str, *tools) -> Course:
    course = make_course(title=title)
    course.tools = list(tools)
    db.session.commit()
    return course


def tool_slugs(db, course: Course) -> list[str]:
    db.session.expire_all()
    return [tool.slug for tool in db.session.get(Course, course.id).tools]


def test_merge_moves_every_course_to_the_survivor_once(db, kubernetes, k8s):
    only_old = course_with_tools(db, "Cluster Ops", k8s)
    both = course_with_tools(db, "Platform Engineering", k8s, kubernetes)
    merge_terms(db.session, "tool", k8s.id, kubernetes.id, None)
    assert tool_slugs(db, only_old) == ["kubernetes"]
    assert tool_slugs(db, both) == ["kubernetes"]


def test_merge_makes_the_duplicate_and_its_synonyms_the_survivors_synonyms(db, kubernetes, k8s):
    merge_terms(db.session, "tool", k8s.id, kubernetes.id, None)
    db.session.expire_all()
    assert db.session.get(type(kubernetes), kubernetes.id).synonyms == ["kube", "K8s", "kates"]
    assert db.session.get(type(k8s), k8s.id) is None


def test_merge_points_the_old_slug_at_the_survivor(db, kubernetes, k8s):
    merge_terms(db.session, "tool", k8s.id, kubernetes.id, None)
    assert redirected_slug(db.session, "tool", "k8s") == "kubernetes"


def test_after_a_merge_the_old_and_new_words_find_the_courses(db, kubernetes, k8s):
    course_with_tools(db, "Cluster Ops", k8s)
    assert search_titles(db, "k8s") == ["Cluster Ops"]
    merge_terms(db.session, "tool", k8s.id, kubernetes.id, None)
    assert search_titles(db, "k8s") == ["Cluster Ops"]
    assert search_titles(db, "kubernetes") == ["Cluster Ops"]
    assert search_titles(db, tool=["kubernetes"]) == ["Cluster Ops"]


def test_merge_of_topics_moves_events_too(db):
    survivor, duplicate = make_topic(name="Model Monitoring"), make_topic(name="ML Monitoring")
    event = make_event()
    event.topics = [duplicate]
    db.session.commit()
    merge_terms(db.session, "topic", duplicate.id, survivor.id, None)
    db.session.expire_all()
    assert [topic.name for topic in db.session.get(Event, event.id).topics] == ["Model Monitoring"]


def test_merge_of_areas_joins_an_institutes_two_campuses(db):
    survivor, duplicate = make_area(name="Hitec City"), make_area(name="HITEC")
    institute = make_institute()
    kept, merged = make_campus(institute, survivor), make_campus(institute, duplicate)
    course = make_course(institute=institute, campuses=[merged])
    kept_id, merged_id = kept.id, merged.id
    merge_terms(db.session, "area", duplicate.id, survivor.id, None)
    db.session.expire_all()
    assert [campus.id for campus in db.session.get(Course, course.id).campuses] == [kept_id]
    assert db.session.get(Campus, merged_id) is None


def test_merge_is_audited_on_the_survivor(db, kubernetes, k8s):
    merge_terms(db.session, "tool", k8s.id, kubernetes.id, None)
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "merge"))
    assert entry.record_id == kubernetes.id
    assert "K8s" in entry.summary


def test_a_term_cannot_be_merged_into_itself(db, kubernetes):
    with pytest.raises(DomainError) as refusal:
        merge_terms(db.session, "tool", kubernetes.id, kubernetes.id, None)
    assert refusal.value.code == "merge-same"


def test_deleting_a_used_term_is_refused_with_its_course_count(db, kubernetes):
    course_with_tools(db, "Cluster Ops", kubernetes)
    with pytest.raises(DomainError) as refusal:
        delete_term(db.session, "tool", kubernetes.id, None)
    assert refusal.value.code == "term-in-use"
    assert refusal.value.params["courses"] == 1


def test_deleting_an_unused_term_removes_it(db):
    topic = make_topic()
    delete_term(db.session, "topic", topic.id, None)
    assert db.session.get(Topic, topic.id) is None


def test_rename_moves_the_slug_and_keeps_the_old_one_as_a_redirect(db):
    topic = make_topic(name="Feature Store", slug="feature-store")
    rename_term(db.session, "topic", topic.id, "Feature Stores", "feature-stores", None)
    assert topic.slug == "feature-stores"
    assert redirected_slug(db.session, "topic", "feature-store") == "feature-stores"


def test_rename_to_another_terms_slug_is_refused(db):
    make_topic(slug="drift")
    topic = make_topic()
    with pytest.raises(DomainError) as refusal:
        rename_term(db.session, "topic", topic.id, "Drift detection", "drift", None)
    assert (refusal.value.code, refusal.value.field) == ("slug-taken", "slug")


def test_rename_to_a_malformed_slug_is_refused(db):
    topic = make_topic()
    with pytest.raises(DomainError) as refusal:
        rename_term(db.session, "topic", topic.id, "Drift", "Drift Detection!", None)
    assert refusal.value.code == "slug-invalid"


def test_update_saves_description_and_clean_synonyms(db):
    topic = make_topic(name="MLOps")
    update_term(
        db.session,
        "topic",
        topic.id,
        TermChanges("MLOps", "Running ML.", (" ml ops ", "ML Ops", "mlops")),
        None,
    )
    assert topic.description == "Running ML."
    assert topic.synonyms == ["ml ops"]


def test_update_to_another_terms_name_is_refused(db):
    make_topic(name="Drift")
    topic = make_topic()
    with pytest.raises(DomainError) as refusal:
        update_term(db.session, "topic", topic.id, TermChanges("drift"), None)
    assert (refusal.value.code, refusal.value.field) == ("name-taken", "name")


def test_a_new_synonym_is_found_by_search(db, kubernetes):
    course_with_tools(db, "Cluster Ops", kubernetes)
    update_term(db.session, "tool", kubernetes.id, TermChanges("Kubernetes", synonyms=("kates",)), None)
    assert search_titles(db, "kates") == ["Cluster Ops"]


def test_the_online_area_cannot_be_merged(db):
    online, other = make_area(name="Online", slug="online"), make_area()
    with pytest.raises(DomainError) as refusal:
        merge_terms(db.session, "area", online.id, other.id, None)
    assert refusal.value.code == "online-area"


def test_deleting_an_area_with_a_campus_is_refused(db):
    area = make_area()
    make_campus(make_institute(), area)
    with pytest.raises(DomainError) as refusal:
        delete_term(db.session, "area", area.id, None)
    assert (refusal.value.code, refusal.value.params["campuses"]) == ("term-in-use", 1)


def test_renaming_back_to_an_old_slug_makes_it_live_again(db):
    topic = make_topic(name="Feature Store", slug="feature-store")
    rename_term(db.session, "topic", topic.id, "Feature Stores", "feature-stores", None)
    rename_term(db.session, "topic", topic.id, "Feature Store", "feature-store", None)
    assert redirected_slug(db.session, "topic", "feature-store") is None
    assert redirected_slug(db.session, "topic", "feature-stores") == "feature-store"
