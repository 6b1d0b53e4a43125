"""The vocabulary pages: the list of topics, tools and areas with synonyms and course counts, a
term's page that edits, renames, merges and deletes it, and the old addresses that redirect."""

from __future__ import annotations

import pytest

from catalog.models import Role, Tool, Topic
from tests.builders import make_area, make_course, make_tool, make_topic, make_user
from tests.helpers import count_queries, csrf_token


@pytest.fixture
def admin(auth):
    user = make_user(role=Role.ADMIN)
    auth.login(user)
    return user


@pytest.fixture
def mlops(db):
    return make_topic(name="MLOps Foundations", slug="mlops-foundations", synonyms=["ml ops"])


@pytest.fixture
def duplicate(db):
    return make_topic(name="ML Ops Basics", slug="ml-ops-basics", synonyms=["operational ml"])


def term_url(term, kind: str = "topic") -> str:
    return f"/admin/vocabulary/{kind}/{term.id}"


def post(client, term, action: str, data: dict, kind: str = "topic"):
    token = csrf_token(client, term_url(term, kind))
    return client.post(f"{term_url(term, kind)}{action}", data={"csrf_token": token, **data})


def with_courses(db, term, *titles: str) -> None:
    for title in titles:
        course = make_course(title=title)
        course.topics = [term]
    db.session.commit()


def test_the_list_shows_terms_with_synonyms_and_course_counts(client, db, admin, mlops):
    with_courses(db, mlops, "Pipelines in Production", "Serving Models")
    html = client.get("/admin/vocabulary").get_data(as_text=True)
    assert "MLOps Foundations" in html
    assert "ml ops" in html
    assert '<td data-label="Courses">2</td>' in html


def test_the_list_costs_the_same_queries_whatever_its_size(client, db, admin, mlops):
    with count_queries(db) as few:
        client.get("/admin/vocabulary")
    for _ in range(5):
        course = make_course()
        course.topics, course.tools = [make_topic()], [make_tool()]
    db.session.commit()
    with count_queries(db) as many:
        client.get("/admin/vocabulary")
    assert len(many) == len(few)


def test_the_vocabulary_is_in_the_admin_menu(client, admin):
    assert 'href="/admin/vocabulary"' in client.get("/admin/").get_data(as_text=True)


def test_saving_edits_the_description_and_synonyms(client, db, admin, mlops):
    response = post(
        client,
        mlops,
        "",
        {"name": "MLOps Foundations", "description": "Ship ML.", "synonyms": "ml ops\nmlops"},
    )
    assert response.status_code == 302
    db.session.expire_all()
    topic = db.session.get(Topic, mlops.id)
    assert (topic.description, topic.synonyms) == ("Ship ML.", ["ml ops", "mlops"])


def test_saving_another_terms_name_is_refused_with_message(client, admin, mlops, duplicate):
    response = post(client, duplicate, "", {"name": "mlops foundations", "synonyms": ""})
    assert response.status_code == 400
    assert "Another term is already called mlops foundations" in response.get_data(as_text=True)


def test_renaming_redirects_the_old_topic_page_permanently(client, admin, mlops):
    response = post(
        client, mlops, "/rename", {"rename-name": "MLOps Essentials", "rename-slug": "mlops-essentials"}
    )
    assert response.status_code == 302
    old = client.get("/topics/mlops-foundations")
    assert old.status_code == 301
    assert old.headers["Location"].endswith("/topics/mlops-essentials")


def test_renaming_to_a_malformed_slug_is_refused_with_message(client, admin, mlops):
    response = post(client, mlops, "/rename", {"rename-name": "MLOps", "rename-slug": "MLOps Essentials"})
    assert response.status_code == 400
    assert "lower-case letters and digits joined by hyphens" in response.get_data(as_text=True)


def test_merging_sends_the_old_topic_page_to_the_survivor(client, db, admin, mlops, duplicate):
    with_courses(db, duplicate, "Pipelines in Production")
    response = post(client, duplicate, "/merge", {"merge-target": str(mlops.id)})
    assert response.status_code == 302
    old = client.get("/topics/ml-ops-basics")
    assert old.status_code == 301
    assert old.headers["Location"].endswith("/topics/mlops-foundations")
    assert "Pipelines in Production" in client.get("/topics/mlops-foundations").get_data(as_text=True)


def test_a_search_url_with_a_merged_slug_redirects_to_the_survivors(client, db, admin, mlops, duplicate):
    post(client, duplicate, "/merge", {"merge-target": str(mlops.id)})
    response = client.get("/courses?topic=ml-ops-basics&q=pipelines")
    assert response.status_code == 301
    assert "topic=mlops-foundations" in response.headers["Location"]
    assert "q=pipelines" in response.headers["Location"]


def test_after_merging_tools_the_old_and_new_words_find_the_course(client, db, admin):
    kubernetes = make_tool(name="Kubernetes", slug="kubernetes")
    k8s = make_tool(name="K8s", slug="k8s")
    course = make_course(title="Cluster Ops")
    course.tools = [k8s]
    db.session.commit()
    post(client, k8s, "/merge", {"merge-target": str(kubernetes.id)}, kind="tool")
    for word in ("k8s", "kubernetes"):
        assert "Cluster Ops" in client.get(f"/courses?q={word}").get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Tool, kubernetes.id).synonyms == ["K8s"]


def test_merging_without_a_choice_is_refused_with_message(client, admin, mlops):
    response = post(client, mlops, "/merge", {"merge-target": ""})
    assert response.status_code == 400
    assert "Choose the term that stays." in response.get_data(as_text=True)


def test_deleting_a_used_term_is_refused_with_its_course_count(client, db, admin, mlops):
    with_courses(db, mlops, "Pipelines in Production", "Serving Models")
    response = post(client, mlops, "/delete", {})
    assert response.status_code == 302
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Used by 2 courses; merge it into another term instead of deleting it." in html
    assert db.session.get(Topic, mlops.id) is not None


def test_deleting_an_unused_term_removes_it(client, db, admin, mlops):
    response = post(client, mlops, "/delete", {})
    assert response.headers["Location"].endswith("/admin/vocabulary")
    db.session.expire_all()
    assert db.session.get(Topic, mlops.id) is None


def test_an_unknown_kind_of_term_is_not_found(client, admin, mlops):
    assert client.get(f"/admin/vocabulary/colour/{mlops.id}").status_code == 404


def test_an_area_page_has_no_synonyms_to_edit(client, admin):
    area = make_area(name="Gachibowli")
    html = client.get(f"/admin/vocabulary/area/{area.id}").get_data(as_text=True)
    assert "Gachibowli" in html
    assert 'name="synonyms"' not in html
