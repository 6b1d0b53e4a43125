"""The one-button forms that put a course on the shortlist or take it off (POST, with CSRF)."""

from __future__ import annotations

from wtforms import HiddenField, IntegerField
from wtforms.validators import InputRequired, NumberRange
from wtforms.widgets import HiddenInput

from catalog.forms.base import CatalogForm


class ShortlistForm(CatalogForm):
    """Which course to add or remove, and the local page to go back to afterwards."""

    course = IntegerField(
        "Course", widget=HiddenInput(), validators=[InputRequired(), NumberRange(min=1, max=2**31 - 1)]
    )
    next = HiddenField("Back to")
