"""The /insights page: charts as inline SVG with captions, numbers and links into the search,
the area map, the cited figures; and the geometry the charts are drawn from."""

from __future__ import annotations

import re
from datetime import date

from catalog.extensions import db as _db
from catalog.models import CourseFormat, CourseStatus
from catalog.public.area_map import Place, area_map, label_box, label_width
from catalog.public.charts import Bar, BarGroup, Point, bar_chart, fee_duration_chart
from catalog.public.home import LANDSCAPE_SOURCE
from catalog.public.insights import month_search_args
from tests.builders import make_area, make_batch, make_campus, make_course, make_institute, make_topic
from tests.helpers import count_queries


def hitec_course(**overrides):
    """A published course taught at a campus in HITEC City, with a topic and an open batch."""
    hitec = make_area(name="HITEC City", slug="hitec-city", latitude=17.4435, longitude=78.3772)
    make_area(name="Ameerpet", slug="ameerpet", latitude=17.4375, longitude=78.4482)
    institute = make_institute()
    course = make_course(institute=institute, **overrides)
    course.campuses = [make_campus(institute, hitec)]
    course.topics = [make_topic(name="Model serving", slug="model-serving")]
    _db.session.commit()
    make_batch(course, starts_in_days=10)
    return course


def figure_of(html: str, section_id: str) -> str:
    match = re.search(rf'<section[^>]*id="{section_id}".*?</section>', html, re.S)
    assert match, f"no section #{section_id}"
    return match.group(0)


def test_every_chart_is_a_figure_whose_svg_is_named_by_its_caption(client, db):
    hitec_course()
    html = client.get("/insights").get_data(as_text=True)
    for section in ("topics", "fees", "batches", "areas", "map"):
        figure = figure_of(html, section)
        caption_id = re.search(r'<figcaption id="([^"]+)"', figure).group(1)
        assert '<svg class="chart' in figure and f'aria-labelledby="{caption_id}"' in figure


def test_charts_carry_their_numbers_in_a_table(client, db):
    hitec_course()
    html = client.get("/insights").get_data(as_text=True)
    for section in ("topics", "fees", "batches", "areas"):
        assert "<summary>Show the numbers</summary>" in figure_of(html, section)
        assert "<table>" in figure_of(html, section)


def test_a_topic_bar_links_to_the_search_for_that_topic(client, db):
    hitec_course()
    topics = figure_of(client.get("/insights").get_data(as_text=True), "topics")
    assert '<a href="/courses?topic=model-serving" aria-label="Model serving: 1 course">' in topics


def test_a_point_of_the_scatter_links_to_its_course(client, db):
    course = hitec_course(title="Kubeflow Bootcamp", fee_inr=90_000, duration_days=90)
    fees = figure_of(client.get("/insights").get_data(as_text=True), "fees")
    assert (
        f'<a href="/courses/{course.slug}" aria-label="Kubeflow Bootcamp: ₹90,000, 90 days, bootcamp">'
        in fees
    )


def test_the_scatter_has_a_legend_of_the_formats_listed(client, db):
    hitec_course(format=CourseFormat.WORKSHOP)
    fees = figure_of(client.get("/insights").get_data(as_text=True), "fees")
    assert "Workshop</li>" in fees and "Diploma</li>" not in fees


def test_an_area_row_links_to_its_courses_and_its_table_to_its_institutes(client, db):
    hitec_course()
    areas = figure_of(client.get("/insights").get_data(as_text=True), "areas")
    assert '<a href="/courses?area=hitec-city" aria-label="HITEC City: 1 institute, 1 course">' in areas
    assert '<a href="/institutes?area=hitec-city">1</a>' in areas


def test_the_map_shows_each_locality_with_its_counts_linking_to_its_courses(client, db):
    hitec_course()
    area_map_html = figure_of(client.get("/insights").get_data(as_text=True), "map")
    assert '<a href="/courses?area=hitec-city" aria-label="HITEC City: 1 inst. · 1 course">' in area_map_html
    # A locality without courses is on the map, but links nowhere.
    assert ">Ameerpet</text>" in area_map_html and "area=ameerpet" not in area_map_html


def test_hidden_courses_are_not_counted(client, db):
    hitec_course(status=CourseStatus.DRAFT)
    html = client.get("/insights").get_data(as_text=True)
    assert "topic=model-serving" not in html
    assert "0 courses" in html


def test_the_page_works_on_an_empty_catalog(client, db):
    response = client.get("/insights")
    assert response.status_code == 200
    assert "No published course lists a topic yet." in response.get_data(as_text=True)


def test_the_page_has_no_inline_styles_or_scripts(client, db):
    hitec_course()
    html = client.get("/insights").get_data(as_text=True)
    assert " style=" not in html and " onclick=" not in html
    assert not re.search(r"<script(?![^>]*\bsrc=)", html)


def test_the_cited_figures_are_shown_as_cited_with_their_source(client, db):
    html = client.get("/insights").get_data(as_text=True)
    cited = figure_of(html, "cited")
    assert '<figure class="cited">' in cited and LANDSCAPE_SOURCE in cited
    assert "78% of Hyderabad tech companies" in cited and "not from our data" in cited


def test_the_home_page_still_shows_the_cited_figures_and_links_to_the_insights(client, db):
    html = client.get("/").get_data(as_text=True)
    assert '<figure class="cited">' in html and "≈40% salary premium" in html
    assert 'href="/insights"' in html.split('id="landscape-heading"')[1]


def test_the_footer_links_to_the_insights(client, db):
    html = client.get("/about").get_data(as_text=True)
    assert '<a href="/insights">Insights</a>' in html.split('class="site-footer"')[1]


def test_the_page_costs_the_same_queries_for_one_course_and_several(client, db):
    hitec_course()
    client.get("/insights")
    with count_queries(db) as one:
        client.get("/insights")
    for _ in range(4):
        make_batch(make_course(), starts_in_days=30)
    client.get("/insights")
    with count_queries(db) as several:
        client.get("/insights")
    assert len(several) == len(one)


def test_a_month_within_a_search_window_opens_the_smallest_window_that_covers_it():
    today = date(2026, 12, 1)
    assert month_search_args(date(2026, 12, 1), today) == {"sort": "start", "starts": "30"}
    assert month_search_args(date(2027, 1, 1), today) == {"sort": "start", "starts": "90"}
    assert month_search_args(date(2027, 4, 1), today) == {"sort": "start"}


def test_bars_are_as_long_as_their_share_of_the_longest():
    chart = bar_chart([BarGroup("a", [Bar(10, "10")]), BarGroup("b", [Bar(5, "5")])])
    first, second = (row.bars[0] for row in chart.groups)
    assert second.width == first.width / 2
    assert second.y > first.y


def test_each_row_of_bars_is_a_target_at_least_48_units_tall():
    chart = bar_chart([BarGroup("a", [Bar(1, "1")], href="/x"), BarGroup("b", [Bar(1, "1"), Bar(2, "2")])])
    assert all(row.height >= 48 for row in chart.groups)
    assert chart.groups[1].top == chart.groups[0].top + chart.groups[0].height


def test_scatter_points_of_each_format_share_a_shape_and_a_legend_entry():
    chart = fee_duration_chart(
        [Point(30, 10_000, "bootcamp", "a"), Point(365, 90_000, "workshop", "b")],
        [("bootcamp", "Bootcamp"), ("workshop", "Workshop")],
    )
    assert [series for series, _label, _path in chart.legend] == ["bootcamp", "workshop"]
    assert chart.points[0].path.startswith("M") and "a" in chart.points[0].path  # a circle's arcs
    assert chart.points[1].path.endswith("z")
    assert chart.points[1].path != chart.points[0].path
    assert chart.y_ticks[0][1] == "₹0" and chart.x_ticks[-1][1] == "1 yr"


def test_map_places_north_up_and_east_right_with_labels_apart():
    places = [
        Place(17.50, 78.40, "North", "1 inst. · 1 course", None, 1),
        Place(17.40, 78.40, "South", "1 inst. · 1 course", None, 1),
        Place(17.45, 78.50, "East", "1 inst. · 1 course", None, 1),
    ]
    markers = {m.place.name: m for m in area_map(places).markers}
    assert markers["North"].cy < markers["South"].cy
    assert markers["East"].cx > markers["North"].cx
    boxes = [label_box(m.label_x, m.label_y, m.anchor, label_width(m.place)) for m in markers.values()]
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            assert a[2] <= b[0] or b[2] <= a[0] or a[3] <= b[1] or b[3] <= a[1]
