"""``/search/suggestions``: the search box's suggestions as JSON, errors as JSON, cached briefly."""

from __future__ import annotations

from catalog.extensions import db as _db
from catalog.search import MAX_PREFIX_CHARS
from tests.builders import make_course, make_institute, make_tool, make_user
from tests.helpers import count_queries

URL = "/search/suggestions"
JSON = {"Accept": "application/json"}


def test_suggestions_answer_the_query_and_a_list_of_label_kind_and_url(client, db):
    tool = make_tool(name="Kubernetes", slug="kubernetes")
    course = make_course(title="Kubernetes Crash Workshop", slug="kcw")
    course.tools = [tool]
    _db.session.commit()
    make_institute(name="Kubernetes Academy", slug="kubernetes-academy")
    response = client.get(URL, query_string={"q": "  Kube "})
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert response.get_json() == {
        "query": "Kube",
        "suggestions": [
            {"label": "Kubernetes", "kind": "tool", "url": "/courses?tool=kubernetes"},
            {"label": "Kubernetes Academy", "kind": "institute", "url": "/institutes/kubernetes-academy"},
            {"label": "Kubernetes Crash Workshop", "kind": "course", "url": "/courses/kcw"},
        ],
    }


def test_a_label_is_sent_as_data_never_as_markup(client, db):
    make_institute(name="<b>Kube</b> & Co")
    [suggestion] = client.get(URL, query_string={"q": "kube"}).get_json()["suggestions"]
    assert suggestion["label"] == "<b>Kube</b> & Co"


def test_text_too_short_answers_an_empty_list(client, db):
    make_institute(name="Kubernetes Academy")
    for text in ("", "k", " k ", "%"):
        response = client.get(URL, query_string={"q": text})
        assert response.status_code == 200
        assert response.get_json()["suggestions"] == []


def test_a_request_without_text_is_refused_with_a_json_error(client, db):
    response = client.get(URL)
    assert response.status_code == 400
    assert response.get_json()["error"]["status"] == 400
    assert "q parameter" in response.get_json()["error"]["detail"]


def test_text_too_long_is_refused_with_a_json_error(client, db):
    response = client.get(URL, query_string={"q": "k" * (MAX_PREFIX_CHARS + 1)})
    assert response.status_code == 400
    assert response.mimetype == "application/json"
    assert str(MAX_PREFIX_CHARS) in response.get_json()["error"]["detail"]


def test_text_holding_control_characters_is_refused_with_a_json_error(client, db):
    response = client.get(URL, query_string={"q": "kube\x00"}, headers=JSON)
    assert response.status_code == 400
    assert response.get_json()["error"]["status"] == 400


def test_a_visitors_answer_may_be_cached_for_a_minute(client, db):
    response = client.get(URL, query_string={"q": "kube"})
    assert response.headers["Cache-Control"] == "public, max-age=60"


def test_a_signed_in_browsers_answer_is_not_cached(client, db, auth):
    auth.login(make_user())
    response = client.get(URL, query_string={"q": "kube"})
    assert response.status_code == 200
    assert "public" not in response.headers["Cache-Control"]
    assert "no-store" in response.headers["Cache-Control"]


def test_an_error_is_not_cached(client, db):
    assert "public" not in client.get(URL).headers.get("Cache-Control", "")


def test_suggestions_cost_a_fixed_number_of_queries(client, db):
    for n in range(10):
        make_institute(name=f"Kube Institute {n}")
        make_course(title=f"Kube Course {n}")
    client.get(URL, query_string={"q": "kube"})
    with count_queries(db) as few:
        client.get(URL, query_string={"q": "kube institute 3"})
    with count_queries(db) as many:
        client.get(URL, query_string={"q": "kube"})
    assert len(few) == len(many) == 2
