"""Commands: ``flask --app catalog seed | generate | reindex | create-user | approve-institute``,
``deactivate-user``, ``send-outbox``, ``send-alerts``, ``purge-personal-data``, ``backup``, ``restore``,
``export``, ``import`` and (development only) ``demo-staff``."""

from __future__ import annotations

import functools
import os
from collections.abc import Callable
from typing import TypeVar

import click
from flask import Flask, current_app
from flask_migrate import upgrade
from sqlalchemy import event

from catalog.extensions import db
from catalog.services.errors import DomainError

R = TypeVar("R")
T = TypeVar("T")


def without_statement_timeout(command):
    """Run a bulk command (seed, generate, reindex, purge, restore) free of the statement
    timeout that bounds web requests: loading or indexing 100,000 courses takes longer than
    a page may, and nobody waits on a page for it."""

    @functools.wraps(command)
    def run(*args, **kwargs):
        if db.engine.dialect.name == "postgresql":
            # Connections made before this point carry the request timeout; make new ones.
            db.engine.dispose()
            if not event.contains(db.engine, "connect", _no_statement_timeout):
                event.listen(db.engine, "connect", _no_statement_timeout)
        return command(*args, **kwargs)

    return run


def _no_statement_timeout(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("SET statement_timeout = 0")
    cursor.close()
    dbapi_connection.commit()


def _found(record: R | None, missing: str) -> R:
    """The record a command names; ``missing`` refuses the command when there is none."""
    if record is None:
        raise click.ClickException(missing)
    return record


def _echo_change(result: T | None, already: str, done: Callable[[T], str]) -> None:
    """Say what a command's change did: ``already`` when the service changed nothing (it
    returned None), else ``done`` of what it returned."""
    click.echo(already if result is None else done(result))


def register(app: Flask) -> None:
    """Attach the catalog's commands to the app's CLI."""

    @app.cli.command("seed")
    @without_statement_timeout
    def seed_command() -> None:
        """Bring the database to the latest schema and load the seed catalog from data/."""
        from catalog.data.seeding import SeedError, seed_catalog

        upgrade()
        try:
            report = seed_catalog(db.session, current_app.config["DATA_DIR"])
        except SeedError as error:
            raise click.ClickException(f"Seed not loaded, nothing changed: {error}") from None
        click.echo(str(report))

    @app.cli.command("generate")
    @click.option(
        "--courses", type=click.IntRange(1, 1_000_000), required=True, help="How many courses to add."
    )
    @click.option(
        "--seed",
        "random_seed",
        type=int,
        default=1,
        show_default=True,
        help="Random seed; the same seed gives the same catalog.",
    )
    @without_statement_timeout
    def generate_command(courses: int, random_seed: int) -> None:
        """Add a deterministic synthetic catalog of N courses (for benchmarks and scale tests)."""
        from catalog.data.generator import generate_catalog

        upgrade()
        summary = generate_catalog(db.session, courses, random_seed)
        click.echo(summary)

    @app.cli.command("reindex")
    @without_statement_timeout
    def reindex_command() -> None:
        """Rebuild the search index from the catalog."""
        from catalog.search import rebuild_index

        with db.session.begin():
            count = rebuild_index(db.session.connection())
        click.echo(f"Indexed {count} courses.")

    @app.cli.command("create-user")
    @click.argument("email")
    @click.option(
        "--role", type=click.Choice(["admin", "institute"]), required=True, help="What the account may do."
    )
    @click.option("--institute", "institute_slug", metavar="SLUG", help="The institute of a staff account.")
    def create_user_command(email: str, role: str, institute_slug: str | None) -> None:
        """Create an account; the password is asked twice, hidden (or read as two lines from stdin)."""
        from catalog.models import Role
        from catalog.queries.accounts import find_institute
        from catalog.services import admin_accounts

        missing = f"No institute has the slug {institute_slug!r}; nothing created."
        institute = _found(find_institute(db.session, institute_slug), missing) if institute_slug else None
        try:
            # Refuse what can be refused before anyone types a password.
            admin_accounts.check_new_account(db.session, email, Role(role), institute)
            password = click.prompt("Password", hide_input=True)
            again = click.prompt("Repeat the password", hide_input=True)
            if password != again:
                raise click.ClickException("The two passwords do not match; nothing created.")
            user = admin_accounts.create_user(db.session, email, password, Role(role), institute)
        except DomainError as refusal:
            raise click.ClickException(_account_refusal(refusal, email)) from None
        where = f" of {institute.name} ({institute.slug})" if institute else ""
        click.echo(f"Created {user.role.value} account {user.email}{where}.")

    @app.cli.command("demo-staff")
    def demo_staff_command() -> None:
        """Development only: create or reset the demo staff sign-in and print it (``make run``)."""
        from catalog.devmode import NotDevelopment, reset_demo_staff
        from catalog.emails import site_url

        try:
            demo = reset_demo_staff(db.session, current_app._get_current_object())
        except (NotDevelopment, LookupError) as refusal:
            raise click.ClickException(str(refusal)) from None
        click.echo(
            f"Demo staff sign-in (development only) for {demo.institute.name}:\n"
            f"  {site_url('portal.login')}\n  email:    {demo.email}\n  password: {demo.password}"
        )

    @app.cli.command("approve-institute")
    @click.argument("slug")
    def approve_institute_command(slug: str) -> None:
        """Approve a registered institute: its staff can use the portal from now on."""
        from catalog.queries.accounts import find_institute
        from catalog.services.moderation_institutes import approve_institute

        institute = _found(find_institute(db.session, slug), f"No institute has the slug {slug!r}.")
        _echo_change(
            approve_institute(db.session, institute),
            f"{institute.name} ({slug}) is already approved; nothing changed.",
            lambda before: (
                f"Approved {institute.name} ({slug}), which was {before.value}; "
                "its staff can now use the portal."
            ),
        )

    @app.cli.command("deactivate-user")
    @click.argument("email")
    def deactivate_user_command(email: str) -> None:
        """Close an account: it can no longer sign in, and every session of it ends now."""
        from catalog.queries.accounts import find_user_by_email
        from catalog.services.admin_accounts import deactivate_user

        missing = f"No account has the email {email.strip()}; nothing changed."
        user = _found(find_user_by_email(db.session, email), missing)
        _echo_change(
            deactivate_user(db.session, user),
            f"{user.email} is already deactivated; nothing changed.",
            lambda ended: f"Deactivated {user.email}; {ended} session(s) ended.",
        )

    @app.cli.command("send-outbox")
    @click.option("--limit", type=click.IntRange(1, 10_000), default=100, show_default=True)
    def send_outbox_command(limit: int) -> None:
        """Send due outbox emails through SMTP (run it from cron or a timer; two at once are safe)."""
        from catalog.services.outbox import DeliverySettings, deliver_pending

        if not current_app.config.get("SMTP_HOST"):
            raise click.ClickException("SMTP_HOST is not set: messages stay in the outbox until it is.")
        report = deliver_pending(db.session, DeliverySettings.from_config(current_app.config), limit)
        click.echo(
            f"Sent {report.sent} message(s); {report.retrying} will be retried later; "
            f"{report.failed} failed for good (see /admin/outbox)."
        )

    @app.cli.command("send-alerts")
    def send_alerts_command() -> None:
        """Queue today's alert digests (run it daily from cron; a second run queues nothing)."""
        from catalog.services.alerts import send_digests

        queued = send_digests(db.session)
        click.echo(f"Queued {queued} alert digest(s); send-outbox delivers them.")

    @app.cli.command("purge-personal-data")
    @click.option(
        "--older-than",
        "older_than",
        metavar="DAYS",
        callback=lambda _ctx, _param, value: None if value is None else _days(value),
        help="Erase enquiries that ended more than this long ago, e.g. 365d "
        "(default: PERSONAL_DATA_RETENTION_DAYS).",
    )
    @without_statement_timeout
    def purge_personal_data_command(older_than: int | None) -> None:
        """Erase learners' personal data from enquiries that ended longer ago than the retention period."""
        from catalog.services.retention import ALERT_KEEP_DAYS, purge_personal_data

        days = current_app.config["PERSONAL_DATA_RETENTION_DAYS"] if older_than is None else older_than
        report = purge_personal_data(db.session, days)
        click.echo(
            f"Erased the personal data of {report.erased} enquiries that ended more than {days} days "
            f"ago (before {report.cutoff:%Y-%m-%d %H:%M} UTC); deleted {report.alerts} alert(s) "
            f"unconfirmed or unsubscribed for {ALERT_KEEP_DAYS} days."
        )

    @app.cli.command("backup")
    @click.argument("path", type=click.Path(dir_okay=False))
    def backup_command(path: str) -> None:
        """Write a consistent backup of the whole database to PATH, while the site keeps serving."""
        from catalog.data.backup import KINDS, BackupError, backup_database

        try:
            backend = backup_database(db.engine, path)
        except BackupError as error:
            raise click.ClickException(str(error)) from None
        click.echo(f"Backed up the {KINDS[backend]} database to {path}.")

    @app.cli.command("restore")
    @click.argument("path", type=click.Path(dir_okay=False))
    @without_statement_timeout
    def restore_command(path: str) -> None:
        """Replace the whole database by the backup at PATH, and rebuild the search index."""
        from catalog.data.backup import KINDS, BackupError, restore_database

        db.session.remove()
        try:
            backend = restore_database(db.engine, path)
        except BackupError as error:
            raise click.ClickException(str(error)) from None
        click.echo(f"Restored the {KINDS[backend]} database from {path}; the search index is rebuilt.")

    @app.cli.command("export")
    @click.argument("path", type=click.Path(dir_okay=False, writable=True))
    @click.option(
        "--format",
        "file_format",
        type=click.Choice(["json", "csv"]),
        help="JSON, or a zip of CSV files (default: csv for a PATH ending in .zip, else json).",
    )
    @without_statement_timeout
    def export_command(path: str, file_format: str | None) -> None:
        """Write the whole catalog to PATH in the exchange format (docs/import-format.md)."""
        from catalog.data.exchange import export_catalog

        file_format = file_format or ("csv" if path.lower().endswith(".zip") else "json")
        with open(path, "wb") as file:
            file.write(export_catalog(db.session, file_format))
        click.echo(f"Exported the catalog to {path} ({file_format}).")

    @app.cli.command("import")
    @click.argument("path", type=click.Path(exists=True, dir_okay=False))
    @click.option("--dry-run", is_flag=True, help="Check the file and say what would change; write nothing.")
    @without_statement_timeout
    def import_command(path: str, dry_run: bool) -> None:
        """Import an exchange file (JSON, or a zip of CSV files): all of it, or nothing."""
        from catalog.data.exchange import import_catalog

        with open(path, "rb") as file:
            report = import_catalog(db.session, file.read(), os.path.basename(path), dry_run=dry_run)
        for line in report.lines():
            click.echo(line)
        if not report.ok:
            raise SystemExit(1)


def _days(value: str) -> int:
    """A number of days as given on the command line: ``365d`` or ``365``."""
    text = value.strip().lower().removesuffix("d")
    if not text.isdigit():
        raise click.BadParameter(f"give a number of days such as 365d, not {value!r}")
    return int(text)


#: The command's words for the account service's refusals; password rules read as on the portal.
ACCOUNT_REFUSALS = {
    "email-invalid": "{typed!r} is not an email address.",
    "email-taken": "An account with the email {email} already exists.",
    "institute-required": "Institute staff need an institute: give --institute SLUG.",
    "institute-not-allowed": "An admin does not belong to an institute: leave out --institute.",
}


def _account_refusal(refusal: DomainError, typed: str) -> str:
    """What ``create-user`` says for a refusal of the account service about the address ``typed``."""
    from catalog.portal.forms import account_message

    if refusal.code in ACCOUNT_REFUSALS:
        return ACCOUNT_REFUSALS[refusal.code].format(typed=typed, **refusal.params)
    return f"Password not accepted: {account_message(refusal)}"
