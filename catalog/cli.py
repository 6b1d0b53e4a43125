"""Commands: ``flask --app catalog seed | generate | reindex``."""

from __future__ import annotations

import click
from flask import Flask, current_app
from flask_migrate import upgrade

from catalog.extensions import db


def register(app: Flask) -> None:
    """Attach the catalog's commands to the app's CLI."""

    @app.cli.command("seed")
    def seed_command() -> None:
        """Bring the database to the latest schema and load the seed catalog from data/."""
        from catalog.services.seeding import SeedError, seed_catalog

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
        from catalog.services.generator import generate_catalog

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
