"""``/compare?c=<slug>&c=<slug>…``: two to four public courses side by side.

The address is the whole state (the slugs, in order), so a comparison can be shared. Each row
holds one value per course as lines of plain text; a row whose values are not all the same is
marked, for the eye (a class) and for screen readers (a visually hidden "differs").
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask import render_template, request

from catalog.extensions import db
from catalog.models import Course
from catalog.models.labels import label
from catalog.public.blueprint import bp
from catalog.public.shortlist import COMPARE_MAX, COMPARE_MIN
from catalog.queries.compare import courses_to_compare
from catalog.templating import format_date, format_duration, format_inr
from catalog.timeutil import local_today

#: What the page says when the address names too few or too many courses.
WRONG_COUNT = f"Choose {COMPARE_MIN} to {COMPARE_MAX} courses to compare (you chose {{count}})."
UNKNOWN = "No published course has the address {slugs}. It may have been archived."


@dataclass(frozen=True)
class CompareRow:
    """One fact of every course compared: its name, each course's value (lines of text), and
    whether the values differ."""

    label: str
    values: list[list[str]]

    @property
    def differs(self) -> bool:
        return len({tuple(value) for value in self.values}) > 1


def _placement(course: Course) -> list[str]:
    if not course.placement_support:
        return ["No placement support"]
    if course.placement_rate is None or not course.placement_cohort_size or not course.placement_year:
        return ["Placement support", "No placement figures published"]
    learners = "learner" if course.placement_cohort_size == 1 else "learners"
    return [
        f"{course.placement_rate}% placed of {course.placement_cohort_size} {learners}, "
        f"{course.placement_year} cohort (as reported by the institute)"
    ]


def _certification(course: Course) -> list[str]:
    if not course.certification_name:
        return ["No certificate"]
    issuer = f", issued by {course.certification_issuer}" if course.certification_issuer else ""
    return [course.certification_name + issuer]


def _review(course: Course, today: date) -> list[str]:
    reviewed = format_date(course.syllabus_reviewed_on) if course.syllabus_reviewed_on else "Not stated"
    return [reviewed, "may be out of date"] if course.syllabus_is_stale(today) else [reviewed]


def _fee(course: Course) -> list[str]:
    return (
        [format_inr(course.fee_inr), "EMI available"]
        if course.emi_available
        else [format_inr(course.fee_inr)]
    )


def _fee_per_hour(course: Course) -> list[str]:
    if not course.total_hours:
        return ["—"]
    return [format_inr(round(course.fee_inr / course.total_hours))]


def compare_rows(courses: list[Course], today: date) -> list[CompareRow]:
    """The rows of the comparison of ``courses`` (with batches, topics, tools, instructors loaded)."""

    def row(name: str, value) -> CompareRow:
        return CompareRow(name, [value(course) for course in courses])

    def next_batch(course: Course) -> list[str]:
        batch = course.next_open_batch(today)
        if batch is None:
            return ["No open batch"]
        return [f"{format_date(batch.start_date)}, {label(batch.schedule).lower()}"]

    def seats(course: Course) -> list[str]:
        batch = course.next_open_batch(today)
        return [f"{batch.seats_left} of {batch.seats_total} (next batch)"] if batch else ["—"]

    def schedules(course: Course) -> list[str]:
        upcoming = {b.schedule for b in course.batches if b.is_scheduled(today)}
        return sorted(label(s) for s in upcoming) or ["No upcoming batch"]

    return [
        row("Institute", lambda c: [c.institute.name]),
        row("Fee", _fee),
        row("Fee per hour", _fee_per_hour),
        row("Duration", lambda c: [format_duration(c.duration_days)]),
        row("Total hours", lambda c: [f"{c.total_hours} {'hour' if c.total_hours == 1 else 'hours'}"]),
        row("Mode", lambda c: [label(c.mode)]),
        row("Schedules of upcoming batches", schedules),
        row("Next batch", next_batch),
        row("Seats left", seats),
        row("Topics", lambda c: [t.name for t in c.topics] or ["None listed"]),
        row("Tools", lambda c: [t.name for t in c.tools] or ["None listed"]),
        row("Certification", _certification),
        row("Placement", _placement),
        row("Refund policy", lambda c: [c.refund_policy]),
        row("Syllabus last reviewed", lambda c: _review(c, today)),
        row(
            "Instructors' experience",
            lambda c: (
                [
                    f"{p.name}: {p.years_experience} {'year' if p.years_experience == 1 else 'years'}"
                    for p in c.instructors
                ]
                or ["Not named"]
            ),
        ),
    ]


@bp.get("/compare")
def compare():
    """Two to four courses side by side; a clear message (never a 500) for any other address."""
    slugs = list(dict.fromkeys(slug.strip() for slug in request.args.getlist("c") if slug.strip()))
    context = {"courses": [], "rows": [], "problem": None, "known": []}
    if not COMPARE_MIN <= len(slugs) <= COMPARE_MAX:
        context["problem"] = WRONG_COUNT.format(count=len(slugs))
        return render_template("public/compare.html", **context), 400
    found = courses_to_compare(db.session, slugs)
    missing = [slug for slug in slugs if slug not in found]
    courses = [found[slug] for slug in slugs if slug in found]
    if missing:
        context["problem"] = UNKNOWN.format(slugs=", ".join(f"“{slug}”" for slug in missing))
        context["known"] = courses
        return render_template("public/compare.html", **context), 404
    return render_template(
        "public/compare.html",
        courses=courses,
        rows=compare_rows(courses, local_today()),
        problem=None,
        known=[],
    )
