"""Export: the whole catalog as one JSON document or a zip of CSV files, the same bytes every
time for the same catalog (no export time; records sorted by their natural keys in Python, not
by a database's collation).

Each ``*_document`` function gives one record as the format holds it; the importer compares a
stored record's document with the file's to tell an unchanged record from an updated one.
"""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload, selectinload

from catalog.data.exchange.archive import csv_archive
from catalog.data.exchange.format import FORMAT_NAME, FORMAT_VERSION
from catalog.models import Area, Batch, Campus, Course, Event, Institute, Instructor, Tool, Topic
from catalog.services.vocabulary import clean_synonyms
from catalog.timeutil import to_local

#: The fields that tell a course's batches apart (batches have no slug).
BATCH_KEY = ("course", "start_date", "schedule", "campus")


def area_document(area: Area) -> dict[str, Any]:
    """An area: name, slug and coordinates."""
    return {"slug": area.slug, "name": area.name, "latitude": area.latitude, "longitude": area.longitude}


def topic_document(topic: Topic) -> dict[str, Any]:
    """A topic with its description and synonyms (as the vocabulary page would keep them)."""
    synonyms = clean_synonyms(topic.synonyms or [], topic.name)
    return {"slug": topic.slug, "name": topic.name, "description": topic.description, "synonyms": synonyms}


def tool_document(tool: Tool) -> dict[str, Any]:
    """A tool with its category and synonyms."""
    synonyms = clean_synonyms(tool.synonyms or [], tool.name)
    return {"slug": tool.slug, "name": tool.name, "category": tool.category, "synonyms": synonyms}


def institute_document(institute: Institute) -> dict[str, Any]:
    """An institute's profile, status and partners (its campuses and instructors apart)."""
    return {
        "slug": institute.slug,
        "name": institute.name,
        "description": institute.description,
        "website": institute.website,
        "email": institute.email,
        "phone": institute.phone,
        "founded_year": institute.founded_year,
        "status": institute.status.value,
        "verified": institute.verified,
        "partners": sorted(partner.name for partner in institute.partners),
    }


def campus_document(campus: Campus) -> dict[str, Any]:
    """A campus: its area's slug and its address."""
    return {"area": campus.area.slug, "address": campus.address}


def instructor_document(instructor: Instructor) -> dict[str, Any]:
    """An instructor of an institute."""
    return {
        "name": instructor.name,
        "years_experience": instructor.years_experience,
        "bio": instructor.bio,
        "industry_background": instructor.industry_background,
    }


def course_document(course: Course) -> dict[str, Any]:
    """A course listing as stored (its live form), with its modules in order."""
    certification = None
    if course.certification_name is not None or course.certification_issuer is not None:
        certification = {"name": course.certification_name, "issuer": course.certification_issuer}
    figures = (course.placement_rate, course.placement_year, course.placement_cohort_size)
    placement = None
    if any(figure is not None for figure in figures):
        placement = dict(zip(("rate_percent", "year", "cohort_size"), figures, strict=True))
    reviewed = course.syllabus_reviewed_on
    return {
        "slug": course.slug,
        "institute": course.institute.slug,
        "title": course.title,
        "status": course.status.value,
        "summary": course.summary,
        "description": course.description,
        "format": course.format.value,
        "level": course.level.value,
        "mode": course.mode.value,
        "duration_days": course.duration_days,
        "total_hours": course.total_hours,
        "fee_inr": course.fee_inr,
        "emi_available": course.emi_available,
        "languages": sorted(course.language_names),
        "certification": certification,
        "refund_policy": course.refund_policy,
        "placement_support": course.placement_support,
        "placement": placement,
        "prerequisites": course.prerequisites,
        "topics": sorted(topic.slug for topic in course.topics),
        "tools": sorted(tool.slug for tool in course.tools),
        "campuses": sorted(campus.area.slug for campus in course.campuses),
        "instructors": sorted(person.name for person in course.instructors),
        "syllabus_reviewed_on": None if reviewed is None else reviewed.isoformat(),
        "modules": [
            {"title": module.title, "hours": module.hours, "outline": module.outline}
            for module in course.modules
        ],
    }


def batch_document(batch: Batch) -> dict[str, Any]:
    """A batch of a course, its campus by area slug (none: online)."""
    return {
        "course": batch.course.slug,
        "start_date": batch.start_date.isoformat(),
        "schedule": batch.schedule.value,
        "mode": batch.mode.value,
        "campus": batch.campus.area.slug if batch.campus is not None else None,
        "seats_total": batch.seats_total,
        "seats_left": batch.seats_left,
        "status": batch.status.value,
    }


def batch_key(document: dict[str, Any]) -> tuple:
    """What tells a course's batches apart in a file: start, schedule and campus."""
    return (
        document.get("course"),
        document.get("start_date"),
        document.get("schedule"),
        document.get("campus"),
    )


def _batch_order(document: dict[str, Any]) -> tuple:
    return tuple("" if value is None else str(value) for value in (*batch_key(document), *document.values()))


def event_document(event: Event) -> dict[str, Any]:
    """An event, its times in Hyderabad's time with their offset."""
    return {
        "slug": event.slug,
        "title": event.title,
        "kind": event.kind.value,
        "description": event.description,
        "starts_at": to_local(event.starts_at).isoformat(),
        "ends_at": to_local(event.ends_at).isoformat(),
        "venue": event.venue,
        "area": event.area.slug if event.area is not None else None,
        "organiser": event.organiser,
        "institute": event.institute.slug if event.institute is not None else None,
        "fee_inr": event.fee_inr,
        "url": event.url,
        "topics": sorted(topic.slug for topic in event.topics),
    }


def _sorted(documents, key: str = "slug") -> list[dict[str, Any]]:
    # Sorted here, not by the database: collations differ between SQLite and PostgreSQL.
    return sorted(documents, key=lambda document: document[key])


#: What loads an institute, a course and an event with everything their documents name, in a
#: fixed number of statements whatever their number.
INSTITUTE_LOADING = (
    selectinload(Institute.partners),
    selectinload(Institute.instructors),
    selectinload(Institute.campuses).joinedload(Campus.area),
)
COURSE_LOADING = (
    joinedload(Course.institute),
    selectinload(Course.modules),
    selectinload(Course.languages),
    selectinload(Course.topics),
    selectinload(Course.tools),
    selectinload(Course.instructors),
    selectinload(Course.campuses).joinedload(Campus.area),
)
EVENT_LOADING = (joinedload(Event.area), joinedload(Event.institute), selectinload(Event.topics))


def catalog_document(session: Session) -> dict[str, Any]:
    """The whole catalog as one document of plain values."""
    institutes = session.scalars(select(Institute).options(*INSTITUTE_LOADING))
    courses = session.scalars(select(Course).options(*COURSE_LOADING))
    batches = session.scalars(
        select(Batch).options(joinedload(Batch.course), joinedload(Batch.campus).joinedload(Campus.area))
    )
    events = session.scalars(select(Event).options(*EVENT_LOADING))
    return {
        "format": FORMAT_NAME,
        "format_version": FORMAT_VERSION,
        "areas": _sorted(area_document(area) for area in session.scalars(select(Area))),
        "topics": _sorted(topic_document(topic) for topic in session.scalars(select(Topic))),
        "tools": _sorted(tool_document(tool) for tool in session.scalars(select(Tool))),
        "institutes": _sorted(
            {
                **institute_document(institute),
                "campuses": _sorted(map(campus_document, institute.campuses), "area"),
                "instructors": _sorted(map(instructor_document, institute.instructors), "name"),
            }
            for institute in institutes
        ),
        "courses": _sorted(course_document(course) for course in courses),
        "batches": sorted((batch_document(batch) for batch in batches), key=_batch_order),
        "events": _sorted(event_document(event) for event in events),
    }


def json_bytes(document: dict[str, Any]) -> bytes:
    """The document as UTF-8 JSON: keys sorted, two-space indent, a newline at the end."""
    return (json.dumps(document, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode("utf-8")


#: The file formats an export can take: the bytes, the file name's ending, the media type.
FORMATS = {"json": (json_bytes, "json", "application/json"), "csv": (csv_archive, "zip", "application/zip")}


def export_catalog(session: Session, file_format: str = "json") -> bytes:
    """The whole catalog in ``file_format`` (``json`` or ``csv``)."""
    write, _ending, _media_type = FORMATS[file_format]
    return write(catalog_document(session))
