"""Import: check every record of an exchange file, then write all of it in one transaction
through the portal's services, or nothing.

One walk over the file serves both passes. The check (``applying`` False) reads every record,
noting each problem with its place (an unknown topic, a negative fee, an end before the start,
a slug given twice, a bad date …) and writes nothing; only a file without problems is then
walked again inside one :func:`unit_of_work`, creating what is new, updating what the file
changes (by slug; an instructor by name, a campus by area, a batch by start, schedule and
campus) and leaving alone what it does not. A service's refusal stops that pass, rolls it all
back and is reported like any other problem. Nothing is ever deleted.
"""

from __future__ import annotations

from sqlalchemy import exc as sa_exc
from sqlalchemy.orm import Session

from catalog.data.exchange.import_institutes import TERM_MODELS, InstituteSteps
from catalog.data.exchange.import_listings import ListingSteps
from catalog.data.exchange.reading import read_document
from catalog.data.exchange.report import ImportReport
from catalog.data.exchange.walk import Stop
from catalog.data.records import DataError
from catalog.models import User
from catalog.services.transactions import unit_of_work


class Importer(InstituteSteps, ListingSteps):
    """The walk with every step, in the order records refer to each other."""

    def run(self) -> None:
        """Check (or write) every record, those others refer to first."""
        records = self.document.records
        for kind in TERM_MODELS:
            for record in records[kind]:
                self.term(kind, record)
        for record in records["institutes"]:
            self.institute(record)
        for record in records["courses"]:
            self.course(record)
        for record in records["batches"]:
            self.batch(record)
        for record in records["events"]:
            self.event(record)


def import_catalog(
    session: Session,
    data: bytes,
    source: str,
    actor: User | None = None,
    *,
    dry_run: bool = False,
    max_unpacked: int | None = None,
) -> ImportReport:
    """Import an exchange file (JSON, or a zip of CSV files) named ``source``.

    Every record is checked first; with any problem nothing is written and the report lists
    them all. Otherwise everything is written in one transaction as ``actor`` (None: the
    command line), or, in a ``dry_run``, written and rolled back, so the report says exactly
    what an import would do. ``max_unpacked`` bounds what a CSV archive may unpack to.
    """
    document = read_document(data, source, max_unpacked)
    report = ImportReport(source, document.file_format, dry_run)
    if document.readable:
        with session.no_autoflush:
            Importer(session, document, report, actor, applying=False).run()
    if not document.problems:
        try:
            with unit_of_work(session), session.no_autoflush:
                Importer(session, document, report, actor, applying=True).run()
                if dry_run or document.problems:
                    raise Stop()
        except Stop:
            pass
        except DataError as problem:
            document.problems.append(problem)
        except (sa_exc.IntegrityError, sa_exc.DataError) as error:
            reason = f"the database refused a record: {getattr(error, 'orig', error)}"
            document.problems.append(DataError(f"{source}: {reason}", source, reason=reason))
    report.problems = list(document.problems)
    if report.problems:
        report.forget_changes()
    return report
