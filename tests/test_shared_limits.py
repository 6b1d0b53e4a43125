"""Limits shared by every process: two gunicorns of two workers each, one database, one Redis.

Every request comes from 127.0.0.1, so to the limits they are all the same address. Counted in
each process's memory, the four workers would let through up to four times the configured
number; counted in Redis, exactly the configured number gets through.
"""

from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor
from itertools import cycle

import pytest
from sqlalchemy import func, select

from catalog.models import Course, Enquiry
from tests.builders import make_batch, make_course, make_institute, make_user
from tests.helpers import filled_enquiry, find_csrf_token
from tests.redis_server import RedisServer
from tests.servers import Gunicorn, HttpClient

pytestmark = pytest.mark.servers

ENQUIRIES_PER_ADDRESS = 5
ENQUIRIES_PER_EMAIL = 3
SIGN_INS_PER_ACCOUNT = 3
#: More than all four workers together would let through if each counted alone (4 x 3 = 12).
ATTEMPTS = 14
#: Each access-log line: the pid of the worker that answered, the method, the path, the status.
ACCESS_LOG = ["--access-logfile", "-", "--access-logformat", "served-by %(p)s %(m)s %(U)s %(s)s"]
SERVED_BY_RE = re.compile(r"served-by <(\d+)> POST (\S+) (\d+)")


@pytest.fixture(scope="module")
def redis_server(tmp_path_factory):
    with RedisServer(tmp_path_factory.mktemp("redis")) as server:
        yield server


@pytest.fixture(scope="module")
def servers(database_url, redis_server):
    """Two gunicorns (two workers each) on the test database, their limits in the one Redis."""
    env = {
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_server.url,
        "ENQUIRY_LIMITS_PER_ADDRESS": f"{ENQUIRIES_PER_ADDRESS} per hour",
        "ENQUIRY_LIMITS_PER_EMAIL": f"{ENQUIRIES_PER_EMAIL} per hour",
        "LOGIN_LIMITS_PER_ACCOUNT_ADDRESS": f"{SIGN_INS_PER_ACCOUNT} per hour",
        "LOGIN_LIMITS_PER_ADDRESS": "1000 per hour",
        "LOGIN_LIMITS_PER_ACCOUNT": "1000 per hour",
    }
    with (
        Gunicorn(env, workers=2, args=ACCESS_LOG) as first,
        Gunicorn(env, workers=2, args=ACCESS_LOG) as second,
    ):
        yield first, second


@pytest.fixture
def fresh_limits(redis_server):
    """Each test starts with nothing counted."""
    with redis_server.client() as client:
        client.flushall()


@pytest.fixture
def course(app) -> Course:
    institute = make_institute(email="admissions@madhapur-ml.example")
    course = make_course(institute=institute)
    make_batch(course, starts_in_days=20)
    return course


def workers_that_answered(servers, path: str) -> set[int]:
    """The pids of the workers whose access log shows a POST to ``path``."""
    return {
        int(pid)
        for server in servers
        for pid, logged_path, _ in SERVED_BY_RE.findall(server.log())
        if logged_path == path
    }


def open_enquiry(
    server: Gunicorn, course: Course, n: int, email: str | None = None
) -> tuple[HttpClient, dict[str, str]]:
    """A learner's browser with the enquiry form open and filled in (each with an email of its own
    unless ``email`` is given)."""
    browser = HttpClient(server.url)
    page = browser.get(f"/courses/{course.slug}/enquire")
    assert page.status == 200, page.text
    return browser, filled_enquiry(page.text, email=email or f"learner{n}@example.in")


def send_all_at_once(forms, path: str) -> list[int]:
    with ThreadPoolExecutor(max_workers=8) as pool:
        return list(pool.map(lambda form: form[0].post(path, form[1]).status, forms))


def test_enquiry_limit_per_address_holds_across_all_processes(servers, fresh_limits, course):
    path = f"/courses/{course.slug}/enquire"
    forms = [
        open_enquiry(server, course, n) for n, server in zip(range(ATTEMPTS), cycle(servers), strict=False)
    ]
    statuses = send_all_at_once(forms, path)
    assert sorted(statuses) == [303] * ENQUIRIES_PER_ADDRESS + [429] * (ATTEMPTS - ENQUIRIES_PER_ADDRESS)
    assert len(workers_that_answered(servers, path)) >= 2


def test_enquiry_limit_per_email_holds_across_all_processes_when_sent_at_once(
    servers, fresh_limits, course, db
):
    """Only stored enquiries count against an email, yet a burst cannot slip past the count."""
    path = f"/courses/{course.slug}/enquire"
    forms = [
        open_enquiry(server, course, n, email="asha@example.in")
        for n, server in zip(range(ATTEMPTS), cycle(servers), strict=False)
    ]
    statuses = send_all_at_once(forms, path)
    assert sorted(statuses) == [303] * ENQUIRIES_PER_EMAIL + [429] * (ATTEMPTS - ENQUIRIES_PER_EMAIL)
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(Enquiry)) == ENQUIRIES_PER_EMAIL


def test_sign_in_limit_per_account_holds_across_all_processes(servers, fresh_limits, app):
    user = make_user()
    # Every attempt is counted before it is answered, so guesses sent at once are held too.
    forms = []
    for _, server in zip(range(ATTEMPTS), cycle(servers), strict=False):
        browser = HttpClient(server.url)
        token = find_csrf_token(browser.get("/portal/login").text)
        forms.append((browser, {"csrf_token": token, "email": user.email, "password": "wrong password"}))
    statuses = send_all_at_once(forms, "/portal/login")
    assert sorted(statuses) == [200] * SIGN_INS_PER_ACCOUNT + [429] * (ATTEMPTS - SIGN_INS_PER_ACCOUNT)
    assert len(workers_that_answered(servers, "/portal/login")) >= 2
