"""Commands: ``flask --app catalog seed | generate | reindex | create-user | approve-institute``,
``send-outbox``."""

from __future__ import annotations

import click
from flask import Flask, current_app
from flask_migrate import upgrade

from catalog.extensions import db
from catalog.services.errors import DomainError


def register(app: Flask) -> None:
    """Attach the catalog's commands to the app's CLI."""

    @app.cli.command("seed")
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
    def generate_command(courses: int, random_seed: int) -> None:
        """Add a deterministic synthetic catalog of N courses (for benchmarks and scale tests)."""
        from catalog.data.generator import generate_catalog

        upgrade()
        summary = generate_catalog(db.session, courses, random_seed)
        click.echo(summary)

    @app.cli.command("reindex")
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
        from catalog.services import accounts

        institute = None
        if institute_slug:
            institute = find_institute(db.session, institute_slug)
            if institute is None:
                raise click.ClickException(f"No institute has the slug {institute_slug!r}; nothing created.")
        try:
            # Refuse what can be refused before anyone types a password.
            accounts.check_new_account(db.session, email, Role(role), institute)
            password = click.prompt("Password", hide_input=True)
            again = click.prompt("Repeat the password", hide_input=True)
            if password != again:
                raise click.ClickException("The two passwords do not match; nothing created.")
            user = accounts.create_user(db.session, email, password, Role(role), institute)
        except DomainError as refusal:
            raise click.ClickException(_account_refusal(refusal, email)) from None
        where = f" of {institute.name} ({institute.slug})" if institute else ""
        click.echo(f"Created {user.role.value} account {user.email}{where}.")

    @app.cli.command("approve-institute")
    @click.argument("slug")
    def approve_institute_command(slug: str) -> None:
        """Approve a registered institute: its staff can use the portal from now on."""
        from catalog.queries.accounts import find_institute
        from catalog.services import accounts

        institute = find_institute(db.session, slug)
        if institute is None:
            raise click.ClickException(f"No institute has the slug {slug!r}.")
        before = accounts.approve_institute(db.session, institute)
        if before is None:
            click.echo(f"{institute.name} ({slug}) is already approved; nothing changed.")
        else:
            click.echo(
                f"Approved {institute.name} ({slug}), which was {before.value}; "
                "its staff can now use the portal."
            )

    @app.cli.command("send-outbox")
    @click.option("--limit", type=click.IntRange(1, 10_000), default=100, show_default=True)
    def send_outbox_command(limit: int) -> None:
        """Send pending outbox emails through SMTP (run it from cron or a timer)."""
        from catalog.services.outbox import deliver_pending

        if not current_app.config.get("SMTP_HOST"):
            raise click.ClickException("SMTP_HOST is not set: messages stay in the outbox until it is.")
        sent, failed = deliver_pending(db.session, limit)
        click.echo(f"Sent {sent} message(s); {failed} failed and will be retried.")


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
