"""Suggestions for the search box, by example; every test runs on SQLite and PostgreSQL."""

from __future__ import annotations

from catalog.extensions import db as _db
from catalog.models import CourseStatus, InstituteStatus
from catalog.search import MAX_PREFIX_CHARS, Suggestion, autocomplete
from catalog.search.autocomplete import MAX_SUGGESTIONS
from tests.builders import make_course, make_institute, make_tool, make_topic
from tests.helpers import count_queries


def suggested(db, text: str) -> list[tuple[str, str]]:
    return [(s.kind, s.label) for s in autocomplete(db.session, text)]


def taught(term, **course):
    """``term`` (a topic or tool) taught by a new published course."""
    made = make_course(**course)
    (made.topics if term.__tablename__ == "topics" else made.tools).append(term)
    _db.session.commit()
    return term


def test_a_tool_is_suggested_by_the_start_of_its_name_and_leads_to_the_search_filtered_by_it(db):
    taught(make_tool(name="Kubernetes", slug="kubernetes"))
    [suggestion] = autocomplete(db.session, "kube")
    assert suggestion == Suggestion("tool", "Kubernetes", "kubernetes")
    assert (suggestion.endpoint, suggestion.url_args) == ("public.course_search", {"tool": ["kubernetes"]})


def test_a_topic_is_suggested_by_the_start_of_any_word_of_its_name(db):
    taught(make_topic(name="Model serving", slug="model-serving"))
    [suggestion] = autocomplete(db.session, "serv")
    assert (suggestion.kind, suggestion.label) == ("topic", "Model serving")
    assert suggestion.url_args == {"topic": ["model-serving"]}


def test_words_typed_in_order_must_begin_words_of_the_name_in_order(db):
    taught(make_topic(name="Model serving"))
    assert suggested(db, "model ser") == [("topic", "Model serving")]
    assert suggested(db, "serving model") == []
    assert suggested(db, "odel") == []


def test_a_term_is_suggested_by_the_start_of_one_of_its_synonyms(db):
    taught(make_tool(name="Kubernetes", synonyms=["k8s"]))
    assert suggested(db, "k8") == [("tool", "Kubernetes")]


def test_an_approved_institute_is_suggested_and_leads_to_its_page(db):
    make_institute(name="Deccan Data Academy", slug="deccan-data-academy")
    [suggestion] = autocomplete(db.session, "decc")
    assert suggestion == Suggestion("institute", "Deccan Data Academy", "deccan-data-academy")
    assert (suggestion.endpoint, suggestion.url_args) == (
        "public.institute_detail",
        {"slug": "deccan-data-academy"},
    )


def test_a_published_course_is_suggested_by_a_word_of_its_title_and_leads_to_its_page(db):
    make_course(title="Certified Kubernetes Practitioner", slug="ckp")
    [suggestion] = autocomplete(db.session, "kubern")
    assert suggestion == Suggestion("course", "Certified Kubernetes Practitioner", "ckp")
    assert (suggestion.endpoint, suggestion.url_args) == ("public.course_detail", {"slug": "ckp"})


def test_a_course_is_suggested_by_its_title_only_not_by_its_summary(db):
    make_course(title="Model Monitoring Essentials", summary="Monitoring models on Kubernetes.")
    assert suggested(db, "kube") == []


def test_a_course_title_is_completed_from_all_the_words_typed(db):
    make_course(title="Kubernetes for ML Engineers")
    make_course(title="Kubernetes Crash Workshop")
    assert suggested(db, "kubernetes eng") == [("course", "Kubernetes for ML Engineers")]


def test_a_word_typed_in_full_finds_its_other_forms_in_titles(db):
    make_course(title="Automated ML Pipeline Bootcamp")
    assert suggested(db, "pipelines") == [("course", "Automated ML Pipeline Bootcamp")]


def test_a_synonym_being_typed_suggests_the_courses_named_after_its_term(db):
    make_tool(name="Kubernetes", synonyms=["k8s"])
    make_course(title="Kubernetes Crash Workshop")
    assert ("course", "Kubernetes Crash Workshop") in suggested(db, "k8s")


def test_courses_learners_cannot_see_are_never_suggested(db):
    for status in (CourseStatus.DRAFT, CourseStatus.PENDING, CourseStatus.ARCHIVED):
        make_course(title=f"Kubeflow {status.value} course", status=status)
    for status in (InstituteStatus.PENDING, InstituteStatus.SUSPENDED):
        make_course(
            title=f"Kubeflow course of a {status.value} institute", institute=make_institute(status=status)
        )
    make_course(title="Kubeflow Pipelines Bootcamp")
    assert suggested(db, "kubeflow") == [("course", "Kubeflow Pipelines Bootcamp")]


def test_institutes_not_approved_are_never_suggested(db):
    make_institute(name="Banjara Pending Academy", status=InstituteStatus.PENDING)
    make_institute(name="Banjara Suspended Academy", status=InstituteStatus.SUSPENDED)
    make_institute(name="Banjara Analytics Academy")
    assert suggested(db, "banjara") == [("institute", "Banjara Analytics Academy")]


def test_topics_and_tools_no_visible_course_teaches_are_not_suggested(db):
    make_tool(name="Kubeflow")
    taught(make_tool(name="Kubectl"), status=CourseStatus.DRAFT)
    make_topic(name="Kubernetes operations")
    taught(make_tool(name="Kubernetes"))
    assert suggested(db, "kube") == [("tool", "Kubernetes")]


def test_a_term_suggested_as_an_institute_is_approved_is_gone_once_it_is_suspended(db):
    institute = make_institute(name="Golconda Cloud Labs")
    assert suggested(db, "golc") == [("institute", "Golconda Cloud Labs")]
    institute.status = InstituteStatus.SUSPENDED
    _db.session.commit()
    assert suggested(db, "golc") == []


def test_a_renamed_tool_is_suggested_by_its_new_name_at_once(db):
    tool = taught(make_tool(name="Weights and Biases"))
    assert suggested(db, "weig") == [("tool", "Weights and Biases")]
    tool.name = "W&B Models"
    _db.session.commit()
    assert suggested(db, "weig") == []
    assert suggested(db, "w&b mo") == [("tool", "W&B Models")]


def test_like_wildcards_in_the_text_match_only_themselves(db):
    taught(make_tool(name="Kubernetes", synonyms=["k8s"]))
    make_institute(name="Kubernetes Academy")
    make_course(title="Kubernetes Crash Workshop")
    for text in ("%%", "%_", "__", "_ube", "%ube", "k%s", "k_s", "kub%etes", "k\\%"):
        assert suggested(db, text) == [], text


def test_full_text_operators_in_the_text_never_fail_nor_widen_the_match(db):
    make_course(title="Kubernetes Crash Workshop")
    make_course(title="Model Monitoring Essentials")
    for text in (
        'kube" OR "',
        "NEAR(kube",
        "kube OR model",
        "title:kube",
        "kube:*",
        "kube & !crash",
        "-kube",
    ):
        assert set(suggested(db, text)) <= {("course", "Kubernetes Crash Workshop")}, text


def test_case_and_accents_of_the_text_are_ignored(db):
    make_institute(name="Deccan Data Academy")
    make_course(title="Kubernetes Crash Workshop")
    assert suggested(db, "DÉCCAN") == [("institute", "Deccan Data Academy")]
    assert suggested(db, "KÜBERN") == [("course", "Kubernetes Crash Workshop")]


def test_accents_of_a_name_are_ignored(db):
    make_institute(name="École Supérieure de MLOps")
    assert suggested(db, "ecole sup") == [("institute", "École Supérieure de MLOps")]
    assert suggested(db, "superieure") == [("institute", "École Supérieure de MLOps")]


def test_fewer_than_two_letters_or_digits_suggest_nothing(db):
    make_course(title="Kubernetes Crash Workshop")
    make_institute(name="Kubernetes Academy")
    for text in ("", "k", "  k  ", "k.", "%k", None):
        assert suggested(db, text) == [], text


def test_text_is_trimmed_before_it_is_read(db):
    make_institute(name="Deccan Data Academy")
    assert suggested(db, "   deccan   ") == [("institute", "Deccan Data Academy")]


def test_text_beyond_the_longest_read_is_ignored(db):
    make_institute(name="Deccan Data Academy")
    assert suggested(db, "deccan" + " " * MAX_PREFIX_CHARS + "zzz") == [("institute", "Deccan Data Academy")]


def test_at_most_eight_suggestions_come_and_every_kind_that_fits_has_a_place(db):
    for n in range(MAX_SUGGESTIONS + 2):
        taught(make_tool(name=f"Kube tool {n}"))
        taught(make_topic(name=f"Kube topic {n}"))
        make_institute(name=f"Kube Institute {n}")
        make_course(title=f"Kube Course {n}")
    found = suggested(db, "kube")
    assert len(found) == MAX_SUGGESTIONS
    assert [kind for kind, _label in found] == ["topic"] * 2 + ["tool"] * 2 + ["institute"] * 2 + [
        "course"
    ] * 2


def test_kinds_with_few_matches_leave_their_places_to_the_others(db):
    taught(make_tool(name="Kubernetes"))
    for n in range(MAX_SUGGESTIONS + 2):
        make_course(title=f"Kubernetes Course {n}")
    found = suggested(db, "kube")
    assert found[0] == ("tool", "Kubernetes")
    assert [kind for kind, _label in found[1:]] == ["course"] * (MAX_SUGGESTIONS - 1)


def test_a_name_that_begins_with_the_text_comes_before_one_with_a_later_word_that_does(db):
    make_institute(name="Advanced Kubernetes Academy")
    make_institute(name="Kubernetes School")
    assert suggested(db, "kube") == [
        ("institute", "Kubernetes School"),
        ("institute", "Advanced Kubernetes Academy"),
    ]


def test_suggestions_cost_two_queries_however_many_match(db):
    for n in range(12):
        taught(make_tool(name=f"Kube tool {n}"))
        make_institute(name=f"Kube Institute {n}")
    autocomplete(db.session, "kube")
    with count_queries(db) as statements:
        autocomplete(db.session, "kube")
        autocomplete(db.session, "kube institute 1")
    assert len(statements) == 4
