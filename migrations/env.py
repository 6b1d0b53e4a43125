"""Alembic's environment: runs the revisions on the app's engine, compares with its models.

Revisions hold their own DDL, search index included, and import nothing from ``catalog``, so a
later change to live code cannot rewrite what an old revision did. Only autogenerate here
reads the live models, to propose the next revision.
"""

import logging
from logging.config import fileConfig

from alembic import context
from flask import current_app

config = context.config
# An app that runs migrations has installed its own (masking) log handler; Alembic's logging
# set-up applies only where none exists, and never disables the loggers already there.
if not logging.getLogger().handlers:
    fileConfig(config.config_file_name, disable_existing_loggers=False)
logger = logging.getLogger("alembic.env")


def get_engine():
    return current_app.extensions["migrate"].db.engine


def get_engine_url():
    return get_engine().url.render_as_string(hide_password=False).replace("%", "%%")


config.set_main_option("sqlalchemy.url", get_engine_url())
target_db = current_app.extensions["migrate"].db


def get_metadata():
    if hasattr(target_db, "metadatas"):
        return target_db.metadatas[None]
    return target_db.metadata


# Search-index tables and PostgreSQL's trigram indexes are created by hand in the migrations
# (FTS5 on SQLite, tsvector and pg_trgm on PostgreSQL) and are not in the models' metadata:
# autogenerate must not propose dropping them.
SEARCH_TABLES = {"course_fts", "course_search"}
SEARCH_INDEXES = {"ix_search_words_trgm", "ix_courses_title_trgm"}


def render_item(type_, obj, autogen_context):
    """Render the project's column types as the plain SQLAlchemy types they store as."""
    from catalog.models.base import UTCDateTime

    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    return False


def include_object(obj, name, type_, reflected, compare_to):
    if type_ == "index" and name in SEARCH_INDEXES:
        return False
    return not (type_ == "table" and (name in SEARCH_TABLES or name.startswith("course_fts_")))


def run_migrations_offline():
    """Run migrations in 'offline' mode.

    This configures the context with just a URL
    and not an Engine, though an Engine is acceptable
    here as well.  By skipping the Engine creation
    we don't even need a DBAPI to be available.

    Calls to context.execute() here emit the given string to the
    script output.

    """
    url = config.get_main_option("sqlalchemy.url")
    context.configure(url=url, target_metadata=get_metadata(), literal_binds=True)

    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online():
    """Run migrations in 'online' mode.

    In this scenario we need to create an Engine
    and associate a connection with the context.

    """

    # this callback is used to prevent an auto-migration from being generated
    # when there are no changes to the schema
    # reference: http://alembic.zzzcomputing.com/en/latest/cookbook.html
    def process_revision_directives(context, revision, directives):
        if getattr(config.cmd_opts, "autogenerate", False):
            script = directives[0]
            if script.upgrade_ops.is_empty():
                directives[:] = []
                logger.info("No changes in schema detected.")

    conf_args = current_app.extensions["migrate"].configure_args
    conf_args.setdefault("include_object", include_object)
    conf_args.setdefault("render_item", render_item)
    conf_args.setdefault("render_as_batch", True)
    if conf_args.get("process_revision_directives") is None:
        conf_args["process_revision_directives"] = process_revision_directives

    connectable = get_engine()

    with connectable.connect() as connection:
        context.configure(connection=connection, target_metadata=get_metadata(), **conf_args)

        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
