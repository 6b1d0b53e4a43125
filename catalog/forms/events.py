"""The event form: times are entered in Indian Standard Time and stored as UTC."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

from sqlalchemy.orm import Session
from wtforms import DateField, IntegerField, SelectField, StringField, TextAreaField, TimeField, URLField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, ValidationError

from catalog.forms.base import CatalogForm
from catalog.forms.fields import (
    CheckboxGroupField,
    WebAddress,
    area_choices,
    as_choices,
    enum_choices,
    optional_int,
    strip_text,
)
from catalog.models import EventKind
from catalog.queries.vocabulary import topics_by_name
from catalog.services.events import EventChanges
from catalog.timeutil import LOCAL_TZ, to_local


class EventForm(CatalogForm):
    """A dated event. Times are entered in Indian Standard Time and stored in UTC."""

    title = StringField(
        "Title", filters=[strip_text], validators=[DataRequired("Enter the event's title."), Length(max=200)]
    )
    kind = SelectField(
        "Kind", choices=enum_choices(EventKind, "Choose a kind…"), validators=[DataRequired("Choose a kind.")]
    )
    description = TextAreaField(
        "Description",
        filters=[strip_text],
        validators=[Optional(), Length(max=5000, message="Keep the description to 5000 characters.")],
        render_kw={"rows": 5},
    )
    starts_on = DateField("Starts on", validators=[InputRequired("Enter the start date.")])
    starts_time = TimeField(
        "Start time (IST)", validators=[InputRequired("Enter the start time.")], format=["%H:%M", "%H:%M:%S"]
    )
    ends_on = DateField(
        "Ends on",
        validators=[Optional()],
        description="Leave empty when the event ends on the day it starts.",
    )
    ends_time = TimeField(
        "End time (IST)", validators=[InputRequired("Enter the end time.")], format=["%H:%M", "%H:%M:%S"]
    )
    venue = StringField(
        "Venue",
        filters=[strip_text],
        validators=[DataRequired("Enter the venue, or the platform for an online event."), Length(max=300)],
    )
    area = SelectField("Area", coerce=optional_int, validators=[InputRequired("Choose the area, or Online.")])
    fee_inr = IntegerField(
        "Fee (₹)",
        default=0,
        validators=[
            InputRequired("Enter the fee in rupees (0 for a free event)."),
            NumberRange(0, 1_000_000, "Enter a fee from 0 to 1000000 rupees."),
        ],
    )
    url = URLField(
        "Link",
        filters=[strip_text],
        validators=[Optional(), Length(max=300), WebAddress()],
        description="Registration or details page.",
        render_kw={"placeholder": "https://"},
    )
    topics = CheckboxGroupField("Topics", coerce=int, validators=[Optional()])

    def load_choices(self, session: Session) -> None:
        """Fill the areas (with Online) and the topic vocabulary."""
        self.area.choices = area_choices(session, include_online=True, placeholder="Choose an area…")
        self.topics.choices = as_choices((t.id, t.name) for t in topics_by_name(session))

    def validate_ends_time(self, field) -> None:
        starts, ends = self.starts_at(), self.ends_at()
        if starts is not None and ends is not None and ends <= starts:
            raise ValidationError("The event must end after it starts.")

    def starts_at(self) -> datetime | None:
        """The start as an aware datetime in UTC."""
        return _aware(self.starts_on.data, self.starts_time.data)

    def ends_at(self) -> datetime | None:
        """The end as an aware datetime in UTC (on the start day unless an end day is given)."""
        return _aware(self.ends_on.data or self.starts_on.data, self.ends_time.data)

    def to_command(self) -> EventChanges:
        """The validated entries as event changes, the times in UTC."""
        return EventChanges(
            title=self.title.data,
            kind=EventKind(self.kind.data),
            description=self.description.data or "",
            starts_at=self.starts_at(),
            ends_at=self.ends_at(),
            venue=self.venue.data,
            area=self.area.data,
            fee_inr=self.fee_inr.data,
            url=self.url.data or None,
            topics=tuple(self.topics.data or ()),
        )

    @staticmethod
    def data_of(event) -> dict:
        """Form data for an existing event, with its times in Indian Standard Time."""
        starts, ends = to_local(event.starts_at), to_local(event.ends_at)
        return {
            "title": event.title,
            "kind": event.kind.value,
            "description": event.description,
            "starts_on": starts.date(),
            "starts_time": starts.time().replace(second=0, microsecond=0),
            "ends_on": ends.date(),
            "ends_time": ends.time().replace(second=0, microsecond=0),
            "venue": event.venue,
            "area": event.area_id,
            "fee_inr": event.fee_inr,
            "url": event.url,
            "topics": [topic.id for topic in event.topics],
        }


def _aware(day: date | None, moment: time | None) -> datetime | None:
    if day is None or moment is None:
        return None
    return datetime.combine(day, moment, tzinfo=LOCAL_TZ).astimezone(UTC)
