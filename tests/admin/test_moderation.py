"""The moderation queue's pages: the queue, the marked before/after diff, approve and send back."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from catalog.models import Course, CourseFormat, CourseStatus, InstituteStatus, OutboxMessage, Role
from catalog.services.courses import apply_course
from tests.builders import make_institute, make_topic, make_user
from tests.helpers import changes_of_course, count_queries, course_changes, csrf_token, search_titles


@pytest.fixture
def institute(db):
    return make_institute(name="Deccan MLOps Academy", verified=True)


@pytest.fixture
def staff(institute):
    return make_user(institute)


@pytest.fixture
def admin(auth):
    user = make_user(role=Role.ADMIN)
    auth.login(user)
    return user


@pytest.fixture
def edited(db, staff, institute):
    """A published course whose edit, promising placement, waits for review."""
    course = apply_course(db.session, staff, institute, course_changes(title="Zanzibar Pipelines")).record
    changes = changes_of_course(course, summary="Learn serving. 100% placement assured!")
    return apply_course(db.session, staff, institute, changes, course).record


def page_of(course) -> str:
    return f"/admin/moderation/courses/{course.id}"


def test_the_queue_lists_a_pending_listing_with_its_claim_marked(client, admin, edited):
    html = client.get("/admin/moderation").get_data(as_text=True)
    assert "Zanzibar Pipelines" in html
    assert "<mark>100% placement assured</mark>" in html


def test_the_queue_lists_an_institute_awaiting_approval(client, admin, db):
    make_institute(name="Golconda Cloud Labs", status=InstituteStatus.PENDING, verified=False)
    assert "Golconda Cloud Labs" in client.get("/admin/moderation").get_data(as_text=True)


def test_the_queue_says_where_the_phrase_list_is_edited(client, admin):
    assert "data/claims.yaml" in client.get("/admin/moderation").get_data(as_text=True)


def test_the_queue_costs_the_same_number_of_queries_however_long_it_is(client, admin, db, staff, institute):
    def cost() -> int:
        with count_queries(db) as statements:
            assert client.get("/admin/moderation").status_code == 200
        return len(statements)

    apply_course(db.session, staff, institute, course_changes(title="One", summary="Job guarantee."))
    short = cost()
    for title in ("Two", "Three", "Four"):
        apply_course(db.session, staff, institute, course_changes(title=title, summary="Job guarantee."))
    assert cost() == short


def test_the_course_page_shows_before_and_after_with_the_phrase_marked(client, admin, edited):
    html = client.get(page_of(edited)).get_data(as_text=True)
    assert "<del>Serve and scale models on Kubernetes.</del>" in html
    assert '<ins>Learn serving. <mark title="Claim">100% placement assured</mark>!</ins>' in html


def test_approving_publishes_the_course_and_search_finds_it(client, admin, db, edited):
    token = csrf_token(client, page_of(edited))
    response = client.post(
        f"{page_of(edited)}/approve", data={"csrf_token": token, "version": edited.version}
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Course, edited.id).status == CourseStatus.PUBLISHED
    assert search_titles(db, "zanzibar") == ["Zanzibar Pipelines"]
    assert search_titles(db, "assured") == ["Zanzibar Pipelines"]


def test_while_an_edit_waits_the_public_page_and_search_show_the_approved_listing(client, db, edited):
    html = client.get(f"/courses/{edited.slug}").get_data(as_text=True)
    assert "Serve and scale models on Kubernetes." in html
    assert "100% placement" not in html
    assert search_titles(db, "zanzibar") == ["Zanzibar Pipelines"]
    assert search_titles(db, "assured") == []


def test_the_diff_reads_enum_labels_and_topic_names(client, admin, db, staff, institute):
    topic = make_topic(name="Model Serving", slug="model-serving")
    course = apply_course(db.session, staff, institute, course_changes(title="Labels Course")).record
    changes = changes_of_course(
        course, summary="Job guarantee.", format=CourseFormat.WORKSHOP, topics=(topic.id,)
    )
    apply_course(db.session, staff, institute, changes, course)
    html = client.get(page_of(course)).get_data(as_text=True)
    assert "<ins>Model Serving</ins>" in html
    assert "model-serving" not in html
    assert "<ins>Workshop</ins>" in html


def test_approving_a_version_changed_meanwhile_is_refused_with_a_message(client, admin, db, edited):
    token = csrf_token(client, page_of(edited))
    response = client.post(f"{page_of(edited)}/approve", data={"csrf_token": token, "version": "1"})
    assert response.status_code == 409
    assert "was changed while you were reading it" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Course, edited.id).awaits_review


def test_sending_back_without_a_reason_is_refused_with_a_message(client, admin, edited):
    token = csrf_token(client, page_of(edited))
    response = client.post(
        f"{page_of(edited)}/reject", data={"csrf_token": token, "version": edited.version, "reason": ""}
    )
    assert response.status_code == 400
    assert "Give the reason, so the institute knows what to change." in response.get_data(as_text=True)


def test_sending_back_emails_the_institute_and_its_portal_shows_the_reason(
    client, auth, admin, db, staff, edited
):
    token = csrf_token(client, page_of(edited))
    reason = "Remove “100% placement”: we cannot list guarantees."
    data = {"csrf_token": token, "version": edited.version, "reason": reason}
    assert client.post(f"{page_of(edited)}/reject", data=data).status_code == 302
    assert db.session.scalars(select(OutboxMessage).where(OutboxMessage.kind == "course-rejected")).one()
    auth.logout()
    auth.login(staff)
    html = client.get(f"/portal/courses/{edited.id}/edit").get_data(as_text=True)
    assert "An admin sent your changes back" in html
    assert "Learn serving. 100% placement assured!" in html  # the form holds the held edit
    assert "Remove “100% placement”: we cannot list guarantees." in html


def test_approving_an_institute_from_the_queue_opens_it(client, admin, db):
    waiting = make_institute(name="Golconda Cloud Labs", status=InstituteStatus.PENDING, verified=False)
    token = csrf_token(client, "/admin/moderation")
    response = client.post(f"/admin/moderation/institutes/{waiting.id}/approve", data={"csrf_token": token})
    assert response.status_code == 302
    db.session.expire_all()
    assert waiting.status == InstituteStatus.APPROVED


def test_an_unknown_course_is_not_found(client, admin):
    assert client.get("/admin/moderation/courses/999999").status_code == 404
