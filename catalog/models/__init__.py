"""The data model; importing this package registers every table on ``Base.metadata``."""

from catalog.models.accounts import PasswordResetToken, Role, User, UserSession
from catalog.models.alerts import Alert, AlertKind
from catalog.models.audit import AuditEntry
from catalog.models.base import Base
from catalog.models.catalog import (
    Area,
    Campus,
    Institute,
    InstituteStatus,
    Instructor,
    Partner,
    Tool,
    Topic,
)
from catalog.models.courses import (
    LANGUAGES,
    SYLLABUS_STALE_AFTER_DAYS,
    Batch,
    BatchStatus,
    Course,
    CourseFormat,
    CourseLanguage,
    CourseModule,
    CourseStatus,
    Level,
    Mode,
    Schedule,
    course_campuses,
    course_instructors,
    course_tools,
    course_topics,
)
from catalog.models.enquiries import ContactMethod, Enquiry, EnquiryEvent, EnquiryStatus, InvalidReason
from catalog.models.events import Event, EventKind, event_topics
from catalog.models.outbox import OutboxMessage, OutboxStatus
from catalog.models.reminders import REMINDER_INTERVAL_DAYS, StalenessReminder, next_reminder_at
from catalog.models.reports import (
    REPORT_DETAILS_MAX,
    REPORT_NOTE_MAX,
    ListingReport,
    ReportReason,
    ReportStatus,
)
from catalog.models.search import SearchState, SearchWord
from catalog.models.vocabulary_redirects import TERM_KINDS, VocabularyRedirect

__all__ = [
    "LANGUAGES",
    "REMINDER_INTERVAL_DAYS",
    "REPORT_DETAILS_MAX",
    "REPORT_NOTE_MAX",
    "SYLLABUS_STALE_AFTER_DAYS",
    "TERM_KINDS",
    "Alert",
    "AlertKind",
    "Area",
    "AuditEntry",
    "Base",
    "Batch",
    "BatchStatus",
    "Campus",
    "ContactMethod",
    "Course",
    "CourseFormat",
    "CourseLanguage",
    "CourseModule",
    "CourseStatus",
    "Enquiry",
    "EnquiryEvent",
    "EnquiryStatus",
    "Event",
    "EventKind",
    "Institute",
    "InstituteStatus",
    "Instructor",
    "InvalidReason",
    "Level",
    "ListingReport",
    "Mode",
    "OutboxMessage",
    "OutboxStatus",
    "Partner",
    "PasswordResetToken",
    "ReportReason",
    "ReportStatus",
    "Role",
    "Schedule",
    "SearchState",
    "SearchWord",
    "StalenessReminder",
    "Tool",
    "Topic",
    "User",
    "UserSession",
    "VocabularyRedirect",
    "course_campuses",
    "course_instructors",
    "course_tools",
    "course_topics",
    "event_topics",
    "next_reminder_at",
]
