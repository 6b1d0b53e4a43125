"""Faults met for real by gunicorn with several workers: a locked SQLite file, a PostgreSQL host
that never answers, a database that goes away and comes back, a worker killed mid-enquiry.

Each test checks what the learner sees and that nothing was lost or half-written. The waits are
deadlines (every request must be answered within ``ANSWER_DEADLINE``), not measurements.
"""

from __future__ import annotations

import html
import http.client
import os
import signal
import threading
import urllib.parse

import pytest
from sqlalchemy import func, select
from sqlalchemy.engine import make_url

from catalog.models import Course, Enquiry, EnquiryEvent, OutboxMessage
from tests.builders import make_batch, make_course, make_institute
from tests.faults.locks import postgres_table_locked, postgres_writes_waiting, sqlite_locked
from tests.faults.network import SwitchableProxy, with_port
from tests.helpers import LEARNER_ANSWERS, filled_enquiry
from tests.servers import Gunicorn, HttpClient, wait_for

pytestmark = pytest.mark.servers

#: A page must answer within this long whatever the database does (5 s, plus the client's slack).
ANSWER_DEADLINE = 8.0
NOTHING_SENT = ("nothing was saved", "Nothing was sent")


@pytest.fixture
def course(app) -> Course:
    institute = make_institute(name="Madhapur ML Academy", email="admissions@madhapur-ml.example")
    course = make_course(institute=institute, title="MLOps Bootcamp")
    make_batch(course, starts_in_days=20)
    return course


def sqlite_only(database_url: str) -> None:
    if not database_url.startswith("sqlite"):
        pytest.skip("a SQLite file lock")


def postgres_only(database_url: str) -> None:
    if not database_url.startswith("postgresql"):
        pytest.skip("a PostgreSQL host")


def served(database_url: str, workers: int = 2, **env: str) -> Gunicorn:
    return Gunicorn({"DATABASE_URL": database_url, **env}, workers=workers)


def open_form(client: HttpClient, course: Course) -> dict[str, str]:
    """Open the enquiry form and fill it as the learner would: the data the browser sends."""
    page = client.get(f"/courses/{course.slug}/enquire")
    assert page.status == 200, page.text
    return filled_enquiry(page.text, preferred_contact="whatsapp")


def page_text(answer) -> str:
    return " ".join(html.unescape(answer.text).split())


def assert_form_kept(answer) -> None:
    """The learner's form came back with a 503, everything typed, and a message saying so."""
    assert answer.status == 503
    assert "Retry-After" in answer.headers
    text = page_text(answer)
    assert any(words in text for words in NOTHING_SENT), text
    assert 'value="Asha Rao"' in answer.text
    assert 'value="asha@example.in"' in answer.text
    assert LEARNER_ANSWERS["message"] in text


def stored_rows(db) -> tuple[int, int, int]:
    """Enquiries, their history rows and their outbox messages, as committed now."""
    db.session.rollback()
    return tuple(
        db.session.scalar(select(func.count()).select_from(model))
        for model in (Enquiry, EnquiryEvent, OutboxMessage)
    )


STORED_ONCE = (1, 1, 2)
NOTHING = (0, 0, 0)


def all_answer(client: HttpClient, path: str, status: int, times: int = 4) -> bool:
    """True when ``times`` requests in a row (spread over the workers) answer ``status``."""
    return all(client.get(path).status == status for _ in range(times))


# A locked SQLite file


def test_an_enquiry_sent_while_another_process_holds_the_write_lock_comes_back_filled(
    database_url, db, course
):
    sqlite_only(database_url)
    with served(database_url) as server:
        client = HttpClient(server.url, timeout=ANSWER_DEADLINE)
        form = open_form(client, course)
        with sqlite_locked(database_url):
            answer = client.post(f"/courses/{course.slug}/enquire", form)

        assert_form_kept(answer)
        assert stored_rows(db) == NOTHING


def test_the_enquiry_goes_through_once_the_other_process_lets_go(database_url, db, course):
    sqlite_only(database_url)
    with served(database_url) as server:
        client = HttpClient(server.url, timeout=ANSWER_DEADLINE)
        form = open_form(client, course)
        with sqlite_locked(database_url):
            assert client.post(f"/courses/{course.slug}/enquire", form).status == 503

        again = client.post(f"/courses/{course.slug}/enquire", form)

        assert again.status == 303
        assert stored_rows(db) == STORED_ONCE


def test_pages_go_on_answering_while_another_process_holds_the_write_lock(database_url, course):
    # WAL: readers never wait for a writer, so a long write elsewhere costs learners nothing.
    sqlite_only(database_url)
    with served(database_url) as server:
        client = HttpClient(server.url, timeout=ANSWER_DEADLINE)
        with sqlite_locked(database_url):
            pages = [client.get(path).status for path in ("/", f"/courses/{course.slug}", "/courses?q=mlops")]

        assert pages == [200, 200, 200]


# A PostgreSQL host that never answers


def test_a_database_host_that_accepts_and_never_answers_gives_503_in_seconds(database_url, app):
    postgres_only(database_url)
    with (
        SwitchableProxy(target=None) as black_hole,
        served(with_port(database_url, black_hole.port)) as server,
    ):
        client = HttpClient(server.url, timeout=ANSWER_DEADLINE)

        home = client.get("/")
        api = client.get("/courses", headers={"Accept": "application/json"})
        ready = client.get("/readyz")

        assert home.status == 503 and "Back in a moment" in home.text
        assert home.headers["Retry-After"]
        assert api.status == 503 and '"status":503' in api.text.replace(" ", "")
        assert ready.status == 503 and '"database":"unreachable"' in ready.text.replace(" ", "")
        assert client.get("/static/css/site.css").status == 200


def test_a_database_that_turns_into_a_black_hole_and_back_loses_nothing(database_url, db, course):
    postgres_only(database_url)
    real = make_url(database_url)
    target = (real.host or "127.0.0.1", real.port or 5432)
    with SwitchableProxy(target) as proxy, served(with_port(database_url, proxy.port)) as server:
        client = HttpClient(server.url, timeout=ANSWER_DEADLINE)
        assert all_answer(client, "/", 200)
        form = open_form(client, course)

        proxy.black_hole()
        home = client.get("/")
        sent = client.post(f"/courses/{course.slug}/enquire", form)
        assert home.status == 503
        assert_form_kept(sent)
        assert stored_rows(db) == NOTHING

        proxy.forward()
        assert all_answer(client, "/", 200)
        assert client.post(f"/courses/{course.slug}/enquire", form).status == 303
        assert stored_rows(db) == STORED_ONCE


# A worker killed in the middle of an enquiry


class InFlight:
    """One POST sent from a thread, so the test can act while the server works on it."""

    def __init__(self, client: HttpClient, path: str, data: dict[str, str]) -> None:
        host, port = urllib.parse.urlsplit(client.base_url).netloc.split(":")
        self.connection = http.client.HTTPConnection(host, int(port), timeout=30)
        self.connection.connect()
        self.client_port = self.connection.sock.getsockname()[1]
        self.body = urllib.parse.urlencode(data)
        self.headers = {"Content-Type": "application/x-www-form-urlencoded", "Cookie": client.cookie_header()}
        self.path = path
        self.status: int | None = None
        self.failure: Exception | None = None
        self.thread = threading.Thread(target=self._send, daemon=True)
        self.thread.start()

    def _send(self) -> None:
        try:
            self.connection.request("POST", self.path, self.body, self.headers)
            self.status = self.connection.getresponse().status
        except (OSError, http.client.HTTPException) as error:
            self.failure = error
        finally:
            self.connection.close()

    def outcome(self) -> int | Exception | None:
        self.thread.join(timeout=ANSWER_DEADLINE)
        return self.status if self.failure is None else self.failure


def writes_held(database_url: str):
    """Writes to the enquiries wait (another process or connection holds the lock)."""
    if database_url.startswith("sqlite"):
        return sqlite_locked(database_url)
    return postgres_table_locked(database_url, "enquiries")


def test_a_worker_killed_during_an_enquiry_leaves_it_whole_or_absent_and_the_next_request_is_served(
    database_url, db, course
):
    # Long lock waits, so the kill surely lands while the worker is inside the request.
    slow = {"SQLITE_BUSY_TIMEOUT_MS": "20000", "DATABASE_STATEMENT_TIMEOUT_MS": "20000"}
    with served(database_url, **slow) as server:
        client = HttpClient(server.url, timeout=ANSWER_DEADLINE)
        form = open_form(client, course)
        with writes_held(database_url):
            flight = InFlight(client, f"/courses/{course.slug}/enquire", form)
            worker = wait_for(lambda: server.worker_serving(flight.client_port))
            if database_url.startswith("postgresql"):
                wait_for(lambda: postgres_writes_waiting(database_url, "enquiries"))
            os.kill(worker, signal.SIGKILL)
            outcome = flight.outcome()
        assert isinstance(outcome, Exception), f"the worker answered {outcome} before it was killed"
        assert stored_rows(db) in (NOTHING, STORED_ONCE)

        wait_for(lambda: len(server.worker_pids()) == 2 and worker not in server.worker_pids())
        assert all_answer(client, "/", 200)
        assert client.post(f"/courses/{course.slug}/enquire", form).status == 303
        assert stored_rows(db) == STORED_ONCE
