"""The import's steps for courses (with modules), their batches, and events: each checks a
record, and when the walk writes, creates or updates it through its service."""

from __future__ import annotations

from dataclasses import replace

from catalog.data.exchange import export
from catalog.data.exchange.document import as_document
from catalog.data.exchange.report import Held
from catalog.data.exchange.walk import UNCHECKED, Walk
from catalog.data.records import Record
from catalog.data.seed_changes import batch_changes, course_changes, event_changes
from catalog.models import BatchStatus, CourseStatus, Institute
from catalog.services.batches import CAMPUS_MODES, apply_batch, close_batch
from catalog.services.claims import course_claims
from catalog.services.courses import apply_course, archive_course, restore_course
from catalog.services.events import apply_event

#: The course statuses that ask for the catalog (``published`` stands for an admin's review).
PUBLISHING = (CourseStatus.PUBLISHED, CourseStatus.PENDING)


class ListingSteps(Walk):
    """Courses with their modules, batches, events."""

    def course(self, record: Record) -> None:
        """A course listing with its modules; its status as the file gives it, unless the
        course rules hold it for moderation."""
        slug = record.slug()
        if not self._first(record, "courses", slug):
            return
        institute = record.reference("institute", self.institutes, "institute (in the file or the catalog)")
        status = record.choice("status", CourseStatus)
        reviewed_on = self._day(record, "syllabus_reviewed_on", required=False)
        if reviewed_on is not None and reviewed_on > self.today:
            record.refuse("syllabus_reviewed_on", "is after today")
        # Without a known institute, its campuses and instructors cannot be checked.
        campuses, instructors = self._institute_parts(institute.slug) if institute else (UNCHECKED,) * 2
        changes = course_changes(
            record,
            self.today,
            campuses=campuses,
            instructors=instructors,
            topics=self.terms["topics"],
            tools=self.terms["tools"],
            publish=status in PUBLISHING,
            syllabus_reviewed_on=reviewed_on,
            modules=record.parts.get("modules", []),
        )
        stored = self.stored.courses.get(slug)
        if stored is not None and institute is not None and stored.institute.slug != institute.slug:
            record.refuse(
                "institute", f"the course is {stored.institute.slug!r}'s; an import does not move it"
            )
        self.course_institute[slug] = institute.slug if institute else None
        if not self.applying:
            return
        if self._unchanged(record, "courses", changes.title, stored, export.course_document, ("modules",)):
            return
        self.courses[slug] = self._save_course(record, stored, institute, changes, status)

    def _save_course(self, record: Record, stored, institute: Institute, changes, status: CourseStatus):
        if stored is not None and stored.status == CourseStatus.ARCHIVED:
            self._write(record, restore_course, self.actor, stored)
        if stored is not None:
            changes = replace(changes, version=stored.version)
        reviewed = status == CourseStatus.PUBLISHED
        outcome = self._write(record, apply_course, self.actor, institute, changes, stored, reviewed=reviewed)
        course = outcome.record
        if status == CourseStatus.ARCHIVED:
            self._write(record, archive_course, self.actor, course)
        self.report.note("updated" if stored else "created", "courses", course.title)
        if course.awaits_review:
            reasons = [
                f"{field}: “{match.phrase}”"
                for field, matches in course_claims(changes).items()
                for match in matches
            ]
            if not reasons:
                reasons = [f"{institute.name} is not verified"]
            self.report.held.append(Held(course.slug, course.title, tuple(reasons)))
        return course

    def batch(self, record: Record) -> None:
        """A batch of a course: matched to a stored one by start, schedule and campus."""
        course_slug = record.data.get("course")
        if not isinstance(course_slug, str) or course_slug not in self.course_institute:
            record.refuse("course", f"unknown course (in the file or the catalog) {course_slug!r}")
            return
        campuses, _instructors = self._institute_parts(self.course_institute[course_slug])
        changes = batch_changes(record, self._day(record, "start_date"), campuses)
        status = record.choice("status", BatchStatus)
        if changes.mode in CAMPUS_MODES and record.data.get("campus") is None:
            record.refuse("campus", f"a {changes.mode.value} batch meets at a campus: name its area")
        if status == BatchStatus.OPEN and changes.seats_left == 0:
            record.refuse("status", "is open, but no seat is left: make it full, or give seats_left")
        if status == BatchStatus.FULL and changes.seats_left:
            record.refuse("status", f"is full, but {changes.seats_left} seats are left")
        key = export.batch_key(as_document(record))
        pool = self.batches.get(course_slug, [])
        existing = next((b for b in pool if export.batch_key(export.batch_document(b)) == key), None)
        if existing is not None:
            pool.remove(existing)
            if existing.status == BatchStatus.CLOSED and status not in (None, BatchStatus.CLOSED):
                record.refuse("status", "the batch is closed in the catalog; an import does not reopen it")
        if not self.applying:
            return
        course, name = self.courses[course_slug], f"{course_slug} from {changes.start_date}"
        # A catalog's batches that have started come with it.
        args = (self.actor, course, changes, existing)
        batch = self._save(
            record,
            "batches",
            name,
            existing,
            export.batch_document,
            apply_batch,
            *args,
            may_have_started=True,
        )
        if status == BatchStatus.CLOSED and batch.status != BatchStatus.CLOSED:
            self._write(record, close_batch, self.actor, batch)

    def event(self, record: Record) -> None:
        """An event, by slug; its institute, when it has one, by slug too."""
        slug = record.slug()
        if not self._first(record, "events", slug):
            return
        starts_at, ends_at = self._moment(record, "starts_at"), self._moment(record, "ends_at")
        if starts_at is not None and ends_at is not None and ends_at <= starts_at:
            record.refuse("ends_at", "is not after starts_at: an event ends after it starts")
        changes = event_changes(record, starts_at, ends_at, self.terms["areas"], self.terms["topics"])
        institute = record.reference(
            "institute", self.institutes, "institute (in the file or the catalog)", required=False
        )
        stored = self.stored.events.get(slug)
        owner = stored.institute.slug if stored is not None and stored.institute is not None else None
        if stored is not None and owner != record.data.get("institute"):
            record.refuse("institute", "an import does not move an event to another institute")
        if self.applying:
            args = (self.actor, institute, changes, stored)
            self._save(record, "events", changes.title, stored, export.event_document, apply_event, *args)
