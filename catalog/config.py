"""Configuration: defaults first, then the environment, then a test mapping.

Every setting the application reads from the environment is read here and nowhere else.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

DEV_SECRET_KEY = "dev-only-not-secret"


class ConfigError(RuntimeError):
    """Raised when the environment asks for something the application cannot run with."""


def load_config(instance_path: str, environ: dict[str, str] | None = None) -> dict[str, Any]:
    """Return the configuration mapping for an app whose instance folder is ``instance_path``.

    ``CATALOG_ENV=production`` refuses to start without a ``SECRET_KEY`` of its own.
    """
    env = os.environ if environ is None else environ
    catalog_env = env.get("CATALOG_ENV", "development")
    if catalog_env not in ("development", "production"):
        raise ConfigError(f"CATALOG_ENV must be 'development' or 'production', not {catalog_env!r}")
    secret_key = env.get("SECRET_KEY")
    if not secret_key:
        if catalog_env == "production":
            raise ConfigError("SECRET_KEY must be set when CATALOG_ENV=production")
        secret_key = DEV_SECRET_KEY
    sqlite_path = Path(instance_path) / "catalog.sqlite3"
    return {
        "CATALOG_ENV": catalog_env,
        "SECRET_KEY": secret_key,
        "SQLALCHEMY_DATABASE_URI": normalise_database_url(
            env.get("DATABASE_URL") or f"sqlite:///{sqlite_path}"
        ),
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": catalog_env == "production",
        "SEARCH_PAGE_SIZE": 20,
        "DATA_DIR": env.get("CATALOG_DATA_DIR") or str(Path(__file__).resolve().parent.parent / "data"),
        "CATALOG_TIMEZONE": "Asia/Kolkata",
    }


def normalise_database_url(url: str) -> str:
    """Use the psycopg 3 driver for plain ``postgres://`` and ``postgresql://`` URLs."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url
