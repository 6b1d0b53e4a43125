"""The one kind of refusal every write service raises, and the edit-conflict it may become.

A service says *what* went wrong as a code (``"slug-taken"``), *where* as the name of the
command field concerned (``"slug"``, or None for the whole change) and any values the message
needs; the caller (a view, the CLI, the importer, the API) turns the code into words.
"""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    """A change refused for a reason the person making it can act on."""

    def __init__(self, code: str, field: str | None = None, **params: Any) -> None:
        super().__init__(code)
        self.code = code
        self.field = field
        self.params = params

    def __repr__(self) -> str:
        return f"DomainError({self.code!r}, field={self.field!r}, **{self.params!r})"


class EditConflict(DomainError):
    """Someone else saved the record after this change was prepared; nothing was changed."""

    def __init__(self, **params: Any) -> None:
        super().__init__("edit-conflict", None, **params)
