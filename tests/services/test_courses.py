"""The course service: moderation, web addresses, versions, choices, archive and the audit log."""

from __future__ import annotations

import json
from datetime import date

import pytest
from sqlalchemy import select, update

from catalog.models import AuditEntry, Course, CourseStatus, Role
from catalog.services.course_changes import ModuleRow, decode_changes, encode_changes
from catalog.services.course_listing import held_listing
from catalog.services.courses import apply_course, archive_course, restore_course, slug_editable
from catalog.services.errors import DomainError, EditConflict
from catalog.services.moderation import approve_course, reject_course
from catalog.services.vocabulary import merge_terms
from tests.builders import (
    make_area,
    make_campus,
    make_course,
    make_institute,
    make_instructor,
    make_tool,
    make_topic,
    make_user,
)
from tests.helpers import changes_of_course, course_changes, search_titles


@pytest.fixture
def institute(db):
    return make_institute(name="Deccan MLOps Academy", verified=True)


@pytest.fixture
def staff(institute):
    return make_user(institute, name="Asha Rao")


def test_verified_institute_publishes_directly_and_search_finds_it(db, staff, institute):
    outcome = apply_course(db.session, staff, institute, course_changes(title="Zanzibar Pipelines"))
    assert outcome.code == "course-published"
    assert db.session.scalar(select(Course.status)) == CourseStatus.PUBLISHED
    assert search_titles(db, "zanzibar") == ["Zanzibar Pipelines"]


def test_unverified_institutes_course_waits_for_review(db):
    institute = make_institute(verified=False)
    outcome = apply_course(
        db.session, make_user(institute), institute, course_changes(title="Zanzibar Pipelines")
    )
    assert outcome.code == "course-held-for-review"
    assert db.session.scalar(select(Course.status)) == CourseStatus.PENDING
    assert search_titles(db, "zanzibar") == []


def test_a_reviewed_change_publishes_an_unverified_institutes_course(db):
    institute = make_institute(verified=False)
    outcome = apply_course(db.session, None, institute, course_changes(), reviewed=True)
    assert (outcome.code, outcome.record.status) == ("course-published", CourseStatus.PUBLISHED)


def test_an_unverified_institutes_edit_of_a_published_course_waits_while_the_listing_stays(db):
    institute = make_institute(verified=False)
    course = make_course(institute=institute, title="Feature Stores")
    changes = changes_of_course(course, title="Feature Stores in Practice")
    outcome = apply_course(db.session, make_user(institute), institute, changes, course)
    db.session.expire_all()
    assert outcome.code == "course-edit-held-for-review"
    assert course.status == CourseStatus.PUBLISHED
    assert course.title == "Feature Stores"
    assert course.awaits_review
    assert search_titles(db, "feature") == ["Feature Stores"]
    assert held_listing(db.session, course).title == "Feature Stores in Practice"


def test_a_published_course_stays_live_as_approved_while_a_claiming_edit_waits(db, staff, institute):
    course = apply_course(db.session, staff, institute, course_changes(title="Drift Watch")).record
    changes = changes_of_course(course, summary="Job guarantee for all.", fee_inr=99_000)
    outcome = apply_course(db.session, staff, institute, changes, course)
    db.session.expire_all()
    assert outcome.code == "course-edit-held-for-claim"
    assert (course.status, course.summary) == (
        CourseStatus.PUBLISHED,
        "Serve and scale models on Kubernetes.",
    )
    assert course.fee_inr != 99_000
    assert search_titles(db, "drift") == ["Drift Watch"]
    assert search_titles(db, "guarantee") == []
    entry = db.session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
    assert entry.changes["fee_inr"][1] == 99_000
    assert "edit held for review" in entry.summary


def test_approving_a_held_edit_puts_it_on_the_live_listing(db, staff, institute):
    admin = make_user(role=Role.ADMIN)
    course = apply_course(db.session, staff, institute, course_changes(title="Drift Watch")).record
    changes = changes_of_course(course, summary="Assured job after the course.", fee_inr=42_000)
    apply_course(db.session, staff, institute, changes, course)
    approve_course(db.session, admin, course, course.version)
    db.session.expire_all()
    assert (course.summary, course.fee_inr, course.held_changes) == (
        "Assured job after the course.",
        42_000,
        None,
    )
    assert course.approved_snapshot["fee_inr"] == 42_000
    assert search_titles(db, "assured") == ["Drift Watch"]


def test_sending_a_held_edit_back_keeps_the_listing_live_and_the_edit_for_staff(db, staff, institute):
    admin = make_user(role=Role.ADMIN)
    course = apply_course(db.session, staff, institute, course_changes(title="Drift Watch")).record
    apply_course(db.session, staff, institute, changes_of_course(course, summary="Job guarantee."), course)
    reject_course(db.session, admin, course, course.version, "No guarantees, please.")
    db.session.expire_all()
    assert course.status == CourseStatus.PUBLISHED and not course.awaits_review
    assert held_listing(db.session, course).summary == "Job guarantee."
    assert search_titles(db, "drift") == ["Drift Watch"]
    fixed = changes_of_course(
        held_listing(db.session, course), summary="Placement support with mock interviews."
    )
    outcome = apply_course(db.session, staff, institute, fixed, course)
    db.session.expire_all()
    assert outcome.code == "course-published"
    assert (course.summary, course.held_changes, course.rejection_reason) == (
        "Placement support with mock interviews.",
        None,
        None,
    )


def test_a_held_edit_naming_another_institutes_campus_is_refused_at_once(db, staff, institute):
    course = apply_course(db.session, staff, institute, course_changes(title="Drift Watch")).record
    other = make_campus(make_institute(name="Other Academy"), make_area())
    changes = changes_of_course(course, summary="Job guarantee.", campuses=(other.id,))
    with pytest.raises(DomainError):
        apply_course(db.session, staff, institute, changes, course)
    db.session.expire_all()
    assert course.held_changes is None


def test_archiving_drops_a_held_edit(db, staff, institute):
    course = apply_course(db.session, staff, institute, course_changes(title="Drift Watch")).record
    apply_course(db.session, staff, institute, changes_of_course(course, summary="Job guarantee."), course)
    archive_course(db.session, staff, course)
    db.session.expire_all()
    assert course.held_changes is None and not course.awaits_review


def test_held_changes_read_back_as_they_were_saved():
    changes = course_changes(
        title="Round Trip",
        syllabus_reviewed_on=date(2026, 5, 1),
        topics=(3, 1),
        modules=(ModuleRow("Intro", 4, "Why"),),
    )
    assert decode_changes(json.loads(json.dumps(encode_changes(changes)))) == changes


@pytest.mark.parametrize(
    ("field", "text"),
    [
        ("title", "MLOps Bootcamp with 100% Placement"),
        ("summary", "Guaranteed job at a top product company."),
        ("description", "Our PLACEMENT GUARANTEE covers every learner."),
        ("summary", "We guarantee placement after the course."),
    ],
)
def test_guarantee_claims_are_held_for_review_even_when_verified(db, staff, institute, field, text):
    outcome = apply_course(db.session, staff, institute, course_changes(**{field: text}))
    assert outcome.code == "course-held-for-claim"
    assert db.session.scalar(select(Course.status)) == CourseStatus.PENDING


def test_guarantee_claims_are_held_even_when_the_change_is_reviewed(db, institute):
    changes = course_changes(summary="100% placement for every learner.")
    assert (
        apply_course(db.session, None, institute, changes, reviewed=True).record.status
        == CourseStatus.PENDING
    )


def test_a_claim_in_a_module_outline_is_held_for_review(db, staff, institute):
    modules = (ModuleRow("Capstone", 10, "Finish with a naukri pakki offer."),)
    outcome = apply_course(db.session, staff, institute, course_changes(modules=modules))
    assert outcome.code == "course-held-for-claim"


def test_a_claim_in_the_refund_policy_is_held_for_review(db, staff, institute):
    changes = course_changes(refund_policy="Full refund unless placed: job guarantee.")
    assert apply_course(db.session, staff, institute, changes).code == "course-held-for-claim"


def test_a_placement_figure_without_year_and_cohort_size_is_held_for_review(db, staff, institute):
    changes = course_changes(description="95% placed at product companies.")
    assert apply_course(db.session, staff, institute, changes).code == "course-held-for-claim"


def test_a_placement_figure_with_year_and_cohort_size_is_published(db, staff, institute):
    changes = course_changes(
        description="95% placed at product companies.",
        placement_support=True,
        placement_rate=95,
        placement_year=2025,
        placement_cohort_size=40,
    )
    assert apply_course(db.session, staff, institute, changes).code == "course-published"


def test_a_published_save_keeps_the_listing_as_its_approved_form(db, staff, institute):
    course = apply_course(db.session, staff, institute, course_changes(title="Zanzibar Pipelines")).record
    assert course.approved_snapshot["title"] == "Zanzibar Pipelines"


def test_an_edit_held_for_review_keeps_the_last_approved_form(db, staff, institute):
    course = apply_course(db.session, staff, institute, course_changes(title="Zanzibar Pipelines")).record
    changes = changes_of_course(course, title="Zanzibar Pipelines: 100% placement")
    apply_course(db.session, staff, institute, changes, course)
    assert (course.status, course.title) == (CourseStatus.PUBLISHED, "Zanzibar Pipelines")
    assert course.approved_snapshot["title"] == "Zanzibar Pipelines"


def test_saving_a_draft_keeps_it_out_of_the_catalog(db, staff, institute):
    outcome = apply_course(db.session, staff, institute, course_changes(title="Zanzibar", publish=False))
    assert (outcome.code, outcome.record.status) == ("course-draft-saved", CourseStatus.DRAFT)
    assert outcome.record.slug == "zanzibar"
    assert search_titles(db, "zanzibar") == []


def test_saving_a_published_course_as_draft_unpublishes_it(db, staff, institute):
    course = make_course(institute=institute)
    outcome = apply_course(db.session, staff, institute, changes_of_course(course, publish=False), course)
    assert (outcome.code, course.status) == ("course-unpublished", CourseStatus.DRAFT)


def test_modules_keep_the_order_given(db, staff, institute):
    modules = (ModuleRow("Docker basics", 6), ModuleRow("Helm charts", 4, "Packaging a model server."))
    course = apply_course(db.session, staff, institute, course_changes(modules=modules)).record
    assert [(m.position, m.title, m.hours, m.outline) for m in course.modules] == [
        (1, "Docker basics", 6, ""),
        (2, "Helm charts", 4, "Packaging a model server."),
    ]


def test_slug_repeats_get_a_number(db, staff, institute):
    make_course(title="Other", slug="mlops-bootcamp", institute=make_institute())
    apply_course(db.session, staff, institute, course_changes(title="MLOps Bootcamp"))
    apply_course(db.session, staff, institute, course_changes(title="MLOps  Bootcamp!"))
    slugs = db.session.scalars(select(Course.slug).where(Course.institute_id == institute.id)).all()
    assert sorted(slugs) == ["mlops-bootcamp-2", "mlops-bootcamp-3"]


def test_a_given_slug_is_used_for_a_new_course(db, institute):
    changes = course_changes(slug="k8s-for-ml")
    assert apply_course(db.session, None, institute, changes).record.slug == "k8s-for-ml"


def test_web_address_of_a_draft_can_change_until_it_is_published(db, staff, institute):
    course = make_course(institute=institute, slug="first-draft", status=CourseStatus.DRAFT)
    make_course(slug="taken")
    assert slug_editable(db.session, course)
    with pytest.raises(DomainError) as taken:
        apply_course(
            db.session, staff, institute, changes_of_course(course, slug="taken", publish=False), course
        )
    assert (taken.value.code, taken.value.field) == ("slug-taken", "slug")
    apply_course(db.session, staff, institute, changes_of_course(course, slug="k8s-bootcamp"), course)
    db.session.expire_all()
    assert (course.slug, course.status) == ("k8s-bootcamp", CourseStatus.PUBLISHED)
    assert not slug_editable(db.session, course)
    apply_course(
        db.session, staff, institute, changes_of_course(course, slug="renamed", publish=False), course
    )
    db.session.expire_all()
    assert (course.slug, course.status) == ("k8s-bootcamp", CourseStatus.DRAFT)
    assert not slug_editable(db.session, course)


def test_a_malformed_slug_is_refused(db, staff, institute):
    course = make_course(institute=institute, status=CourseStatus.DRAFT)
    with pytest.raises(DomainError) as refused:
        apply_course(db.session, staff, institute, changes_of_course(course, slug="k8s bootcamp!"), course)
    assert (refused.value.code, refused.value.field) == ("slug-malformed", "slug")


def test_course_can_name_only_its_own_campuses_and_instructors(db, staff, institute):
    area = make_area(name="Madhapur")
    own_campus, own_person = make_campus(institute, area), make_instructor(institute, name="Kiran")
    other_campus = make_campus(make_institute(), area)
    topic, tool = make_topic(name="Model serving"), make_tool(name="KServe")
    changes = course_changes(
        campuses=(own_campus.id,), instructors=(own_person.id,), topics=(topic.id,), tools=(tool.id,)
    )
    course = apply_course(db.session, staff, institute, changes).record
    assert course.campuses == [own_campus] and course.instructors == [own_person]
    assert course.topics == [topic] and course.tools == [tool]
    with pytest.raises(DomainError) as refused:
        apply_course(db.session, staff, institute, course_changes(campuses=(other_campus.id,)))
    assert (refused.value.code, refused.value.field) == ("unknown-choice", "campuses")


def test_second_save_from_an_older_version_is_refused_and_the_first_kept(db, institute):
    course = make_course(institute=institute, title="Model Monitoring")
    first = changes_of_course(course, title="Model Monitoring with Evidently")
    second = changes_of_course(course, title="Monitoring Models")
    apply_course(db.session, make_user(institute, name="Asha"), institute, first, course)
    with pytest.raises(EditConflict):
        apply_course(db.session, make_user(institute, name="Vikram"), institute, second, course)
    db.session.expire_all()
    assert course.title == "Model Monitoring with Evidently"


def test_a_save_that_loses_the_race_at_flush_is_refused_too(db, staff, institute):
    """The other save commits after this one read the course, so only the version column in the
    UPDATE can tell."""
    course = make_course(institute=institute, title="Drift Detection")
    changes = changes_of_course(course, title="Mine")
    assert course.version == 1
    with db.engine.begin() as conn:
        conn.execute(update(Course).where(Course.id == course.id).values(title="Theirs", version=2))
    with pytest.raises(EditConflict):
        apply_course(db.session, staff, institute, changes, course)
    db.session.expire_all()
    assert course.title == "Theirs"


def test_every_save_is_audited_with_who_and_what_changed(db, staff, institute):
    course = make_course(institute=institute, title="Old Title", fee_inr=40_000)
    changes = changes_of_course(course, title="New Title", fee_inr=45_000)
    apply_course(db.session, staff, institute, changes, course)
    entry = db.session.scalars(select(AuditEntry)).one()
    assert (entry.action, entry.record_id, entry.user_id, entry.institute_id) == (
        "update",
        course.id,
        staff.id,
        institute.id,
    )
    assert entry.changes["title"] == ["Old Title", "New Title"]
    assert entry.changes["fee_inr"] == [40_000, 45_000]
    assert entry.changes["version"] == [1, 2]
    assert "summary" not in entry.changes


def test_search_index_follows_a_title_edit(db, staff, institute):
    course = make_course(institute=institute, title="Pipelines with Airflow")
    assert search_titles(db, "airflow") == ["Pipelines with Airflow"]
    apply_course(
        db.session, staff, institute, changes_of_course(course, title="Pipelines with Quetzalflow"), course
    )
    assert search_titles(db, "quetzalflow") == ["Pipelines with Quetzalflow"]
    assert search_titles(db, "airflow") == []


def test_an_archived_course_cannot_be_edited(db, staff, institute):
    course = make_course(institute=institute, status=CourseStatus.ARCHIVED)
    with pytest.raises(DomainError) as refused:
        apply_course(db.session, staff, institute, changes_of_course(course), course)
    assert refused.value.code == "course-is-archived"


def test_archive_hides_a_course_and_restore_brings_it_back_as_a_draft(db, staff, institute):
    course = make_course(institute=institute, title="Zanzibar Pipelines")
    assert archive_course(db.session, staff, course).code == "course-archived"
    assert (course.status, search_titles(db, "zanzibar")) == (CourseStatus.ARCHIVED, [])
    assert archive_course(db.session, staff, course).code == "course-already-archived"
    assert restore_course(db.session, staff, course).code == "course-restored"
    assert course.status == CourseStatus.DRAFT
    assert restore_course(db.session, staff, course).code == "course-not-archived"
    actions = db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)).all()
    assert actions == ["archive", "restore"]


def test_a_merge_moves_a_held_edits_topic_to_the_survivor(db, staff, institute):
    duplicate, survivor = make_topic(name="K8s"), make_topic(name="Kubernetes")
    course = apply_course(db.session, staff, institute, course_changes(title="Drift Watch")).record
    changes = changes_of_course(course, summary="Job guarantee.", topics=(duplicate.id,))
    apply_course(db.session, staff, institute, changes, course)
    merge_terms(db.session, "topic", duplicate.id, survivor.id, make_user(role=Role.ADMIN))
    db.session.expire_all()
    assert [topic.name for topic in held_listing(db.session, course).topics] == ["Kubernetes"]


def test_a_held_edit_whose_campus_has_gone_still_shows_and_approves(db, staff, institute):
    campus = make_campus(institute, make_area())
    course = apply_course(db.session, staff, institute, course_changes(title="Drift Watch")).record
    changes = changes_of_course(course, summary="Job guarantee.", campuses=(campus.id,))
    apply_course(db.session, staff, institute, changes, course)
    db.session.delete(campus)
    db.session.commit()
    assert held_listing(db.session, course).campuses == []
    approve_course(db.session, make_user(role=Role.ADMIN), course, course.version)
    db.session.expire_all()
    assert (course.summary, course.campuses) == ("Job guarantee.", [])
