"""The institute portal's listings: profile, campuses, instructors, courses, batches and events.

Requests go through the test client as a signed-in staff member, with the CSRF token read from
the form page, the way a browser would send them.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from flask import g
from sqlalchemy import func, select

from catalog.models import (
    AuditEntry,
    Batch,
    Campus,
    Course,
    CourseStatus,
    Event,
    Institute,
    Instructor,
    Mode,
    Partner,
)
from catalog.timeutil import local_today
from tests.builders import (
    make_area,
    make_batch,
    make_campus,
    make_course,
    make_event,
    make_institute,
    make_instructor,
    make_topic,
    make_user,
)
from tests.helpers import Auth, count_queries, csrf_token, search_titles
from tests.helpers import course_edit_payload as edit_payload


def as_visitor() -> None:
    """Forget the signed-in user and CSRF token that requests leave in the test's shared ``g``."""
    g.pop("_login_user", None)
    g.pop("csrf_token", None)


def post(client, url: str, data: dict, form_url: str | None = None):
    """POST ``data`` with the CSRF token of the form at ``form_url`` (default: ``url``)."""
    return client.post(url, data={**data, "csrf_token": csrf_token(client, form_url or url)})


def html_of(response) -> str:
    return response.get_data(as_text=True)


def found(db, words: str) -> list[str]:
    """Titles the public search finds for ``words``."""
    return search_titles(db, words)


def course_payload(**overrides) -> dict:
    """A valid new-course form, published unless ``publish=None, save_draft="Save draft"``."""
    data = {
        "title": "Kubernetes for ML Engineers",
        "summary": "Serve and scale models on Kubernetes.",
        "description": "Hands-on **Kubernetes** for model serving.",
        "format": "bootcamp",
        "level": "intermediate",
        "mode": "online",
        "duration_days": "90",
        "total_hours": "120",
        "fee_inr": "85000",
        "languages": ["English"],
        "refund_policy": "Full refund within 7 days of the start.",
        "modules-0-title": "Containers",
        "modules-0-hours": "10",
        "modules-0-outline": "",
        "publish": "Publish",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


@pytest.fixture
def institute(db) -> Institute:
    return make_institute(name="Deccan MLOps Academy", verified=True)


@pytest.fixture
def staff(client, auth, institute):
    """A signed-in staff member of ``institute``."""
    user = make_user(institute, name="Asha Rao")
    auth.login(user)
    return user


# Courses: create, publish, moderation ------------------------------------------------------


def test_new_course_saved_as_draft_keeps_modules_in_row_order_and_ignores_blank_rows(client, db, staff):
    payload = course_payload(
        publish=None,
        save_draft="Save draft",
        **{
            "modules-0-title": "Docker basics",
            "modules-0-hours": "6",
            "modules-1-title": "",
            "modules-1-hours": "",
            "modules-2-title": "Helm charts",
            "modules-2-hours": "4",
            "modules-2-outline": "Packaging a model server.",
            "modules-3-title": "",
        },
    )
    response = post(client, "/portal/courses/new", payload)
    assert response.status_code == 302
    course = db.session.scalar(select(Course))
    assert course.status == CourseStatus.DRAFT
    assert course.slug == "kubernetes-for-ml-engineers"
    assert [(m.position, m.title, m.hours) for m in course.modules] == [
        (1, "Docker basics", 6),
        (2, "Helm charts", 4),
    ]
    assert course.modules[1].outline == "Packaging a model server."
    assert found(db, "kubernetes") == []


def test_new_course_form_shows_three_blank_module_rows(client, staff):
    html = html_of(client.get("/portal/courses/new"))
    assert 'name="modules-2-title"' in html and 'name="modules-3-title"' not in html
    assert "Save draft" in html and 'value="Publish"' in html


def test_web_address_field_shows_until_the_course_is_published(client, db, staff, institute):
    course = make_course(institute=institute, slug="first-draft", status=CourseStatus.DRAFT)
    url = f"/portal/courses/{course.id}/edit"
    assert 'name="slug"' in html_of(client.get(url))
    assert post(client, url, edit_payload(course, slug="k8s-bootcamp")).status_code == 302
    assert 'name="slug"' not in html_of(client.get(url))
    post(client, url, edit_payload(course, slug="renamed", publish=None, save_draft="Save draft"))
    assert 'name="slug"' not in html_of(client.get(url))


def test_a_taken_or_malformed_web_address_is_refused_with_message(client, db, staff, institute):
    course = make_course(institute=institute, slug="first-draft", status=CourseStatus.DRAFT)
    make_course(slug="taken")
    url = f"/portal/courses/{course.id}/edit"
    draft = {"publish": None, "save_draft": "Save draft"}
    taken = post(client, url, edit_payload(course, slug="taken", **draft))
    assert "Another course already uses this web address; choose another." in html_of(taken)
    malformed = post(client, url, edit_payload(course, slug="k8s bootcamp!", **draft))
    assert "Use only lower-case letters, digits and single hyphens" in html_of(malformed)


def test_verified_institute_is_told_its_course_is_published(client, db, staff):
    response = post(client, "/portal/courses/new", course_payload(title="Zanzibar Pipelines"))
    assert response.status_code == 302
    follow = client.get(response.headers["Location"])
    assert "is published and appears in the catalog" in html_of(follow)


def test_unverified_institute_is_told_its_course_waits_for_review(client, db, auth):
    auth.login(make_user(make_institute(verified=False)))
    response = post(client, "/portal/courses/new", course_payload(title="Zanzibar Pipelines"))
    follow = html_of(client.get(response.headers["Location"]))
    assert "an admin checks it before it appears in the catalog" in follow


def test_a_guarantee_claim_is_told_it_is_held_for_review(client, db, staff):
    response = post(client, "/portal/courses/new", course_payload(summary="100% placement guaranteed."))
    follow = html_of(client.get(response.headers["Location"]))
    assert "held for review" in follow


def test_a_published_courses_claiming_edit_waits_and_staff_keep_working_on_it(client, db, staff, institute):
    course = make_course(institute=institute, title="Drift Watch")
    url = f"/portal/courses/{course.id}/edit"
    response = post(client, url, edit_payload(course, summary="Assured job in 90 days."), url)
    follow = html_of(client.get(response.headers["Location"]))
    assert "The catalog keeps showing the listing as it was approved" in follow
    assert "Changes waiting for review" in follow
    page = html_of(client.get(url))
    assert "Your changes wait for review." in page
    assert "Assured job in 90 days." in page  # the form holds the held edit, not the live listing
    db.session.expire_all()
    assert course.status == CourseStatus.PUBLISHED
    assert "Assured job" not in html_of(client.get(f"/courses/{course.slug}"))


def test_course_form_offers_only_the_institutes_own_campuses(client, db, staff, institute):
    area = make_area(name="Madhapur")
    own_campus = make_campus(institute, area)
    other_campus = make_campus(make_institute(), area)
    assert (
        post(client, "/portal/courses/new", course_payload(campuses=[str(own_campus.id)])).status_code == 302
    )
    refused = post(client, "/portal/courses/new", course_payload(campuses=[str(other_campus.id)]))
    assert refused.status_code == 200 and "not a valid choice" in html_of(refused)


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"title": ""}, "Enter the course title."),
        ({"summary": "x" * 301}, "Keep the summary to 300 characters or fewer."),
        ({"format": ""}, "Choose a format."),
        ({"duration_days": "0"}, "Enter a duration from 1 to 1000 days."),
        ({"total_hours": ""}, "Enter the total hours of teaching."),
        ({"fee_inr": "-1"}, "The fee cannot be negative."),
        ({"fee_inr": ""}, "Enter the fee in rupees (0 for a free course)."),
        ({"languages": None}, "Choose at least one language."),
        (
            {"certification_name": "CKA"},
            "Give both the certificate name and its issuer, or leave both empty.",
        ),
        (
            {"certification_issuer": "CNCF"},
            "Give both the certificate name and its issuer, or leave both empty.",
        ),
        ({"refund_policy": "  "}, "State the refund policy: learners see it before they enquire."),
        ({"placement_rate": "80"}, "Tick placement support to give placement figures, or clear the figures."),
        (
            {"placement_support": "y", "placement_rate": "80", "placement_year": "2025"},
            "Give the placement rate, its year and the cohort size together, or none of them.",
        ),
        (
            {
                "placement_support": "y",
                "placement_rate": "120",
                "placement_year": "2025",
                "placement_cohort_size": "40",
            },
            "Enter the rate as a percentage from 0 to 100.",
        ),
        (
            # Weeks ahead, not tomorrow: parameters are made when the suite is collected, and
            # midnight in India may pass before this test runs.
            {"syllabus_reviewed_on": (local_today() + timedelta(days=30)).isoformat()},
            "cannot be in the future",
        ),
        ({"modules-1-hours": "5"}, "Module row 2, Module title: Give the module a title, or clear the row."),
    ],
)
def test_course_form_refuses_with_message(client, db, staff, overrides, message):
    response = post(client, "/portal/courses/new", course_payload(**overrides))
    assert response.status_code == 200
    assert message in html_of(response)
    assert 'id="error-summary"' in html_of(response)
    assert db.session.scalar(select(func.count(Course.id))) == 0


def test_placement_figures_with_support_are_saved(client, db, staff):
    payload = course_payload(
        placement_support="y", placement_rate="72", placement_year="2025", placement_cohort_size="48"
    )
    assert post(client, "/portal/courses/new", payload).status_code == 302
    course = db.session.scalar(select(Course))
    assert (course.placement_rate, course.placement_year, course.placement_cohort_size) == (72, 2025, 48)


# Courses: edit, audit, search index, archive ----------------------------------------------------


def test_textarea_line_breaks_from_browsers_are_not_a_change(client, db, staff, institute):
    course = make_course(institute=institute, description="First paragraph.\n\nSecond paragraph.")
    payload = edit_payload(course, description="First paragraph.\r\n\r\nSecond paragraph.", fee_inr="1")
    assert post(client, f"/portal/courses/{course.id}/edit", payload).status_code == 302
    entry = db.session.scalar(select(AuditEntry))
    assert "description" not in entry.changes


def test_modules_can_be_removed_and_reordered_rows_keep_their_order(client, db, staff, institute):
    course = make_course(institute=institute, modules=[("One", 1), ("Two", 2), ("Three", 3)])
    payload = edit_payload(
        course,
        **{
            "modules-0-remove": "y",
            "modules-1-title": "Two, revised",
            "modules-3-title": "Four",
            "modules-3-hours": "4",
        },
    )
    assert post(client, f"/portal/courses/{course.id}/edit", payload).status_code == 302
    db.session.expire_all()
    assert [(m.position, m.title, m.hours) for m in course.modules] == [
        (1, "Two, revised", 2),
        (2, "Three", 3),
        (3, "Four", 4),
    ]


def test_an_archived_course_is_listed_with_restore_instead_of_edit(client, db, staff, institute):
    course = make_course(institute=institute, title="Observability with Prometheus")
    response = post(client, f"/portal/courses/{course.id}/archive", {}, form_url="/portal/courses")
    assert response.status_code == 302
    follow = html_of(client.get(response.headers["Location"]))
    assert "is archived and no longer appears in the catalog" in follow
    assert "Restore to draft" in follow
    post(client, f"/portal/courses/{course.id}/restore", {}, form_url="/portal/courses")
    assert "is restored as a draft" in html_of(client.get("/portal/courses"))


def test_editing_an_archived_course_sends_staff_back_to_the_list(client, db, staff, institute):
    course = make_course(institute=institute, title="Retired", status=CourseStatus.ARCHIVED)
    response = client.get(f"/portal/courses/{course.id}/edit")
    assert response.headers["Location"].endswith("/portal/courses")
    assert "“Retired” is archived. Restore it to draft to edit it." in html_of(client.get("/portal/courses"))


def test_course_list_shows_status_badges_and_next_batch(client, staff, institute):
    course = make_course(institute=institute, title="Listed Course")
    make_batch(course, starts_in_days=12, seats_left=7)
    make_course(institute=institute, title="Drafted", status=CourseStatus.DRAFT)
    html = html_of(client.get("/portal/courses"))
    assert 'class="status status-published"' in html and 'class="status status-draft"' in html
    assert (local_today() + timedelta(days=12)).strftime("%-d %b %Y") in html
    assert "7 seats left" in html


def test_course_list_costs_the_same_queries_for_more_courses(client, db, staff, institute):
    make_batch(make_course(institute=institute))
    client.get("/portal/courses")
    with count_queries(db) as few:
        client.get("/portal/courses")
    for _ in range(4):
        make_batch(make_course(institute=institute))
    client.get("/portal/courses")
    with count_queries(db) as many:
        client.get("/portal/courses")
    assert len(many) == len(few)


# Concurrent edits ------------------------------------------------------------------------------


def test_second_save_from_an_older_form_is_refused_and_the_first_kept(app, client, db, institute):
    course = make_course(institute=institute, title="Model Monitoring")
    url = f"/portal/courses/{course.id}/edit"
    first, second = client, app.test_client()
    Auth(first).login(make_user(institute, name="Asha"))
    Auth(second).login(make_user(institute, name="Vikram"))

    as_visitor()
    first_form = edit_payload(
        course, title="Model Monitoring with Evidently", csrf_token=csrf_token(first, url)
    )
    as_visitor()
    second_form = edit_payload(course, title="Monitoring Models", csrf_token=csrf_token(second, url))

    as_visitor()
    assert first.post(url, data=first_form).status_code == 302
    as_visitor()
    refused = second.post(url, data=second_form)

    assert refused.status_code == 409
    html = html_of(refused)
    assert "Someone else saved this course while you were editing. Nothing was overwritten" in html
    assert "Asha" in html and "Model Monitoring with Evidently" in html
    db.session.expire_all()
    assert course.title == "Model Monitoring with Evidently"
    assert f'name="version" type="hidden" value="{course.version}"' in html


def test_post_without_csrf_token_is_refused_and_changes_nothing(client, db, staff, institute):
    course = make_course(institute=institute, title="Unchanged")
    response = client.post(f"/portal/courses/{course.id}/edit", data=edit_payload(course, title="Changed"))
    assert response.status_code == 400
    archive = client.post(f"/portal/courses/{course.id}/archive")
    assert archive.status_code == 400
    db.session.expire_all()
    assert (course.title, course.status) == ("Unchanged", CourseStatus.PUBLISHED)
    assert db.session.scalar(select(func.count(AuditEntry.id))) == 0


# Profile, partners and campuses -------------------------------------------------------------------


def profile_payload(**overrides) -> dict:
    data = {
        "name": "Deccan MLOps Academy",
        "description": "Evening and weekend MLOps programs.",
        "website": "https://deccan.example.in",
        "email": "hello@deccan.example.in",
        "phone": "040 2373 4418",
        "founded_year": "2016",
        "partners": "CloudWorks\n\nDataForge\ncloudworks\n",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def test_profile_saves_details_and_partners_one_per_line(client, db, staff, institute):
    response = post(client, "/portal/profile", profile_payload())
    assert response.status_code == 302
    db.session.expire_all()
    assert institute.website == "https://deccan.example.in"
    assert institute.founded_year == 2016
    assert [partner.name for partner in institute.partners] == ["CloudWorks", "DataForge"]
    assert "Profile saved." in html_of(client.get(response.headers["Location"]))


def test_profile_phone_is_stored_in_e164_and_shown_formatted(client, db, staff, institute):
    post(client, "/portal/profile", profile_payload(phone="040 2373 4418"))
    db.session.expire_all()
    assert institute.phone == "+914023734418"
    assert 'value="+91 40 2373 4418"' in html_of(client.get("/portal/profile"))


def test_profile_cannot_change_slug_status_or_verified_mark(client, db, auth):
    institute = make_institute(slug="deccan", verified=False)
    auth.login(make_user(institute))
    post(client, "/portal/profile", profile_payload(slug="taken-over", verified="y", status="suspended"))
    db.session.expire_all()
    assert (institute.slug, institute.verified, institute.status.value) == ("deccan", False, "approved")


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"name": ""}, "Enter the institute&#39;s name."),
        ({"website": "javascript:alert(1)"}, "Enter a web address that starts with https:// or http://."),
        ({"website": "ftp://deccan.example.in"}, "Enter a web address that starts with https:// or http://."),
        ({"email": "not-an-email"}, "Enter an email address like name@example.in."),
        ({"phone": "12"}, "Enter a phone number with its area code"),
        ({"founded_year": "1850"}, "Enter a year between 1900 and"),
        ({"partners": "x" * 161}, "Keep each partner&#39;s name to 160 characters."),
    ],
)
def test_profile_form_refuses_with_message(client, db, staff, institute, overrides, message):
    response = post(client, "/portal/profile", profile_payload(**overrides))
    assert response.status_code == 200 and message in html_of(response)
    db.session.expire_all()
    assert institute.name == "Deccan MLOps Academy" and institute.website is None


def test_campus_add_edit_and_delete(client, db, staff, institute):
    madhapur, kondapur = make_area(name="Madhapur"), make_area(name="Kondapur")
    response = post(
        client, "/portal/campuses/new", {"area": str(madhapur.id), "address": "Plot 7, Ayyappa Society"}
    )
    assert response.status_code == 302
    assert "Campus in Madhapur saved." in html_of(client.get(response.headers["Location"]))
    campus = db.session.scalar(select(Campus))
    post(
        client,
        f"/portal/campuses/{campus.id}/edit",
        {"area": str(kondapur.id), "address": "Botanical Garden Rd"},
    )
    assert "Botanical Garden Rd" in html_of(client.get("/portal/profile"))
    response = post(client, f"/portal/campuses/{campus.id}/delete", {}, form_url="/portal/profile")
    assert "Campus in Kondapur deleted." in html_of(client.get(response.headers["Location"]))
    assert db.session.scalar(select(func.count(Campus.id))) == 0


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        ({"area": "", "address": "Plot 7"}, "Choose the area."),
        ({"address": ""}, "Enter the campus address."),
    ],
)
def test_campus_form_refuses_with_message(client, db, staff, payload, message):
    area = make_area()
    response = post(client, "/portal/campuses/new", {"area": str(area.id), **payload})
    assert response.status_code == 200 and message in html_of(response)
    assert db.session.scalar(select(func.count(Campus.id))) == 0


def test_second_campus_in_the_same_area_is_refused(client, db, staff, institute):
    area = make_area(name="Gachibowli")
    make_campus(institute, area)
    response = post(client, "/portal/campuses/new", {"area": str(area.id), "address": "Another road"})
    assert "You already have a campus in Gachibowli" in html_of(response)
    assert db.session.scalar(select(func.count(Campus.id))) == 1


def test_campus_with_an_upcoming_batch_cannot_be_deleted(client, db, staff, institute):
    campus = make_campus(institute, make_area())
    course = make_course(institute=institute, campuses=[campus])
    make_batch(course, starts_in_days=20, campus=campus)
    response = post(client, f"/portal/campuses/{campus.id}/delete", {}, form_url="/portal/profile")
    message = html_of(client.get(response.headers["Location"]))
    assert "meet at this campus. Move them to another campus or close them first." in message
    assert db.session.get(Campus, campus.id) is not None


def test_edit_forms_show_the_stored_values(client, db, staff, institute):
    madhapur = make_area(name="Madhapur")
    campus = make_campus(institute, madhapur, address="Plot 9")
    db.session.add_all(
        [Partner(institute=institute, name="CloudWorks"), Partner(institute=institute, name="DataForge")]
    )
    db.session.commit()
    batch = make_batch(make_course(institute=institute), campus=campus, mode=Mode.HYBRID)
    assert "CloudWorks\nDataForge</textarea>" in html_of(client.get("/portal/profile"))
    assert f'selected value="{madhapur.id}"' in html_of(client.get(f"/portal/campuses/{campus.id}/edit"))
    batch_form = html_of(client.get(f"/portal/batches/{batch.id}/edit"))
    assert f'selected value="{campus.id}"' in batch_form and 'selected value="hybrid"' in batch_form


# Instructors ------------------------------------------------------------------------------------


def test_instructor_add_and_edit(client, db, staff, institute):
    payload = {
        "name": "Lakshmi Iyer",
        "years_experience": "12",
        "industry_background": "Payments SRE",
        "bio": "Ran ML.",
    }
    assert post(client, "/portal/instructors/new", payload).status_code == 302
    person = db.session.scalar(select(Instructor))
    assert (person.institute_id, person.years_experience) == (institute.id, 12)
    post(client, f"/portal/instructors/{person.id}/edit", {**payload, "years_experience": "13"})
    db.session.expire_all()
    assert person.years_experience == 13
    assert "Lakshmi Iyer" in html_of(client.get("/portal/instructors"))


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"name": ""}, "Enter the instructor&#39;s name."),
        ({"years_experience": "61"}, "Enter the years of experience as a number from 0 to 60."),
        ({"years_experience": "-1"}, "Enter the years of experience as a number from 0 to 60."),
        ({"years_experience": ""}, "Enter the years of experience (0 to 60)."),
    ],
)
def test_instructor_form_refuses_with_message(client, db, staff, overrides, message):
    response = post(client, "/portal/instructors/new", {"name": "Ravi", "years_experience": "5", **overrides})
    assert response.status_code == 200 and message in html_of(response)
    assert db.session.scalar(select(func.count(Instructor.id))) == 0


def test_duplicate_instructor_name_is_refused(client, db, staff, institute):
    make_instructor(institute, name="Ravi Kumar")
    response = post(client, "/portal/instructors/new", {"name": "Ravi Kumar", "years_experience": "5"})
    assert "You already have an instructor named Ravi Kumar." in html_of(response)


def test_instructor_teaching_a_course_cannot_be_deleted_and_the_page_says_why(client, db, staff, institute):
    person = make_instructor(institute, name="Ravi Kumar")
    make_course(institute=institute, title="GitOps for ML", instructors=[person])
    response = post(client, f"/portal/instructors/{person.id}/delete", {}, form_url="/portal/instructors")
    message = html_of(client.get(response.headers["Location"]))
    assert "Ravi Kumar cannot be deleted while assigned to “GitOps for ML”" in message
    assert db.session.get(Instructor, person.id) is not None


# Batches ----------------------------------------------------------------------------------------


def batch_payload(**overrides) -> dict:
    data = {
        "start_date": (local_today() + timedelta(days=30)).isoformat(),
        "schedule": "weekend",
        "mode": "online",
        "campus": "",
        "seats_total": "30",
        "seats_left": "",
    }
    data.update(overrides)
    return data


def test_a_new_batch_is_listed_with_its_start_date(client, db, staff, institute):
    course = make_course(institute=institute, mode=Mode.ONLINE)
    response = post(client, f"/portal/courses/{course.id}/batches/new", batch_payload())
    assert response.status_code == 302
    when = (local_today() + timedelta(days=30)).strftime("%-d %b %Y")
    follow = html_of(client.get(response.headers["Location"]))
    assert f"Batch starting {when} saved." in follow
    assert when in html_of(client.get(f"/portal/courses/{course.id}/batches"))


def test_a_full_batch_and_closing_a_batch_are_explained(client, db, staff, institute):
    campus = make_campus(institute, make_area())
    batch = make_batch(make_course(institute=institute), campus=campus)
    url = f"/portal/batches/{batch.id}/edit"
    response = post(client, url, batch_payload(mode="classroom", campus=str(campus.id), seats_left="0"))
    assert "With no seats left, it shows as full." in html_of(client.get(response.headers["Location"]))
    response = post(client, f"/portal/batches/{batch.id}/close", {}, form_url=url)
    assert "learners can no longer ask about it" in html_of(client.get(response.headers["Location"]))


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        (
            {"start_date": (local_today() - timedelta(days=1)).isoformat()},
            "A new batch cannot start in the past.",
        ),
        ({"start_date": ""}, "Enter the start date."),
        ({"mode": "classroom"}, "Choose the campus where a classroom or hybrid batch meets."),
        ({"mode": "hybrid"}, "Choose the campus where a classroom or hybrid batch meets."),
        ({"seats_total": "0"}, "Enter a number of seats from 1 to 10000."),
        ({"seats_left": "31"}, "Seats left cannot be more than the seats in total."),
        ({"seats_left": "-1"}, "Seats left cannot be negative."),
        ({"schedule": ""}, "Choose a schedule."),
    ],
)
def test_batch_form_refuses_with_message(client, db, staff, institute, overrides, message):
    course = make_course(institute=institute)
    response = post(client, f"/portal/courses/{course.id}/batches/new", batch_payload(**overrides))
    assert response.status_code == 200 and message in html_of(response)
    assert db.session.scalar(select(func.count(Batch.id))) == 0


def test_batch_cannot_meet_at_another_institutes_campus(client, db, staff, institute):
    course = make_course(institute=institute)
    foreign = make_campus(make_institute(), make_area())
    payload = batch_payload(mode="classroom", campus=str(foreign.id))
    response = post(client, f"/portal/courses/{course.id}/batches/new", payload)
    assert response.status_code == 200 and "Not a valid choice" in html_of(response)
    assert db.session.scalar(select(func.count(Batch.id))) == 0


def test_editing_a_started_batch_keeps_its_past_date(client, db, staff, institute):
    batch = make_batch(make_course(institute=institute), starts_in_days=-3)
    url = f"/portal/batches/{batch.id}/edit"
    response = post(client, url, batch_payload(start_date=batch.start_date.isoformat(), seats_left="2"))
    assert response.status_code == 302


# Events -----------------------------------------------------------------------------------------


def event_payload(area_id: int, **overrides) -> dict:
    day = (local_today() + timedelta(days=14)).isoformat()
    data = {
        "title": "MLflow Meetup",
        "kind": "meetup",
        "description": "Talks and pizza.",
        "starts_on": day,
        "starts_time": "18:30",
        "ends_on": "",
        "ends_time": "21:00",
        "venue": "T-Hub, Raidurg",
        "area": str(area_id),
        "fee_inr": "0",
        "url": "https://meetup.example.in/mlflow",
    }
    data.update(overrides)
    return data


def test_event_times_are_entered_in_ist_and_stored_in_utc(client, db, staff, institute):
    area, topic = make_area(name="Online", slug="online"), make_topic(name="Experiment tracking")
    response = post(client, "/portal/events/new", event_payload(area.id, topics=[str(topic.id)]))
    assert response.status_code == 302
    assert "“MLflow Meetup” saved." in html_of(client.get(response.headers["Location"]))
    event = db.session.scalar(select(Event))
    day = local_today() + timedelta(days=14)
    assert event.starts_at == datetime(day.year, day.month, day.day, 13, 0, tzinfo=UTC)
    assert event.ends_at == datetime(day.year, day.month, day.day, 15, 30, tzinfo=UTC)
    assert event.topics == [topic] and event.is_online
    edit = html_of(client.get(f"/portal/events/{event.id}/edit"))
    assert 'value="18:30"' in edit and 'value="21:00"' in edit


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"title": ""}, "Enter the event&#39;s title."),
        ({"ends_time": "18:00"}, "The event must end after it starts."),
        ({"ends_time": "18:30"}, "The event must end after it starts."),
        ({"url": "javascript:alert(1)"}, "Enter a web address that starts with https:// or http://."),
        ({"fee_inr": "-5"}, "Enter a fee from 0 to 1000000 rupees."),
        ({"area": ""}, "Choose the area, or Online."),
        ({"starts_time": ""}, "Enter the start time."),
        ({"venue": ""}, "Enter the venue, or the platform for an online event."),
    ],
)
def test_event_form_refuses_with_message(client, db, staff, overrides, message):
    response = post(client, "/portal/events/new", event_payload(make_area().id, **overrides))
    assert response.status_code == 200 and message in html_of(response)
    assert db.session.scalar(select(func.count(Event.id))) == 0


def test_event_on_several_days_and_delete(client, db, staff, institute):
    day = local_today() + timedelta(days=14)
    payload = event_payload(make_area().id, ends_on=(day + timedelta(days=1)).isoformat(), ends_time="17:00")
    post(client, "/portal/events/new", payload)
    event = db.session.scalar(select(Event))
    assert event.ends_at - event.starts_at == timedelta(hours=22, minutes=30)
    response = post(client, f"/portal/events/{event.id}/delete", {}, form_url="/portal/events")
    assert "“MLflow Meetup” deleted." in html_of(client.get(response.headers["Location"]))
    assert db.session.scalar(select(func.count(Event.id))) == 0


# Another institute's records --------------------------------------------------------------------


@pytest.fixture
def records_of_a(db):
    """Institute A with one record of every kind the portal edits."""
    institute = make_institute(name="Institute A")
    campus = make_campus(institute, make_area())
    instructor = make_instructor(institute, name="A's Instructor")
    course = make_course(institute=institute, title="A's Course", campuses=[campus], instructors=[instructor])
    batch = make_batch(course, campus=campus)
    event = make_event(title="A's Event", institute=institute)
    return {
        "course": course.id,
        "batch": batch.id,
        "event": event.id,
        "instructor": instructor.id,
        "campus": campus.id,
    }


def state_of_a(db) -> list:
    db.session.expire_all()
    return [
        db.session.execute(select(Course.title, Course.status, Course.version)).all(),
        db.session.execute(select(Batch.seats_left, Batch.status, Batch.start_date)).all(),
        db.session.execute(select(Event.title, Event.starts_at)).all(),
        db.session.execute(select(Instructor.name, Instructor.years_experience)).all(),
        db.session.execute(select(Campus.address, Campus.area_id)).all(),
        db.session.scalar(select(func.count(AuditEntry.id))),
    ]


A_ROUTES = [
    ("GET", "/portal/courses/{course}/edit"),
    ("POST", "/portal/courses/{course}/edit"),
    ("POST", "/portal/courses/{course}/archive"),
    ("POST", "/portal/courses/{course}/restore"),
    ("GET", "/portal/courses/{course}/batches"),
    ("GET", "/portal/courses/{course}/batches/new"),
    ("POST", "/portal/courses/{course}/batches/new"),
    ("GET", "/portal/batches/{batch}/edit"),
    ("POST", "/portal/batches/{batch}/edit"),
    ("POST", "/portal/batches/{batch}/close"),
    ("GET", "/portal/events/{event}/edit"),
    ("POST", "/portal/events/{event}/edit"),
    ("POST", "/portal/events/{event}/delete"),
    ("GET", "/portal/instructors/{instructor}/edit"),
    ("POST", "/portal/instructors/{instructor}/edit"),
    ("POST", "/portal/instructors/{instructor}/delete"),
    ("GET", "/portal/campuses/{campus}/edit"),
    ("POST", "/portal/campuses/{campus}/edit"),
    ("POST", "/portal/campuses/{campus}/delete"),
]


@pytest.mark.parametrize(("method", "route"), A_ROUTES, ids=[f"{m} {r}" for m, r in A_ROUTES])
def test_staff_of_another_institute_get_404_and_change_nothing(client, db, auth, records_of_a, method, route):
    auth.login(make_user(make_institute(name="Institute B")))
    url = route.format(**records_of_a)
    before = state_of_a(db)
    if method == "GET":
        response = client.get(url)
    else:
        data = {"title": "Taken over", "name": "Taken over", "seats_total": "1", "seats_left": "0"}
        response = post(client, url, data, form_url="/portal/courses")
    assert response.status_code == 404
    assert "A&#39;s" not in html_of(response) and "A's" not in html_of(response)
    assert state_of_a(db) == before


def test_anonymous_visitor_is_sent_to_sign_in(client, records_of_a):
    response = client.get(f"/portal/courses/{records_of_a['course']}/edit")
    assert response.status_code == 302 and "/portal/login" in response.headers["Location"]
