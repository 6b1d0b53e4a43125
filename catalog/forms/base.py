"""The base of every form in the catalog: it reports the characters the request guard removed.

:mod:`catalog.guards` takes control characters out of the values of an HTML form post before
any form reads them and records which field held which. :class:`CatalogForm` turns that record
into a message beside each such field (its own, or one of a nested row's), so the form is shown
again with what is left of the text and does not validate, and nothing is stored.
"""

from __future__ import annotations

from collections.abc import Iterator

from flask import request
from flask_wtf import FlaskForm
from wtforms import Field, FieldList, FormField

from catalog.guards import describe_character, removed_characters

#: Fields the form macro renders without their messages; theirs go to the top of the form.
UNLABELLED_TYPES = ("HiddenField", "CSRFTokenField", "SubmitField")
#: A posted field no form field reads held such a character: nothing of that post is kept.
UNKNOWN_FIELD = (
    "The form sent a value that cannot be stored (it held {character}); "
    "reload the page and send the form again."
)


def removed_message(char: str) -> str:
    """What a field says when the guard removed ``char`` (and any like it) from its value."""
    return (
        f"This holds a character that cannot be stored ({describe_character(char)}); "
        "we removed it — check the text and send again."
    )


def leaf_fields(fields) -> Iterator[Field]:
    """Every field of ``fields`` (a form, or a list of fields) that reads one posted name, inside
    nested forms (``FormField``) and rows (``FieldList``) too."""
    for field in fields:
        if isinstance(field, FormField):
            yield from leaf_fields(field.form)
        elif isinstance(field, FieldList):
            yield from leaf_fields(field.entries)
        else:
            yield field


class CatalogForm(FlaskForm):
    """A ``FlaskForm`` that does not validate while the guard removed characters from what it
    was sent, and says so beside each field concerned."""

    class Meta(FlaskForm.Meta):
        def wrap_formdata(self, form, formdata):
            wrapped = super().wrap_formdata(form, formdata)
            # Only a form that reads the request's posted fields answers for them.
            form.reads_posted_form = wrapped is not None and wrapped is request.form
            return wrapped

    reads_posted_form = False

    def validate(self, extra_validators=None) -> bool:
        """Validate as usual, then refuse every field the guard removed a character from."""
        valid = super().validate(extra_validators)
        removed = dict(removed_characters()) if self.reads_posted_form else {}
        if not removed:
            return valid
        for field in leaf_fields(self):
            char = removed.pop(field.name, None)
            if char is None:
                continue
            message = removed_message(char)
            if field.type in UNLABELLED_TYPES:
                self.form_errors.append(message)
            else:
                field.errors = [message, *field.errors]
        if removed:
            char = next(iter(removed.values()))
            self.form_errors.append(UNKNOWN_FIELD.format(character=describe_character(char)))
        return False
