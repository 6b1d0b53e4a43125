"""The claims check: its phrase list is data, it reads every text of a listing, and it marks spans."""

from __future__ import annotations

from pathlib import Path

import pytest

from catalog import create_app
from catalog.services.claims import FIGURE, GUARANTEE, ClaimsList, active_claims, course_claims
from tests.builders import make_course

CLAIMS_FILE = Path(__file__).resolve().parents[2] / "data" / "claims.yaml"


@pytest.fixture(scope="module")
def claims() -> ClaimsList:
    return ClaimsList.from_file(CLAIMS_FILE)


@pytest.mark.parametrize(
    "text",
    [
        "100% placement",
        "100 % Job Placement",
        "100 percent placements",
        "Hundred per cent placement",
        "job guarantee",
        "Job-Guarantee programme",
        "jobguarantee",
        "JOB GUARANTEED",
        "assured job",
        "placement guaranteed",
        "guaranteed placement",
        "guaranteed 100% placement",
        "we guarantee a job",
        "sure-shot job",
        "sureshot job",
        "job assured",
        "placement assurance",
        "guarenteed job",
        "naukri guarantee",
        "naukri pakki",
        "pakka job",
        "job ki guarantee",
        "udyogam guarantee",
    ],
)
def test_every_listed_promise_and_its_variants_are_found(claims, text):
    assert [match.kind for match in claims.find("summary", f"Join us: {text}!")] == [GUARANTEE]


@pytest.mark.parametrize(
    "text",
    [
        "Placement assistance with mock interviews.",
        "Build 100% job-ready skills.",
        "Make sure jobs run on schedule with Airflow.",
        "A guaranteed refund within 7 days.",
        "Kubernetes for ML engineers.",
    ],
)
def test_ordinary_course_texts_are_not_flagged(claims, text):
    assert claims.find("summary", text) == []


def test_a_match_carries_its_field_phrase_and_span(claims):
    text = "Learn MLOps. 100% Placement for all."
    [match] = claims.find("description", text)
    assert (match.field, match.phrase) == ("description", "100% Placement")
    assert text[match.start : match.end] == "100% Placement"


def test_a_placement_figure_is_flagged_without_year_and_cohort_size(claims):
    assert [m.kind for m in claims.find("summary", "92% placed last year.")] == [FIGURE]


def test_a_placement_figure_is_accepted_when_year_and_cohort_size_are_given(claims):
    assert claims.find("summary", "92% placed last year.", figures_backed=True) == []


def test_a_phrase_entry_also_matches_hyphens_dots_and_extra_spaces():
    claims = ClaimsList.from_yaml("claims:\n  - phrase: pakka job\n")
    assert len(claims.find("title", "PAKKA-JOB, pakka.job and pakka   job")) == 3


def test_a_phrase_matches_whole_words_only():
    claims = ClaimsList.from_yaml("claims:\n  - phrase: sure job\n")
    assert claims.find("title", "ensure jobs") == []


def test_an_invalid_pattern_is_refused_naming_its_entry():
    with pytest.raises(ValueError, match="claims entry 2 is not a valid pattern"):
        ClaimsList.from_yaml("claims:\n  - phrase: job guarantee\n  - pattern: '(unclosed'\n")


def test_an_entry_without_phrase_or_pattern_is_refused():
    with pytest.raises(ValueError, match="entry 1 must have one 'phrase' or 'pattern'"):
        ClaimsList.from_yaml("claims:\n  - words: job guarantee\n")


@pytest.mark.parametrize(
    ("field", "values"),
    [
        ("title", {"title": "Pakka Job MLOps"}),
        ("prerequisites", {"prerequisites": "None: job guarantee for all."}),
        ("certification_name", {"certification_name": "Assured Job Certificate"}),
        ("refund_policy", {"refund_policy": "Refund if no job: placement guaranteed."}),
    ],
)
def test_every_text_field_of_a_listing_is_checked(db, field, values):
    assert list(course_claims(make_course(**values))) == [field]


def test_module_titles_and_outlines_are_checked(db):
    course = make_course(modules=[("Capstone", 10)])
    course.modules[0].outline = "Ends with job ki guarantee."
    assert list(course_claims(course)) == ["module 1 outline"]


def test_the_phrase_list_is_read_from_the_data_directory_once(app, tmp_path):
    (tmp_path / "claims.yaml").write_text("claims:\n  - phrase: zanzibar promise\n", encoding="utf-8")
    app.config["DATA_DIR"] = str(tmp_path)
    app.extensions.pop("catalog.claims", None)
    first = active_claims()
    (tmp_path / "claims.yaml").write_text("claims: []\n", encoding="utf-8")
    assert active_claims() is first
    assert first.find("title", "The Zanzibar Promise")


def test_the_catalog_does_not_start_with_a_broken_phrase_list(tmp_path):
    (tmp_path / "claims.yaml").write_text("claims:\n  - pattern: '(unclosed'\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"claims\.yaml: claims entry 1 is not a valid pattern"):
        create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://", "TESTING": True, "DATA_DIR": str(tmp_path)})


def test_the_catalog_does_not_start_without_its_phrase_list(tmp_path):
    with pytest.raises(ValueError, match="the claims check cannot read its phrase list"):
        create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://", "TESTING": True, "DATA_DIR": str(tmp_path)})
