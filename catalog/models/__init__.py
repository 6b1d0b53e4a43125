"""The data model; importing this package registers every table on ``Base.metadata``."""

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
from catalog.models.events import Event, EventKind, event_topics
from catalog.models.search import SearchWord

__all__ = [
    "LANGUAGES",
    "Area",
    "Base",
    "Batch",
    "BatchStatus",
    "Campus",
    "Course",
    "CourseFormat",
    "CourseLanguage",
    "CourseModule",
    "CourseStatus",
    "Event",
    "EventKind",
    "Institute",
    "InstituteStatus",
    "Instructor",
    "Level",
    "Mode",
    "Partner",
    "Schedule",
    "SearchWord",
    "Tool",
    "Topic",
    "course_campuses",
    "course_instructors",
    "course_tools",
    "course_topics",
    "event_topics",
]
