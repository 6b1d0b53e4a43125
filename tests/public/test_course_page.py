"""The course page's summary and batches, and the enquiry form a batch's link opens."""

from __future__ import annotations

import html
import re

import pytest

from catalog.models import BatchStatus, Mode
from catalog.timeutil import local_today
from tests.builders import make_area, make_batch, make_campus, make_course, make_institute
from tests.helpers import LEARNER_ANSWERS, count_queries, enquiry_hidden_fields

SELECTED_RE = re.compile(r"<option\b[^>]*\bselected\b[^>]*>")


def page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.get_data(as_text=True)


def words(fragment: str) -> str:
    """The text of an HTML fragment, tags dropped, entities decoded, white space single."""
    text = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())
    return re.sub(r" ([,:])", r"\1", text)


def summary(html_page: str) -> str:
    """The summary panel beside (on a phone: above) the course's content."""
    start = html_page.index('<aside class="course-summary"')
    return html_page[start : html_page.index("</aside>", start)]


def batch_row(html_page: str, batch) -> str:
    start = html_page.index(f'id="batch-{batch.id}"')
    return html_page[start : html_page.index("</tr>", start)]


def selected_options(html_page: str) -> list[str]:
    """The selected options of the enquiry form's batch list."""
    start = html_page.index('id="batch"')
    return SELECTED_RE.findall(html_page[start : html_page.index("</select>", start)])


def day(batch) -> str:
    return batch.start_date.strftime("%-d %b %Y")


@pytest.fixture
def course(db):
    """A classroom course with EMI, a started batch, a full one and two open ones."""
    area = make_area(name="HITEC City", slug="hitec-city")
    institute = make_institute(name="Cyberabad MLOps Institute")
    campus = make_campus(institute, area, address="Cyber Towers")
    course = make_course(
        title="MLOps Engineering Bootcamp",
        slug="mlops-bootcamp",
        institute=institute,
        fee_inr=185_000,
        emi_available=True,
        duration_days=90,
        total_hours=120,
        mode=Mode.CLASSROOM,
    )
    make_batch(course, starts_in_days=-5, campus=campus)
    make_batch(course, starts_in_days=6, seats_left=0, campus=campus)
    make_batch(course, starts_in_days=12, seats_left=7, seats_total=30, campus=campus)
    make_batch(course, starts_in_days=40, seats_left=25, seats_total=30, campus=campus)
    return course


def batches_by_status(course) -> dict[str, list]:
    today = local_today()
    found: dict[str, list] = {}
    for batch in course.batches:
        found.setdefault(batch.effective_status(today).value, []).append(batch)
    return found


# The summary panel


def test_summary_shows_fee_emi_duration_hours_and_mode(client, course):
    text = words(summary(page(client, "/courses/mlops-bootcamp")))
    for expected in ("Fee ₹1,85,000", "EMI Available", "Duration 3 months, 120 hours", "Mode Classroom"):
        assert expected in text, expected


def test_summary_shows_the_next_open_batch_and_its_seats_left(client, course):
    soonest_open = batches_by_status(course)["open"][0]
    text = words(summary(page(client, "/courses/mlops-bootcamp")))
    assert f"Next batch {day(soonest_open)}, weekend" in text
    assert "Seats left 7 of 30" in text


def test_summary_leaves_out_emi_when_the_course_has_none(client, db):
    make_course(slug="no-emi", emi_available=False)
    assert "EMI" not in words(summary(page(client, "/courses/no-emi")))


def test_summary_without_an_open_batch_says_so_and_still_offers_to_enquire(client, db):
    course = make_course(slug="no-batch")
    make_batch(course, starts_in_days=-2)
    panel = summary(page(client, "/courses/no-batch"))
    assert "Next batch No open batch just now" in words(panel)
    assert "Seats left" not in panel
    assert 'href="#enquire"' in panel


def test_summary_offers_enquire_as_a_button_and_the_shortlist(client, course):
    panel = summary(page(client, "/courses/mlops-bootcamp"))
    assert '<a class="button summary-enquire" href="#enquire">Enquire about this course</a>' in panel
    assert "Add to shortlist" in panel


def test_key_facts_do_not_repeat_the_summary(client, course):
    html_page = page(client, "/courses/mlops-bootcamp")
    assert html_page.count("<dt>Fee</dt>") == 1
    assert html_page.count("<dt>Duration</dt>") == 1


# The batches


def test_each_open_batch_row_links_to_the_enquiry_form_with_that_batch(client, course):
    html_page = page(client, "/courses/mlops-bootcamp")
    for batch in batches_by_status(course)["open"]:
        row = batch_row(html_page, batch)
        assert f'href="/courses/mlops-bootcamp/enquire?batch={batch.id}"' in row
        assert "Enquire about this batch" in words(row)


@pytest.mark.parametrize(("status", "shown"), [("closed", "Closed (started)"), ("full", "Full")])
def test_closed_and_full_batches_show_their_status_and_no_enquire_link(client, course, status, shown):
    html_page = page(client, "/courses/mlops-bootcamp")
    row = batch_row(html_page, batches_by_status(course)[status][0])
    assert shown in words(row)
    assert "enquire" not in row.lower()


def test_a_batch_closed_by_its_institute_reads_closed(client, course, db):
    closed = make_batch(course, starts_in_days=50, status=BatchStatus.CLOSED)
    row = batch_row(page(client, "/courses/mlops-bootcamp"), closed)
    assert "Closed" in words(row) and "started" not in words(row)


def test_every_batch_cell_names_its_column_for_the_phone_card(client, course):
    row = batch_row(page(client, "/courses/mlops-bootcamp"), course.batches[0])
    labels = re.findall(r'<td data-label="([^"]+)"', row)
    assert labels == ["Starts", "Schedule", "Mode and place", "Seats left", "Status"]


@pytest.mark.parametrize(
    ("mode", "with_campus", "shown"),
    [
        (Mode.CLASSROOM, True, "Classroom, HITEC City"),
        (Mode.CLASSROOM, False, "Classroom, place to be announced"),
        (Mode.ONLINE, False, "Online"),
        (Mode.HYBRID, True, "Hybrid, HITEC City"),
    ],
)
def test_batch_says_its_mode_and_place(client, course, mode, with_campus, shown):
    campus = course.batches[0].campus if with_campus else None
    batch = make_batch(course, starts_in_days=60, mode=mode, campus=campus)
    row = batch_row(page(client, "/courses/mlops-bootcamp"), batch)
    cell = re.search(r'data-label="Mode and place">(.*?)</td>', row).group(1)
    assert words(cell) == shown


def test_course_page_costs_the_same_queries_however_many_batches(client, db, course):
    with count_queries(db) as few:
        page(client, "/courses/mlops-bootcamp")
    campus = course.batches[0].campus
    for days in range(60, 66):
        make_batch(course, starts_in_days=days, campus=campus)
    with count_queries(db) as many:
        page(client, "/courses/mlops-bootcamp")
    assert len(many) == len(few)


# The enquiry form a batch's link opens


def test_enquiry_form_opened_from_a_batch_link_has_that_batch_chosen(client, course):
    later = batches_by_status(course)["open"][1]
    html_page = page(client, f"/courses/mlops-bootcamp/enquire?batch={later.id}")
    assert selected_options(html_page) == [f'<option selected value="{later.id}">']


def test_enquiry_form_without_a_batch_chooses_none(client, course):
    assert selected_options(page(client, "/courses/mlops-bootcamp/enquire")) == []


@pytest.mark.parametrize("status", ["closed", "full"])
def test_enquiry_form_ignores_a_batch_no_longer_open(client, course, status):
    batch = batches_by_status(course)[status][0]
    html_page = page(client, f"/courses/mlops-bootcamp/enquire?batch={batch.id}")
    assert selected_options(html_page) == []


def test_enquiry_form_ignores_another_courses_batch(client, course):
    other = make_batch(make_course(slug="other-course"), starts_in_days=15)
    html_page = page(client, f"/courses/mlops-bootcamp/enquire?batch={other.id}")
    assert selected_options(html_page) == []
    assert f'value="{other.id}"' not in html_page[html_page.index('id="batch"') :].split("</select>")[0]


@pytest.mark.parametrize("garbage", ["abc", "1.5", "-1", "0", " 3", "%00", "1 OR 1=1", "9" * 40, "٣"])
def test_enquiry_form_ignores_a_batch_that_is_not_one_of_its_choices(client, course, garbage):
    response = client.get("/courses/mlops-bootcamp/enquire", query_string={"batch": garbage})
    assert response.status_code == 200
    assert selected_options(response.get_data(as_text=True)) == []


def test_a_sent_enquiry_keeps_the_batch_the_learner_sent_not_the_link(client, course):
    """The link only chooses the batch as the form opens; a sent form says what it says."""
    first, later = batches_by_status(course)["open"]
    url = f"/courses/mlops-bootcamp/enquire?batch={later.id}"
    answers = {**LEARNER_ANSWERS, "batch": str(first.id)}
    del answers["consent"]
    response = client.post(url, data={**enquiry_hidden_fields(page(client, url)), **answers})
    assert response.status_code == 400
    assert selected_options(response.get_data(as_text=True)) == [f'<option selected value="{first.id}">']
