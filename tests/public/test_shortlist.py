"""The shortlist: kept in the session, changed only by POST forms with a CSRF token."""

from __future__ import annotations

import pytest

from catalog.models import CourseStatus
from catalog.public.shortlist_store import SHORTLIST_LIMIT
from tests.builders import make_course
from tests.helpers import csrf_token


def shortlist_post(client, action: str, course, next_url: str | None = None, token: str | None = None):
    """Press a shortlist button (the 303 answer; its flashed message is still to be shown)."""
    data = {"csrf_token": token or csrf_token(client, f"/courses/{course.slug}"), "course": str(course.id)}
    if next_url is not None:
        data["next"] = next_url
    return client.post(f"/shortlist/{action}", data=data)


def press(client, action: str, course, **kwargs) -> str:
    """Press a shortlist button and follow it back: the page the learner then sees."""
    response = shortlist_post(client, action, course, **kwargs)
    assert response.status_code == 303
    return client.get(response.headers["Location"]).get_data(as_text=True)


def page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.get_data(as_text=True)


def test_course_page_button_says_add_then_remove(client, db):
    course = make_course(title="Kubeflow Pipelines")
    assert "Add to shortlist" in page(client, f"/courses/{course.slug}")
    press(client, "add", course)
    html = page(client, f"/courses/{course.slug}")
    assert "Remove from shortlist" in html and "Add to shortlist" not in html


def test_search_result_cards_carry_the_shortlist_button(client, db):
    make_course(title="Airflow Pipelines in Practice")
    html = page(client, "/courses?q=airflow")
    assert 'action="/shortlist/add"' in html and "Add to shortlist" in html


def test_added_course_is_listed_on_the_shortlist_page(client, db):
    course = make_course(title="MLflow Tracking Deep Dive")
    response = shortlist_post(client, "add", course)
    assert response.status_code == 303
    html = page(client, "/shortlist")
    assert "MLflow Tracking Deep Dive" in html and "Remove from shortlist" in html


def test_removed_course_leaves_the_shortlist(client, db):
    course = make_course(title="MLflow Tracking Deep Dive")
    press(client, "add", course)
    press(client, "remove", course, next_url="/shortlist")
    html = page(client, "/shortlist")
    assert "MLflow Tracking Deep Dive" not in html and "Your shortlist is empty" in html


def test_header_counts_the_shortlisted_courses(client, db):
    first, second = make_course(), make_course()
    assert '<span class="nav-count">0</span>' in page(client, "/")
    press(client, "add", first)
    press(client, "add", second)
    assert '<span class="nav-count">2</span>' in page(client, "/")


def test_header_count_costs_no_query(client, db):
    from tests.helpers import count_queries

    course = make_course()
    press(client, "add", course)
    with count_queries(db) as statements:
        client.get("/privacy")
    assert not [s for s in statements if "course" in s.lower()]


def test_adding_past_the_cap_is_refused_with_a_message(client, db):
    courses = [make_course() for _ in range(SHORTLIST_LIMIT + 1)]
    for course in courses[:SHORTLIST_LIMIT]:
        press(client, "add", course)
    response = shortlist_post(client, "add", courses[-1], next_url="/shortlist")
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    assert f"Your shortlist is full: it holds {SHORTLIST_LIMIT} courses" in html
    assert f'<span class="nav-count">{SHORTLIST_LIMIT}</span>' in html
    assert f'/courses/{courses[-1].slug}"' not in html.split("</h1>", 1)[1]


def test_archived_course_is_silently_dropped(client, db):
    kept, archived = make_course(title="Kept Course"), make_course(title="Archived Course")
    press(client, "add", kept)
    press(client, "add", archived)
    archived.status = CourseStatus.ARCHIVED
    db.session.commit()
    html = page(client, "/shortlist")
    assert "Kept Course" in html and "Archived Course" not in html
    assert '<span class="nav-count">1</span>' in page(client, "/")


def test_unknown_ids_in_the_session_are_dropped(client, db):
    course = make_course(title="Kept Course")
    with client.session_transaction() as session:
        session["shortlist"] = [course.id, 999_999, "x"]
    html = page(client, "/shortlist")
    assert "Kept Course" in html and "1 course on your shortlist" in html


def test_archived_course_cannot_be_added(client, db):
    course = make_course(status=CourseStatus.ARCHIVED)
    token = csrf_token(client, f"/courses/{make_course().slug}")
    response = shortlist_post(client, "add", course, token=token)
    assert response.status_code == 303
    html = page(client, "/shortlist")
    assert "no longer listed" in html and course.title not in html.split("</h1>", 1)[1]


def test_post_without_csrf_token_is_refused(client, db):
    course = make_course()
    response = client.post("/shortlist/add", data={"course": str(course.id)})
    assert response.status_code == 400
    assert '<span class="nav-count">0</span>' in page(client, "/")


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example/",
        "//evil.example/",
        "/\\evil.example",
        "javascript:alert(1)",
        "http:/evil.example",
    ],
)
def test_redirect_elsewhere_is_refused(client, db, target):
    course = make_course()
    response = shortlist_post(client, "add", course, next_url=target)
    assert response.status_code == 303
    assert response.headers["Location"] == f"/courses/{course.slug}"


def test_redirect_goes_back_to_a_local_page(client, db):
    course = make_course()
    response = shortlist_post(client, "add", course, next_url="/courses?q=airflow&page=2")
    assert response.headers["Location"] == "/courses?q=airflow&page=2"


def test_malformed_course_id_is_a_clear_400(client, db):
    token = csrf_token(client, f"/courses/{make_course().slug}")
    response = client.post("/shortlist/add", data={"csrf_token": token, "course": "abc"})
    assert response.status_code == 400


def test_shortlist_links_to_compare_its_courses(client, db):
    first, second = make_course(slug="first-course"), make_course(slug="second-course")
    press(client, "add", first)
    press(client, "add", second)
    html = page(client, "/shortlist")
    assert 'href="/compare?c=first-course&amp;c=second-course"' in html
    assert "Compare these" in html


def test_a_long_shortlist_offers_to_tick_which_to_compare(client, db):
    courses = [make_course() for _ in range(5)]
    for course in courses:
        press(client, "add", course)
    html = page(client, "/shortlist")
    assert 'id="compare-form" method="get" action="/compare"' in html
    assert html.count('form="compare-form" checked') == 4
    assert f'value="{courses[4].slug}" form="compare-form">' in html
