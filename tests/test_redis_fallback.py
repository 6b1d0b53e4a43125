"""Rate limits in Redis, required in production; if Redis dies they hold per process, logged once a minute."""

from __future__ import annotations

import logging
import socket
import threading

import pytest

from catalog import create_app
from catalog.config import ConfigError, load_config
from catalog.extensions import limiter
from catalog.ratelimits import StorageWatch, ThrottledLog, storage_name, storage_watch
from tests.builders import make_batch, make_course
from tests.helpers import filled_enquiry
from tests.redis_server import RedisServer

OUTAGE = "is unreachable"
#: However Redis fails, an enquiry is answered well within this (it waits at most a second on Redis).
ANSWER_DEADLINE = 10.0


class Clock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def redis_server(tmp_path):
    with RedisServer(tmp_path) as server:
        yield server


@pytest.fixture
def clock():
    return Clock()


def app_on_redis(app, redis_url: str, clock: Clock):
    """An app like ``app`` configured as ``REDIS_URL=redis_url`` would, its outage log on ``clock``."""
    from_environment = load_config(app.instance_path, {"REDIS_URL": redis_url})
    shared = create_app(
        {
            **app.config,
            "RATELIMIT_STORAGE_URI": from_environment["RATELIMIT_STORAGE_URI"],
            "RATELIMIT_STORAGE_OPTIONS": from_environment["RATELIMIT_STORAGE_OPTIONS"],
            "ENQUIRY_LIMITS_PER_ADDRESS": "3 per minute",
        }
    )
    storage_watch(shared).log.clock = clock
    return shared


@pytest.fixture
def fresh_limiter():
    yield
    # The limiter is one object for every app of the test session: leave it counting in its
    # configured storage again, as a fresh process would.
    limiter._storage_dead = False


@pytest.fixture
def redis_app(app, redis_server, clock, fresh_limiter):
    """An app whose limits count in the private Redis."""
    return app_on_redis(app, redis_server.url, clock)


@pytest.fixture
def silent_redis_app(app, clock, fresh_limiter):
    """An app whose Redis accepts connections and never answers (a hung host, a black hole)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(16)
        yield app_on_redis(app, f"redis://127.0.0.1:{listener.getsockname()[1]}/0", clock)


@pytest.fixture
def course(app):
    course = make_course()
    make_batch(course, starts_in_days=20)
    return course


def enquire(client, slug: str, email: str):
    """Open the enquiry form of course ``slug`` and send it filled in (each ``email`` under its own limit)."""
    url = f"/courses/{slug}/enquire"
    return client.post(url, data=filled_enquiry(client.get(url).get_data(as_text=True), email=email))


def outage_lines(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if OUTAGE in r.getMessage()]


# Configuration


def test_production_refuses_to_start_without_redis_url(tmp_path):
    production = {"CATALOG_ENV": "production", "SECRET_KEY": "s3cret", "TRUSTED_HOSTS": "courses.example.in"}
    with pytest.raises(ConfigError) as refused:
        load_config(str(tmp_path), production)
    assert str(refused.value) == (
        "REDIS_URL must be set when CATALOG_ENV=production: rate limits must be shared by every process"
    )


def test_development_counts_limits_in_memory_by_default(tmp_path):
    assert load_config(str(tmp_path), {})["RATELIMIT_STORAGE_URI"] == "memory://"


def test_redis_url_makes_every_process_count_in_redis(tmp_path):
    config = load_config(str(tmp_path), {"REDIS_URL": "redis://cache.internal:6379/0"})
    assert config["RATELIMIT_STORAGE_URI"] == "redis://cache.internal:6379/0"
    assert config["RATELIMIT_IN_MEMORY_FALLBACK_ENABLED"] is True


def test_a_redis_that_stops_answering_costs_a_request_at_most_a_second(tmp_path):
    options = load_config(str(tmp_path), {"REDIS_URL": "redis://cache.internal:6379/0"})[
        "RATELIMIT_STORAGE_OPTIONS"
    ]
    assert options == {"socket_connect_timeout": 1, "socket_timeout": 1}


# Redis answering, then gone


def test_limits_count_in_redis_while_it_answers(redis_app, redis_server, course):
    assert enquire(redis_app.test_client(), course.slug, "asha@example.in").status_code == 303
    with redis_server.client() as client:
        assert b"LIMITS:LIMITER/catalog/127.0.0.1/enquiries.enquire/3/1/minute" in client.keys("*")


def test_requests_keep_working_when_redis_dies(redis_app, redis_server, course):
    client = redis_app.test_client()
    assert enquire(client, course.slug, "asha@example.in").status_code == 303
    redis_server.kill()
    assert client.get(f"/courses/{course.slug}").status_code == 200
    assert enquire(client, course.slug, "ravi@example.in").status_code == 303


def test_limits_still_hold_in_memory_when_redis_dies(redis_app, redis_server, course):
    client = redis_app.test_client()
    redis_server.kill()
    answers = [enquire(client, course.slug, f"learner{n}@example.in").status_code for n in range(4)]
    assert answers == [303, 303, 303, 429]


def test_a_redis_outage_is_logged_once_however_many_requests_meet_it(
    redis_app, redis_server, course, clock, caplog
):
    client = redis_app.test_client()
    redis_server.kill()
    with caplog.at_level(logging.INFO):
        for second in range(0, 60, 10):
            clock.now += 10
            client.get(f"/courses/{course.slug}")
            enquire(client, course.slug, f"learner{second}@example.in")
    assert outage_lines(caplog) == [
        f"Rate-limit storage redis://127.0.0.1:{redis_server.port} is unreachable: "
        "limits are counted in each process's memory until it answers again"
    ]


def test_a_redis_that_never_answers_does_not_hold_up_the_enquiry(silent_redis_app, course):
    answers, slug = [], course.slug
    sender = threading.Thread(
        target=lambda: answers.append(enquire(silent_redis_app.test_client(), slug, "asha@example.in")),
        daemon=True,
    )
    sender.start()
    sender.join(ANSWER_DEADLINE)
    assert [answer.status_code for answer in answers] == [303]


def test_flask_limiters_own_report_of_the_outage_is_not_repeated_in_the_log(
    redis_app, redis_server, course, caplog
):
    client = redis_app.test_client()
    redis_server.kill()
    with caplog.at_level(logging.INFO):
        enquire(client, course.slug, "asha@example.in")
    assert not [r for r in caplog.records if r.name == "flask-limiter"]


def test_a_lasting_redis_outage_is_logged_again_after_a_minute(
    redis_app, redis_server, course, clock, caplog
):
    client = redis_app.test_client()
    redis_server.kill()
    with caplog.at_level(logging.INFO):
        enquire(client, course.slug, "asha@example.in")
        clock.now += 59
        enquire(client, course.slug, "ravi@example.in")
        clock.now += 2
        enquire(client, course.slug, "meera@example.in")
    lines = outage_lines(caplog)
    assert len(lines) == 2
    assert "more reports held back since the last one" in lines[1]


def test_the_outage_is_logged_as_an_error_of_the_app(redis_app, redis_server, course, caplog):
    client = redis_app.test_client()
    redis_server.kill()
    with caplog.at_level(logging.INFO):
        enquire(client, course.slug, "asha@example.in")
    (record,) = [r for r in caplog.records if OUTAGE in r.getMessage()]
    assert (record.name, record.levelno) == (redis_app.logger.name, logging.ERROR)


# The log and the watch


def test_throttled_log_holds_back_errors_within_its_interval():
    logger = logging.getLogger("tests.throttled")
    clock = Clock()
    log = ThrottledLog(logger, interval=60, clock=clock)
    sent = []
    for _ in range(3):
        sent.append(log.error("down"))
        clock.now += 20
    assert sent == [True, False, False]


def test_throttled_log_counts_what_it_held_back(caplog):
    clock = Clock()
    log = ThrottledLog(logging.getLogger("tests.throttled"), interval=60, clock=clock)
    with caplog.at_level(logging.ERROR, logger="tests.throttled"):
        log.error("down")
        log.error("down")
        log.error("down")
        clock.now += 60
        log.error("down")
    assert [r.getMessage() for r in caplog.records] == [
        "down",
        "down (2 more reports held back since the last one)",
    ]


def test_recovery_is_logged_and_a_new_outage_reported_at_once(caplog):
    clock = Clock()
    watch = StorageWatch(logging.getLogger("tests.watch"), "redis://cache.internal:6379", clock)
    with caplog.at_level(logging.INFO, logger="tests.watch"):
        watch.failed()
        watch.answered()
        watch.failed()
    assert [r.levelno for r in caplog.records] == [logging.ERROR, logging.WARNING, logging.ERROR]
    assert "answers again: limits are shared again" in caplog.records[1].getMessage()


def test_a_storage_that_keeps_answering_logs_nothing(caplog):
    watch = StorageWatch(logging.getLogger("tests.watch"), "redis://cache.internal:6379", Clock())
    with caplog.at_level(logging.INFO, logger="tests.watch"):
        watch.answered()
    assert caplog.records == []


def test_log_lines_name_the_storage_without_its_password():
    assert storage_name("redis://:s3cret@cache.internal:6380/2") == "redis://cache.internal:6380"
