"""Configuration comes from the environment, with safe defaults only outside production."""

import pytest

from catalog.config import DEV_SECRET_KEY, ConfigError, load_config


def test_defaults_to_sqlite_in_instance_folder(tmp_path):
    config = load_config(str(tmp_path), {})
    assert config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path}/catalog.sqlite3"
    assert config["SECRET_KEY"] == DEV_SECRET_KEY


def test_postgres_urls_use_psycopg_driver(tmp_path):
    config = load_config(str(tmp_path), {"DATABASE_URL": "postgres://u@h:5432/db"})
    assert config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://u@h:5432/db"


def test_production_refuses_to_start_without_secret_key(tmp_path):
    with pytest.raises(ConfigError, match="SECRET_KEY must be set"):
        load_config(str(tmp_path), {"CATALOG_ENV": "production"})


def test_production_uses_secure_cookies(tmp_path):
    production = {
        "CATALOG_ENV": "production",
        "SECRET_KEY": "s3cret",
        "REDIS_URL": "redis://cache:6379/0",
        "TRUSTED_HOSTS": "courses.example.in",
    }
    config = load_config(str(tmp_path), production)
    assert config["SESSION_COOKIE_SECURE"] is True and config["SECRET_KEY"] == "s3cret"


def test_unknown_environment_name_is_refused(tmp_path):
    with pytest.raises(ConfigError, match="CATALOG_ENV"):
        load_config(str(tmp_path), {"CATALOG_ENV": "staging"})
