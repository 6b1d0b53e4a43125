"""What an import did (or, in a dry run, would do): every problem with its place, or the
records created, updated and left unchanged, and the courses sent to moderation."""

from __future__ import annotations

from dataclasses import dataclass, field

from catalog.data.records import DataError

#: The kinds of record a report counts, in the order it lists them.
REPORT_KINDS = (
    "areas", "topics", "tools", "institutes", "campuses", "instructors", "courses", "batches", "events",
)  # fmt: skip


@dataclass(frozen=True)
class Held:
    """A course the import sent to moderation, and why it waits."""

    slug: str
    title: str
    reasons: tuple[str, ...]


@dataclass
class ImportReport:
    """The outcome of one import: problems (then nothing was written), or what changed."""

    source: str
    file_format: str = "json"
    dry_run: bool = False
    problems: list[DataError] = field(default_factory=list)
    created: dict[str, list[str]] = field(default_factory=dict)
    updated: dict[str, list[str]] = field(default_factory=dict)
    unchanged: dict[str, int] = field(default_factory=dict)
    held: list[Held] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when the file had no problem (a dry run's file may then be imported)."""
        return not self.problems

    def note(self, outcome: str, kind: str, name: str) -> None:
        """Count one record of ``kind`` as ``created``, ``updated`` or ``unchanged``."""
        if outcome == "unchanged":
            self.unchanged[kind] = self.unchanged.get(kind, 0) + 1
        else:
            getattr(self, outcome).setdefault(kind, []).append(name)

    def forget_changes(self) -> None:
        """Drop what was counted: the import stopped and nothing of it was written."""
        self.created, self.updated, self.unchanged, self.held = {}, {}, {}, []

    def counts(self) -> list[tuple[str, int, int, int]]:
        """(kind, created, updated, unchanged) for every kind the file held."""
        rows = []
        for kind in REPORT_KINDS:
            row = (
                len(self.created.get(kind, [])),
                len(self.updated.get(kind, [])),
                self.unchanged.get(kind, 0),
            )
            if any(row):
                rows.append((kind, *row))
        return rows

    def summary(self) -> str:
        """One sentence saying what happened."""
        if self.problems:
            count = len(self.problems)
            return f"{self.source}: {count} problem{'s' if count != 1 else ''}; nothing was imported."
        created = sum(len(names) for names in self.created.values())
        updated = sum(len(names) for names in self.updated.values())
        unchanged = sum(self.unchanged.values())
        verb = "would create" if self.dry_run else "created"
        held = f"; {len(self.held)} sent to moderation" if self.held else ""
        result = f"{verb} {created}, {'would update' if self.dry_run else 'updated'} {updated}"
        tail = " Dry run: nothing was written." if self.dry_run else ""
        return f"{self.source}: {result}, {unchanged} unchanged{held}.{tail}"

    def lines(self) -> list[str]:
        """The report as lines of text (for the command line)."""
        lines = [self.summary()]
        lines.extend(str(problem) for problem in self.problems)
        for kind, created, updated, unchanged in self.counts():
            lines.append(f"  {kind}: {created} created, {updated} updated, {unchanged} unchanged")
        for course in self.held:
            lines.append(f"  sent to moderation: {course.slug} ({'; '.join(course.reasons)})")
        return lines
