"""What a write service hands back: the record, and a code saying what happened to it.

The caller turns the code (and its values) into words: the portal into a flash message, the
seed into its report, the API into JSON.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

R = TypeVar("R")


@dataclass(frozen=True)
class Outcome(Generic[R]):
    """The record written (None once deleted), what happened (``"course-published"``) and the
    values a message about it needs (``{"title": ...}``)."""

    record: R | None
    code: str
    params: Mapping[str, Any] = field(default_factory=dict)
