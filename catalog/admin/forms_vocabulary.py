"""Forms of the vocabulary pages: a term's details, its new name and address, the term to merge
it into, and the POST of deleting it."""

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


class TermForm(CatalogForm):
    """A term's name, description (topics) and synonyms (topics and tools)."""

    name = StringField(
        "Name", validators=[DataRequired(NAME_REQUIRED), Length(max=NAME_MAX, message=TOO_LONG)]
    )
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

    name = StringField(
        "New name", validators=[DataRequired(NAME_REQUIRED), Length(max=NAME_MAX, message=TOO_LONG)]
    )
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


class DeleteTermForm(CatalogForm):
    """ "Delete" on an unused term: nothing to fill in, the CSRF token guards the click."""

    submit = SubmitField("Delete")
