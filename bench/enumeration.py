"""Account-enumeration timing: sign-in, forgot-password and sign-up with a known email against
an unknown one, at the production argon2 parameters (the library's defaults; only the tests
lower them).

It builds a fresh SQLite database in a temporary folder, adds one account and one area, then
posts each form ``--runs`` times per path through the Flask test client, alternating known and
unknown email so drift affects both alike. Rate limits are off (they are not what is measured);
the CSRF token is read once from the page, as a browser would. Every answer must be the one a
browser gets (200 or 302), otherwise the script stops. It prints the median and p95 in
milliseconds per path and email, and the known-minus-unknown difference of the medians. See
bench/README.md.

    .venv/bin/python bench/enumeration.py [--runs 40]
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from common import percentile
from flask.testing import FlaskClient
from flask_migrate import upgrade

from catalog import create_app
from catalog.extensions import db
from catalog.models import Area, Role
from catalog.services import admin_accounts

KNOWN = "known@example.in"
UNKNOWN = "unknown@example.in"
PASSWORD = "correct horse battery staple"


def csrf_token(client: FlaskClient) -> str:
    html = client.get("/portal/login").get_data(as_text=True)
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1)


def sign_in(email: str, run: int) -> dict[str, str]:
    return {"email": email, "password": "a wrong guess"}


def forgot(email: str, run: int) -> dict[str, str]:
    return {"email": email}


def register(email: str, run: int) -> dict[str, str]:
    if email == UNKNOWN:
        # A new account each time, as a real sign-up would be.
        email = f"new{run}@example.in"
    return {
        "institute_name": f"Bench Institute {run}",
        "website": "https://bench.example.in",
        "contact_email": "admissions@bench.example.in",
        "phone": "98480 22338",
        "area": "hitec-city",
        "address": "Cyber Towers, HITEC City",
        "description": "Weekend bootcamps.",
        "name": "Bench Person",
        "email": email,
        "new_password": "a brand new passphrase 2024",
        "confirm": "a brand new passphrase 2024",
    }


#: (label, address, form data for an email and run, the status a browser gets)
PATHS: tuple[tuple[str, str, Callable[[str, int], dict[str, str]], int], ...] = (
    ("sign-in (wrong password)", "/portal/login", sign_in, 200),
    ("forgot-password", "/portal/password/forgot", forgot, 302),
    ("sign-up", "/portal/register", register, 302),
)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=40, help="timed requests per path and email")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="catalog-bench-") as folder:
        app = create_app(
            {
                "SQLALCHEMY_DATABASE_URI": f"sqlite:///{Path(folder) / 'catalog.sqlite3'}",
                "SECRET_KEY": "bench-only",
                "RATELIMIT_ENABLED": False,
            }
        )
        with app.app_context():
            upgrade()
            db.session.add(Area(name="HITEC City", slug="hitec-city", latitude=17.44, longitude=78.38))
            db.session.commit()
            admin_accounts.create_user(db.session, KNOWN, PASSWORD, Role.ADMIN)
            client = app.test_client()
            token = csrf_token(client)
            print(f"{'path':<26} {'email':<13} {'p50 ms':>8} {'p95 ms':>8}")
            for label, address, form, expected in PATHS:
                timings: dict[str, list[float]] = {KNOWN: [], UNKNOWN: []}
                for run in range(-2, args.runs):
                    for email in (KNOWN, UNKNOWN):
                        data = {"csrf_token": token, **form(email, run + 2)}
                        started = time.perf_counter()
                        status = client.post(address, data=data).status_code
                        elapsed = (time.perf_counter() - started) * 1000
                        if status != expected:
                            print(f"{label} with {email} answered {status}, not {expected}", file=sys.stderr)
                            return 1
                        if run >= 0:  # the first two rounds warm up
                            timings[email].append(elapsed)
                medians = {}
                for email, name in ((KNOWN, "known"), (UNKNOWN, "unknown")):
                    medians[email] = percentile(timings[email], 0.5)
                    p95 = percentile(timings[email], 0.95)
                    print(f"{label:<26} {name:<13} {medians[email]:>8.1f} {p95:>8.1f}")
                print(f"{label:<26} {'known-unknown':<13} {medians[KNOWN] - medians[UNKNOWN]:>+8.1f}")
            db.session.remove()
            db.engine.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
