"""Public pages through the test client: what a learner sees on each page."""

from __future__ import annotations

from datetime import timedelta

import pytest

from catalog.models import CourseStatus, EventKind, Mode
from catalog.timeutil import local_today
from tests.builders import (
    make_area,
    make_batch,
    make_campus,
    make_course,
    make_event,
    make_institute,
    make_instructor,
    make_tool,
    make_topic,
)
from tests.helpers import count_queries


def page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.get_data(as_text=True)


def test_home_shows_topics_batches_institutes_and_cited_figures(client, db):
    topic = make_topic(name="Model serving", slug="model-serving")
    institute = make_institute(name="Deccan Data Academy")
    course = make_course(title="Serving Models with KServe", institute=institute)
    course.topics = [topic]
    db.session.commit()
    make_batch(course, starts_in_days=9)
    html = page(client, "/")
    assert 'action="/courses"' in html
    assert "Model serving" in html and "/topics/model-serving" in html
    assert "Serving Models with KServe" in html
    assert "Deccan Data Academy" in html
    assert "40%" in html and "78%" in html
    assert "MLOps Training in Hyderabad: Bridging the Gap" in html


def test_search_page_lists_matches_with_highlight_and_count(client, db):
    make_course(title="Airflow Pipelines in Practice")
    make_course(title="Statistics Refresher")
    html = page(client, "/courses?q=airflow")
    assert "<mark>Airflow</mark> Pipelines in Practice" in html
    assert "Statistics Refresher" not in html
    assert "1 course" in html


def test_search_page_escapes_the_query(client, db):
    make_course(title="Airflow")
    html = page(client, "/courses?q=%3Cscript%3Ealert(1)%3C/script%3E")
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;" in html


def test_search_page_shows_chips_that_remove_one_filter(client, db):
    make_course(title="Online Workshop", mode=Mode.ONLINE)
    html = page(client, "/courses?q=workshop&mode=online&mode=hybrid")
    assert 'class="chip"' in html
    assert "/courses?q=workshop&amp;mode=hybrid" in html
    assert "/courses?q=workshop&amp;mode=online" in html
    assert "Clear all" in html


def test_search_page_shows_every_facet_value_with_counts(client, db):
    for n in range(12):
        course = make_course(title=f"Course {n}")
        course.tools = [make_tool(name=f"Tool {n:02d}", slug=f"tool-x{n}")]
    db.session.commit()
    html = page(client, "/courses")
    for n in range(12):
        assert f'value="tool-x{n}"' in html
    assert "Show all" in html


def test_search_page_asked_for_the_words_as_typed_offers_their_correction(client, db):
    make_course(title="Model Monitoring Essentials")
    html = page(client, "/courses?q=monitring+&as_typed=1")
    assert "Closest words in the catalog" in html
    assert "/courses?q=monitoring" in html


@pytest.mark.parametrize(
    "query",
    [
        "q=%22&mode=%E2%80%8B",
        "q=" + "x" * 5000,
        "page=-1",
        "page=99999999999999999999",
        "sort=%27%3B--",
        "starts=abc&fee=%F0%9F%9A%80",
        "q=NEAR(a+b)&topic=../../etc",
    ],
)
def test_search_page_never_fails_on_odd_input(client, db, query):
    make_course(title="Airflow")
    assert client.get(f"/courses?{query}").status_code == 200


def test_search_page_costs_a_fixed_number_of_queries(client, db):
    institute = make_institute()
    for n in range(3):
        make_batch(make_course(title=f"Small {n}", institute=institute))
    with count_queries(db) as few:
        page(client, "/courses?q=small")
    for n in range(15):
        make_batch(make_course(title=f"Small more {n}"))
    with count_queries(db) as many:
        page(client, "/courses?q=small")
    assert len(many) == len(few)


@pytest.fixture
def full_course(db):
    hitec = make_area(name="HITEC City", slug="hitec-city")
    institute = make_institute(name="Cyberabad MLOps Institute", slug="cyberabad")
    campus = make_campus(institute, hitec, address="Cyber Towers")
    trainer = make_instructor(
        institute, name="Priya Raghavan", years_experience=11, industry_background="Fintech"
    )
    course = make_course(
        title="MLOps Engineering Bootcamp",
        slug="mlops-bootcamp",
        institute=institute,
        campuses=[campus],
        fee_inr=185_000,
        emi_available=True,
        refund_policy="Full refund within 7 days of the start date.",
        certification_name="Certified MLOps Practitioner",
        certification_issuer="Cyberabad MLOps Institute",
        placement_support=True,
        placement_rate=72,
        placement_year=2025,
        placement_cohort_size=48,
        prerequisites="Python and basic Linux.",
        description="Build **pipelines**.<script>alert(1)</script>",
        modules=[("Containers for ML", 20), ("Kubernetes in production", 30)],
        syllabus_reviewed_on=local_today() - timedelta(days=400),
    )
    course.instructors = [trainer]
    course.tools = [make_tool(name="Docker", slug="docker")]
    db.session.commit()
    make_batch(course, starts_in_days=12, seats_left=7, seats_total=30, campus=campus)
    make_batch(course, starts_in_days=-5)
    return course


def test_course_page_shows_everything_a_learner_needs(client, full_course):
    html = page(client, "/courses/mlops-bootcamp")
    for expected in (
        "MLOps Engineering Bootcamp",
        "Cyberabad MLOps Institute",
        "Containers for ML",
        "Kubernetes in production",
        "Docker",
        "Priya Raghavan",
        "11 years",
        "₹1,85,000",
        "EMI",
        "Full refund within 7 days of the start date.",
        "Certified MLOps Practitioner",
        "72%",
        "48",
        "2025",
        "Python and basic Linux.",
        "7 of 30",
        "<strong>pipelines</strong>",
        "may be out of date",
    ):
        assert expected in html, expected
    assert "<script>alert(1)</script>" not in html


def test_started_batch_is_shown_closed(client, full_course):
    html = page(client, "/courses/mlops-bootcamp")
    started = (local_today() - timedelta(days=5)).strftime("%-d %b %Y")
    row = html[html.index(started) :].split("</tr>")[0]
    assert "Closed" in row and "Open" not in row


def test_unpublished_course_is_not_found(client, db):
    make_course(title="Secret Draft", slug="secret-draft", status=CourseStatus.DRAFT)
    response = client.get("/courses/secret-draft")
    assert response.status_code == 404
    assert "Secret Draft" not in response.get_data(as_text=True)


def test_course_page_lists_related_courses(client, db, full_course):
    other = make_course(title="Docker for Data Scientists")
    other.tools = list(full_course.tools)
    db.session.commit()
    assert "Docker for Data Scientists" in page(client, "/courses/mlops-bootcamp")


def test_institute_list_filters_by_area(client, db):
    hitec = make_area(name="HITEC City", slug="hitec-city")
    ameerpet = make_area(name="Ameerpet", slug="ameerpet")
    make_campus(make_institute(name="HITEC Institute"), hitec)
    make_campus(make_institute(name="Ameerpet Institute"), ameerpet)
    html = page(client, "/institutes?area=ameerpet")
    assert "Ameerpet Institute" in html and "HITEC Institute" not in html
    html = page(client, "/institutes")
    assert "Ameerpet Institute" in html and "HITEC Institute" in html


def test_institute_list_pages_through_many_institutes(client, db):
    for n in range(30):
        make_institute(name=f"Institute {n:02d}")
    first = page(client, "/institutes")
    assert "30 institutes" in first
    assert first.count('class="card institute-card"') == 24
    assert 'href="/institutes?page=2"' in first
    second = page(client, "/institutes?page=2")
    assert second.count('class="card institute-card"') == 6


def test_institute_list_clamps_page_numbers_of_any_size(client, db):
    make_institute(name="Only One")
    assert client.get("/institutes?page=99999999999999999999").status_code == 200
    assert "Only One" in page(client, "/institutes?page=-3")


def test_institute_page_shows_campuses_courses_and_events(client, full_course, db):
    make_event(title="MLOps Meetup HITEC", institute=full_course.institute)
    html = page(client, "/institutes/cyberabad")
    assert "Cyber Towers" in html and "HITEC City" in html
    assert "MLOps Engineering Bootcamp" in html
    assert "MLOps Meetup HITEC" in html


def test_topic_page_lists_its_courses_and_tools(client, db):
    topic = make_topic(
        name="Feature stores", slug="feature-stores", description="Serve features consistently."
    )
    course = make_course(title="Feast in Practice")
    course.topics = [topic]
    course.tools = [make_tool(name="Feast", slug="feast")]
    db.session.commit()
    make_course(title="Unrelated")
    html = page(client, "/topics/feature-stores")
    assert "Serve features consistently." in html
    assert "Feast in Practice" in html and "Unrelated" not in html
    assert "/courses?topic=feature-stores" in html


def test_events_page_lists_upcoming_and_filters_by_kind(client, db):
    make_event(title="Kubeflow Meetup", kind=EventKind.MEETUP)
    make_event(title="MLOps Conference", kind=EventKind.CONFERENCE)
    make_event(title="Last Month Seminar", starts_in_days=-30)
    html = page(client, "/events")
    assert "Kubeflow Meetup" in html and "MLOps Conference" in html
    assert "Last Month Seminar" not in html
    html = page(client, "/events?kind=conference")
    assert "MLOps Conference" in html and "Kubeflow Meetup" not in html


def test_missing_page_is_styled_404(client):
    response = client.get("/no/such/page")
    assert response.status_code == 404
    html = response.get_data(as_text=True)
    assert "Skip to main content" in html and "404" in html


def test_server_error_is_styled_500(app, client):
    def explode():
        raise RuntimeError("boom")

    app.add_url_rule("/explode", "explode", explode)
    response = client.get("/explode")
    assert response.status_code == 500
    assert "Skip to main content" in response.get_data(as_text=True)
    assert "boom" not in response.get_data(as_text=True)


def test_json_clients_get_json_errors(client):
    response = client.get("/no/such/page", headers={"Accept": "application/json"})
    assert response.status_code == 404
    assert response.get_json()["error"]["status"] == 404


def test_event_times_are_shown_in_hyderabad_time(client, db):
    from datetime import datetime, time

    from catalog.timeutil import LOCAL_TZ

    day = local_today() + timedelta(days=3)
    starts = datetime.combine(day, time(10, 0), tzinfo=LOCAL_TZ)
    make_event(title="Morning Workshop", starts_at=starts, ends_at=starts + timedelta(hours=2))
    html = page(client, "/events")
    assert "10:00 AM" in html
    assert day.strftime("%-d %b %Y") in html


def test_home_counts_only_what_learners_can_open(client, db):
    from catalog.models import InstituteStatus

    hidden = make_course(title="Suspended Course", institute=make_institute(status=InstituteStatus.SUSPENDED))
    make_batch(hidden)
    assert "Suspended Course" not in page(client, "/")


def test_search_pages_link_to_each_other_keeping_the_search(client, db):
    for n in range(25):
        make_course(title=f"Airflow Course {n}", mode=Mode.ONLINE)
    first = page(client, "/courses?q=airflow&mode=online")
    assert 'href="/courses?q=airflow&amp;mode=online&amp;page=2"' in first
    second = page(client, "/courses?q=airflow&mode=online&page=2")
    assert 'rel="prev" href="/courses?q=airflow&amp;mode=online"' in second
    assert "21–25 of 25 courses for “airflow”" in second
    assert " of 25 courses" not in first  # the first page says only how many there are


def test_home_numbers_count_only_what_learners_can_open(client, db):
    from catalog.models import InstituteStatus

    shown = make_course(title="Shown Course")
    make_batch(shown, starts_in_days=5)
    make_batch(shown, starts_in_days=20)
    make_batch(shown, starts_in_days=-3)
    make_batch(make_course(title="Draft Course", status=CourseStatus.DRAFT), starts_in_days=5)
    suspended = make_institute(status=InstituteStatus.SUSPENDED)
    make_batch(make_course(title="Suspended Course", institute=suspended), starts_in_days=5)
    make_institute(name="Approved Without Courses")
    html = page(client, "/")
    # Courses: the shown one. Institutes: every approved one (the draft's, the shown one's, the
    # one without courses). Open batches: the shown course's two that have not started.
    assert "<strong>1</strong> course</li>" in html
    assert "<strong>3</strong> institutes" in html
    assert "<strong>2</strong> open batches" in html


def test_home_lists_topics_and_institutes_with_most_courses_first(client, db):
    quiet, busy = make_institute(name="Quiet Institute"), make_institute(name="Busy Institute")
    serving, drift = make_topic(name="Model serving"), make_topic(name="Drift detection")
    make_course(institute=quiet).topics = [serving]
    for _ in range(2):
        make_course(institute=busy).topics = [drift]
    db.session.commit()
    html = page(client, "/")
    assert html.index("Drift detection") < html.index("Model serving")
    assert "2 courses" in html[html.index("Drift detection") :]
    assert html.index("Busy Institute") < html.index("Quiet Institute")


def test_home_page_costs_a_fixed_number_of_queries(client, db):
    for n in range(2):
        make_batch(make_course(title=f"Small {n}")).course.topics = [make_topic()]
    db.session.commit()
    page(client, "/")
    with count_queries(db) as few:
        page(client, "/")
    for n in range(12):
        make_batch(make_course(title=f"More {n}")).course.topics = [make_topic()]
    db.session.commit()
    page(client, "/")
    with count_queries(db) as many:
        page(client, "/")
    assert len(many) == len(few)


def test_topic_page_shows_a_dozen_courses_and_links_to_the_rest(client, db):
    from catalog.public.topics import TOPIC_PAGE_SIZE

    topic = make_topic(name="Feature stores", slug="feature-stores")
    for n in range(TOPIC_PAGE_SIZE + 1):
        make_course(title=f"Feast {n}").topics = [topic]
    db.session.commit()
    html = page(client, "/topics/feature-stores")
    assert TOPIC_PAGE_SIZE == 12
    assert html.count('class="card course-card"') == 12
    assert "See all 13 courses" in html


def test_search_page_shows_a_page_of_twenty_courses(client, db):
    from catalog.search import PAGE_SIZE

    for n in range(PAGE_SIZE + 1):
        make_course(title=f"Airflow Course {n}")
    html = page(client, "/courses?q=airflow")
    assert PAGE_SIZE == 20
    assert html.count('class="card course-card"') == 20
