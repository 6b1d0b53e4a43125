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
        "DATA_DIR": env.get("CATALOG_DATA_DIR") or str(Path(__file__).resolve().parent.parent / "data"),
        "CATALOG_TIMEZONE": "Asia/Kolkata",
        # Rate limits: memory per process by default; Redis shares them across processes.
        "REDIS_URL": env.get("REDIS_URL"),
        "RATELIMIT_STORAGE_URI": env.get("REDIS_URL") or "memory://",
        "RATELIMIT_HEADERS_ENABLED": True,
        "RATELIMIT_KEY_PREFIX": "catalog",
        # A Redis outage must not turn enquiries into errors: fall back to per-process limits.
        "RATELIMIT_SWALLOW_ERRORS": True,
        "RATELIMIT_IN_MEMORY_FALLBACK_ENABLED": True,
        # Enquiries: a human needs at least this long to fill the form.
        "ENQUIRY_MIN_SECONDS": int(env.get("ENQUIRY_MIN_SECONDS", "3")),
        "ENQUIRY_LIMITS_PER_ADDRESS": env.get("ENQUIRY_LIMITS_PER_ADDRESS", "5 per minute; 30 per day"),
        "ENQUIRY_LIMITS_PER_EMAIL": env.get("ENQUIRY_LIMITS_PER_EMAIL", "3 per hour; 10 per day"),
        "LOGIN_LIMITS_PER_ADDRESS": env.get("LOGIN_LIMITS_PER_ADDRESS", "10 per minute; 100 per day"),
        "LOGIN_LIMITS_PER_EMAIL": env.get("LOGIN_LIMITS_PER_EMAIL", "5 per 15 minutes"),
        "PASSWORD_RESET_HOURS": 2,
        # Outgoing mail: without SMTP_HOST, messages stay in the outbox, readable by admins.
        "SMTP_HOST": env.get("SMTP_HOST"),
        "SMTP_PORT": int(env.get("SMTP_PORT", "587")),
        "SMTP_USER": env.get("SMTP_USER"),
        "SMTP_PASSWORD": env.get("SMTP_PASSWORD"),
        "MAIL_FROM": env.get("MAIL_FROM", "Hyderabad MLOps Courses <no-reply@localhost>"),
        # Absolute links in emails sent outside a request (e.g. "https://courses.example.in").
        "SITE_URL": env.get("SITE_URL", "http://127.0.0.1:5000"),
    }


def normalise_database_url(url: str) -> str:
    """Use the psycopg 3 driver for plain ``postgres://`` and ``postgresql://`` URLs."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url
