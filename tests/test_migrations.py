"""The migrations build exactly the schema the models describe, on both backends."""

from flask_migrate import check, downgrade, upgrade


def test_models_and_migrations_agree(app):
    check()


def test_migrations_downgrade_and_upgrade_again(app):
    downgrade(revision="base")
    upgrade()
    check()
