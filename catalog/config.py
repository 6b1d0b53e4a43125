"""Configuration: defaults first, then the environment, then a test mapping.

Every setting the application reads from the environment is read here and nowhere else.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

DEV_SECRET_KEY = "dev-only-not-secret"


class ConfigError(RuntimeError):
    """Raised when the environment asks for something the application cannot run with."""


def load_config(instance_path: str, environ: dict[str, str] | None = None) -> dict[str, Any]:
    """Return the configuration mapping for an app whose instance folder is ``instance_path``.

    ``CATALOG_ENV=production`` refuses to start without a ``SECRET_KEY`` of its own, without
    ``REDIS_URL`` (limits shared by every process) and without ``TRUSTED_HOSTS``.
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
    if catalog_env == "production":
        _refuse_production_without_shared_limits_and_hosts(env)
    sqlite_path = Path(instance_path) / "catalog.sqlite3"
    return {
        "CATALOG_ENV": catalog_env,
        "SECRET_KEY": secret_key,
        "SQLALCHEMY_DATABASE_URI": normalise_database_url(
            env.get("DATABASE_URL") or f"sqlite:///{sqlite_path}"
        ),
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
        "PASSWORD_RESET_HOURS": 2,
        # Sign-in: failures count per account and address together, per address, and (for
        # browsers without a device cookie) per account; a device cookie has a limit of its own.
        "LOGIN_LIMITS_PER_ACCOUNT_ADDRESS": env.get("LOGIN_LIMITS_PER_ACCOUNT_ADDRESS", "5 per 15 minutes"),
        "LOGIN_LIMITS_PER_ACCOUNT": env.get("LOGIN_LIMITS_PER_ACCOUNT", "20 per hour; 100 per day"),
        "LOGIN_LIMITS_PER_DEVICE": env.get("LOGIN_LIMITS_PER_DEVICE", "5 per 15 minutes"),
        "LOGIN_DEVICE_COOKIE_DAYS": int(env.get("LOGIN_DEVICE_COOKIE_DAYS", "365")),
        # Server-side sessions end after this long unused, and this long after sign-in.
        "SESSION_IDLE_MINUTES": int(env.get("SESSION_IDLE_MINUTES", "120")),
        "SESSION_LIFETIME_HOURS": int(env.get("SESSION_LIFETIME_HOURS", "12")),
        # Hosts and proxies: requests for any other host get 400 (None accepts any, as in
        # development); behind PROXY_COUNT trusted proxies, the client's address, scheme and host
        # are the ones those proxies forwarded.
        "TRUSTED_HOSTS": _comma_list(env.get("TRUSTED_HOSTS", "")) or None,
        "PROXY_COUNT": _whole_number(env, "PROXY_COUNT", "0", "the number of trusted proxies"),
        # A Redis that stops answering costs a request at most a second before the limits
        # fall back to this process's memory (see catalog/ratelimits.py).
        "RATELIMIT_STORAGE_OPTIONS": (
            {"socket_connect_timeout": 1, "socket_timeout": 1} if env.get("REDIS_URL") else {}
        ),
        # Database timeouts: a database that is locked, down or silent costs a page a few
        # seconds and a 503, never a hung worker (see ``engine_options``; 0 turns a timeout off).
        "DATABASE_CONNECT_TIMEOUT": _whole_number(env, "DATABASE_CONNECT_TIMEOUT", "3"),
        "DATABASE_STATEMENT_TIMEOUT_MS": _whole_number(env, "DATABASE_STATEMENT_TIMEOUT_MS", "3000"),
        "DATABASE_POOL_TIMEOUT": _whole_number(env, "DATABASE_POOL_TIMEOUT", "3"),
        "SQLITE_BUSY_TIMEOUT_MS": _whole_number(env, "SQLITE_BUSY_TIMEOUT_MS", "3000"),
        # Data protection: closed enquiries keep the learner's details this many days (then
        # ``purge-personal-data`` erases them); log lines as plain text or JSON; where learners
        # write about their data (shown on /privacy).
        "PERSONAL_DATA_RETENTION_DAYS": _whole_number(env, "PERSONAL_DATA_RETENTION_DAYS", "365"),
        "LOG_FORMAT": _one_of(env, "LOG_FORMAT", ("text", "json")),
        "PRIVACY_CONTACT_EMAIL": env.get("PRIVACY_CONTACT_EMAIL", "privacy@localhost"),
        # Where learners and institutes write to the team (shown on /contact).
        "CONTACT_EMAIL": env.get("CONTACT_EMAIL", "hello@localhost"),
        # Outbox delivery: attempts before a message is marked failed, the wait in minutes after
        # each failed attempt (the last wait repeats), the seconds one SMTP exchange may take, and
        # whether the connection must be upgraded with STARTTLS (off only for a loopback relay).
        "OUTBOX_MAX_ATTEMPTS": _at_least_one(env, "OUTBOX_MAX_ATTEMPTS", "5"),
        "OUTBOX_BACKOFF_MINUTES": _minutes_list(env, "OUTBOX_BACKOFF_MINUTES", "1,5,30,120,720"),
        "SMTP_TIMEOUT": _at_least_one(env, "SMTP_TIMEOUT", "20"),
        "SMTP_STARTTLS": _one_of(env, "SMTP_STARTTLS", ("on", "off")) == "on",
        # Learner reports about a listing: how many one address may send (the form's honeypot and
        # minimum fill time are the enquiry form's).
        "REPORT_LIMITS_PER_ADDRESS": env.get("REPORT_LIMITS_PER_ADDRESS", "5 per hour; 20 per day"),
        # "Tell me about new batches": subscriptions per client address and per email address.
        "ALERT_LIMITS_PER_ADDRESS": env.get("ALERT_LIMITS_PER_ADDRESS", "10 per hour; 30 per day"),
        "ALERT_LIMITS_PER_EMAIL": env.get("ALERT_LIMITS_PER_EMAIL", "3 per hour; 10 per day"),
        # The largest catalog file an admin may upload to /admin/import, in bytes (the only
        # page that takes a file; a zip of CSV files may unpack to 20 times as much).
        "IMPORT_MAX_BYTES": _at_least_one(env, "IMPORT_MAX_BYTES", str(5 * 1024 * 1024)),
        # Outgoing mail: without SMTP_HOST, messages stay in the outbox, readable by admins.
        "SMTP_HOST": env.get("SMTP_HOST"),
        "SMTP_PORT": int(env.get("SMTP_PORT", "587")),
        "SMTP_USER": env.get("SMTP_USER"),
        "SMTP_PASSWORD": env.get("SMTP_PASSWORD"),
        "MAIL_FROM": env.get("MAIL_FROM", "Hyderabad MLOps Courses <no-reply@localhost>"),
        # Absolute links in emails sent outside a request (e.g. "https://courses.example.in").
        "SITE_URL": env.get("SITE_URL", "http://127.0.0.1:5000"),
    }


def _refuse_production_without_shared_limits_and_hosts(env: Mapping[str, str]) -> None:
    if not env.get("REDIS_URL"):
        raise ConfigError(
            "REDIS_URL must be set when CATALOG_ENV=production: rate limits must be shared by every process"
        )
    if not _comma_list(env.get("TRUSTED_HOSTS", "")):
        raise ConfigError(
            "TRUSTED_HOSTS must be set when CATALOG_ENV=production: the host names the site answers to"
        )


def _comma_list(value: str) -> list[str]:
    return [item.strip() for item in value.split(",") if item.strip()]


def _whole_number(env: Mapping[str, str], name: str, default: str, meaning: str = "a whole number") -> int:
    value = env.get(name, default)
    if not value.strip().isdigit():
        raise ConfigError(f"{name} must be {meaning} (0 or more), not {value!r}")
    return int(value)


def _at_least_one(env: Mapping[str, str], name: str, default: str) -> int:
    value = env.get(name, default)
    if not value.strip().isdigit() or int(value) < 1:
        raise ConfigError(f"{name} must be a whole number of 1 or more, not {value!r}")
    return int(value)


def _minutes_list(env: Mapping[str, str], name: str, default: str) -> tuple[int, ...]:
    value = env.get(name, default)
    items = [item.strip() for item in value.split(",")]
    if not items or not all(item.isdigit() and int(item) >= 1 for item in items):
        raise ConfigError(f"{name} must be whole minutes of 1 or more separated by commas, not {value!r}")
    return tuple(int(item) for item in items)


def _one_of(env: Mapping[str, str], name: str, allowed: tuple[str, ...]) -> str:
    value = env.get(name, allowed[0]).strip().lower()
    if value not in allowed:
        raise ConfigError(f"{name} must be one of {', '.join(allowed)}, not {value!r}")
    return value


def engine_options(config: Mapping[str, Any]) -> dict[str, Any]:
    """SQLAlchemy engine options for the configured database, with its timeouts.

    PostgreSQL: a connect timeout, a statement timeout set per connection, TCP keepalives and a
    user timeout (so a peer that vanished from the network is noticed in seconds, not the
    kernel's minutes), and a bounded wait for a free pooled connection. SQLite: the busy timeout, how
    long a write waits for another process's lock before "database is locked". Both check a
    pooled connection before use, so the app recovers by itself when the database returns.
    """
    options: dict[str, Any] = {"pool_pre_ping": True}
    url = config["SQLALCHEMY_DATABASE_URI"]
    if url.startswith("postgresql"):
        connect_timeout = config["DATABASE_CONNECT_TIMEOUT"]
        options["pool_timeout"] = config["DATABASE_POOL_TIMEOUT"]
        options["connect_args"] = {
            "connect_timeout": connect_timeout,
            "options": f"-c statement_timeout={config['DATABASE_STATEMENT_TIMEOUT_MS']}",
            "keepalives": 1,
            "keepalives_idle": 5,
            "keepalives_interval": 2,
            "keepalives_count": 2,
            "tcp_user_timeout": 1000 * (connect_timeout or 10),
        }
    elif url.startswith("sqlite"):
        options["connect_args"] = {"timeout": config["SQLITE_BUSY_TIMEOUT_MS"] / 1000}
    return options


def normalise_database_url(url: str) -> str:
    """Use the psycopg 3 driver for plain ``postgres://`` and ``postgresql://`` URLs."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url
