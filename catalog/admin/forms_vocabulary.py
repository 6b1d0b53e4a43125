"""Forms of the vocabulary pages: a term's details, its new name and address, and the term to
merge it into (deleting it is a click, :class:`catalog.admin.forms.ClickForm`)."""

from __future__ import annotations

from wtforms import SelectChoice, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length

from catalog.forms.base import CatalogForm
from catalog.services.vocabulary import NAME_MAX

NAME_REQUIRED = "Give the term a name."
TOO_LONG = f"Use at most {NAME_MAX} characters."


def split_synonyms(text: str | None) -> tuple[str, ...]:
    """The synonyms typed one a line (or separated by commas)."""
    return tuple(part for line in (text or "").splitlines() for part in line.split(","))


def name_field(label: str) -> StringField:
    """A term's name: required, at most :data:`NAME_MAX` characters."""
    return StringField(
        label, validators=[DataRequired(NAME_REQUIRED), Length(max=NAME_MAX, message=TOO_LONG)]
    )


class TermForm(CatalogForm):
    """A term's name, description (topics) and synonyms (topics and tools)."""

    name = name_field("Name")
    description = TextAreaField(
        "Description", description="Shown on the topic's page.", validators=[Length(max=4000)]
    )
    synonyms = TextAreaField(
        "Synonyms",
        description="One a line: the other words learners type for it. A search for any finds its courses.",
        validators=[Length(max=4000)],
    )
    submit = SubmitField("Save")


class RenameForm(CatalogForm):
    """A new name and address (slug); the old address keeps leading to the term."""

    name = name_field("New name")
    slug = StringField(
        "New address (slug)",
        description="Lower-case letters and digits joined by hyphens, as in kubernetes or ml-monitoring.",
        validators=[DataRequired("Give the term an address."), Length(max=NAME_MAX, message=TOO_LONG)],
    )
    submit = SubmitField("Rename")


class MergeForm(CatalogForm):
    """The term that survives a merge of this one into it."""

    target = SelectField("Merge into", validators=[DataRequired("Choose the term that stays.")])
    submit = SubmitField("Merge")

    def set_targets(self, terms) -> None:
        self.target.choices = [
            SelectChoice("", "Choose a term"),
            *(SelectChoice(str(t.id), t.name) for t in terms),
        ]

    def chosen_target(self) -> int:
        return int(self.target.data)
