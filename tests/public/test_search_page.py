"""The course search page through the test client: corrected words, help when nothing matches,
facets, cards and the live-search (htmx) answer."""

from __future__ import annotations

import re

from catalog.models import Level, Mode
from tests.builders import make_area, make_campus, make_course, make_institute, make_topic


def page(client, url: str, **headers) -> str:
    response = client.get(url, headers=headers)
    assert response.status_code == 200, url
    return response.get_data(as_text=True)


def heading(html: str) -> str:
    """The text of the results heading."""
    match = re.search(r'<h2 id="results-heading">(.*?)</h2>', html, re.S)
    assert match, "no results heading"
    return match.group(1)


def test_misspelt_words_that_find_nothing_are_searched_corrected(client, db):
    make_course(title="Kubernetes for ML Engineers")
    html = page(client, "/courses?q=kuberntes")
    assert heading(html) == "Showing results for “kubernetes”"
    assert "Kubernetes for ML Engineers" in html


def test_corrected_search_links_to_the_words_as_typed(client, db):
    make_course(title="Kubernetes for ML Engineers")
    html = page(client, "/courses?q=kuberntes")
    assert '<a href="/courses?q=kuberntes&amp;as_typed=1">Search instead for “kuberntes”</a>' in html


def test_words_as_typed_are_searched_uncorrected(client, db):
    make_course(title="Kubernetes for ML Engineers")
    html = page(client, "/courses?q=kuberntes&as_typed=1")
    assert heading(html) == "0 courses for “kuberntes”"
    assert "Kubernetes for ML Engineers" not in html


def test_words_that_find_courses_are_not_corrected(client, db):
    make_course(title="Kubernetes for ML Engineers")
    assert heading(page(client, "/courses?q=kubernetes")) == "1 course for “kubernetes”"


def test_no_results_offers_the_closest_words(client, db):
    make_course(title="Kubernetes Pipelines")
    html = page(client, "/courses?q=kuberntes&as_typed=1")
    close = html[html.index("Closest words in the catalog") :]
    assert '<a href="/courses?q=kubernetes">kubernetes</a>' in close


def test_no_results_offers_the_most_popular_topics(client, db):
    serving, monitoring = make_topic(name="Model serving"), make_topic(name="Monitoring")
    for _ in range(2):
        make_course().topics = [serving]
    make_course().topics = [monitoring]
    db.session.commit()
    html = page(client, "/courses?q=zzyzx")
    popular = html[html.index("Popular topics") :]
    assert popular.index("Model serving") < popular.index("Monitoring")
    assert f'href="/topics/{serving.slug}"' in popular


def test_no_results_offers_to_drop_each_filter_alone(client, db):
    make_course(title="Airflow Basics", mode=Mode.ONLINE, level=Level.BEGINNER)
    html = page(client, "/courses?q=airflow&mode=online&level=advanced")
    drop = html[html.index("Remove a filter") :]
    assert '<a href="/courses?q=airflow&amp;level=advanced">Without Mode: Online</a>' in drop
    assert '<a href="/courses?q=airflow&amp;mode=online">Without Level: Advanced</a>' in drop
    assert '<a href="/courses?q=airflow">Without any filter</a>' in drop


def test_ticked_facet_values_come_first_in_their_facet(client, db):
    make_course(level=Level.BEGINNER)
    make_course(level=Level.ADVANCED)
    html = page(client, "/courses?level=advanced")
    levels = html[html.index('id="facet-level"') :]
    levels = levels[: levels.index("</fieldset>")]
    values = re.findall(r'name="level" value="([^"]+)"', levels)
    assert values[0] == "advanced"
    assert values[1:] == ["beginner", "intermediate"]


def test_facet_values_are_controls_of_the_search_form(client, db):
    make_course(level=Level.BEGINNER)
    html = page(client, "/courses?q=course")
    assert re.search(r'name="level" value="beginner" form="search-form"', html)
    assert '<button type="submit" form="search-form">Apply filters</button>' in html


def test_result_card_shows_the_area_and_the_mode(client, db):
    institute = make_institute()
    course = make_course(title="Hybrid MLOps", mode=Mode.HYBRID, institute=institute)
    course.campuses = [make_campus(institute, make_area(name="Madhapur"))]
    db.session.commit()
    html = page(client, "/courses?q=hybrid")
    assert "<dt>Where</dt><dd>Madhapur, Online</dd>" in html
    assert "<dt>Mode</dt><dd>Hybrid</dd>" in html


def test_result_card_of_an_online_course_says_online(client, db):
    make_course(title="Remote MLOps", mode=Mode.ONLINE)
    assert "<dt>Where</dt><dd>Online</dd>" in page(client, "/courses?q=remote")


def test_sort_control_says_what_it_does(client, db):
    html = page(client, "/courses")
    assert '<label class="field-label" for="sort">Sort results by</label>' in html
    assert 'value="">Best match (or soonest batch)</option>' in html


def test_filters_panel_is_closed_and_counts_the_active_filters(client, db):
    make_course(mode=Mode.ONLINE)
    html = page(client, "/courses?mode=online")
    assert '<details class="filters" id="filters">' in html
    assert 'id="filters-count">(1)' in html


def test_live_search_answers_with_only_the_parts_that_change(client, db):
    make_course(title="Airflow Basics")
    html = page(client, "/courses?q=airflow", **{"HX-Request": "true"})
    assert "<html" not in html and "<h1>" not in html
    assert html.lstrip().startswith("<title>“airflow”: 1 course · ")
    assert '<div class="results" id="results" role="region"' in html
    assert '<div id="results-heading-region" data-hx-swap-oob="innerHTML">' in html
    assert '<div id="facet-panel" data-hx-swap-oob="true">' in html


def test_live_search_and_page_answers_vary_on_the_htmx_header(client, db):
    for headers in ({}, {"HX-Request": "true"}):
        response = client.get("/courses?q=airflow", headers=headers)
        assert "HX-Request" in response.headers["Vary"]


def test_a_history_restore_gets_the_whole_page(client, db):
    headers = {"HX-Request": "true", "HX-History-Restore-Request": "true"}
    html = page(client, "/courses?q=airflow", **headers)
    assert "<h1>" in html
    assert "hx-swap-oob" not in html


def test_full_page_has_a_polite_live_region_round_the_heading(client, db):
    html = page(client, "/courses")
    assert '<div id="results-heading-region" aria-live="polite" aria-atomic="true">' in html


def test_cards_on_topic_pages_show_the_area_and_the_mode_too(client, db):
    institute = make_institute()
    topic = make_topic(name="Model serving")
    course = make_course(title="Serving in Gachibowli", mode=Mode.CLASSROOM, institute=institute)
    course.campuses = [make_campus(institute, make_area(name="Gachibowli"))]
    course.topics = [topic]
    db.session.commit()
    html = page(client, f"/topics/{topic.slug}")
    assert "<dt>Where</dt><dd>Gachibowli</dd>" in html
    assert "<dt>Mode</dt><dd>Classroom</dd>" in html


def test_cards_with_campuses_cost_no_query_each(client, db):
    from tests.helpers import count_queries

    def add_courses(count: int) -> None:
        for n in range(count):
            institute = make_institute()
            course = make_course(title=f"Placed {n}", institute=institute)
            course.campuses = [make_campus(institute, make_area())]
        db.session.commit()

    add_courses(2)
    with count_queries(db) as few:
        page(client, "/courses?q=placed")
    add_courses(6)
    with count_queries(db) as many:
        page(client, "/courses?q=placed")
    assert len(many) == len(few)
