"""Mail benchmark: how many outbox messages a second the sender delivers, alone and with two
senders at once, and that each message is delivered exactly once.

It starts a local SMTP server (aiosmtpd on loopback, accepting every message and noting its
outbox id from the Message-ID), queues ``--messages`` emails in the outbox of a fresh migrated
SQLite database (each a real composed email, the reset answer for an address without an
account), then runs the outbox sender, ``deliver_pending`` in runs of ``--limit`` as
``flask --app catalog send-outbox --limit N`` does, until nothing is due. It does that once with
one sender, then (on a new batch of messages) with two senders at once, each a thread with its
own database session, as two ``send-outbox`` commands started by cron at the same moment would
be. It prints messages per second and the delivery count of every message; any message missing,
delivered twice or not marked sent makes it exit with status 1. See bench/README.md.

    .venv/bin/python bench/mail.py [--messages 500] [--limit 100] [--senders 1,2]
"""

from __future__ import annotations

import argparse
import re
import socket
import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass, field

from aiosmtpd.controller import Controller
from common import fresh_app
from flask import Flask
from sqlalchemy import delete, select

from catalog.emails import password_reset_no_account
from catalog.extensions import db
from catalog.models import OutboxMessage, OutboxStatus
from catalog.services.outbox import DeliveryReport, DeliverySettings, deliver_pending, queue_email

#: The outbox id in a Message-ID the sender writes (``outbox.<id>.<created>``).
OUTBOX_ID_RE = re.compile(r"outbox\.(\d+)\.")


@dataclass
class CountingHandler:
    """Accepts every message and counts deliveries per outbox id."""

    delivered: Counter = field(default_factory=Counter)
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_DATA(self, server, session, envelope) -> str:
        match = OUTBOX_ID_RE.search(envelope.content.decode("utf-8", "replace"))
        with self.lock:
            self.delivered[int(match.group(1)) if match else -1] += 1
        return "250 OK"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def queue_messages(count: int) -> list[int]:
    """Queue ``count`` composed emails in one transaction; their outbox ids."""
    messages = [
        queue_email(db.session, "bench", address, password_reset_no_account(address))
        for address in (f"learner{n}@example.in" for n in range(count))
    ]
    db.session.commit()
    return [message.id for message in messages]


def run_sender(app: Flask, settings: DeliverySettings, limit: int, reports: list, errors: list) -> None:
    """One sender: runs of ``limit`` messages, as ``send-outbox`` runs, until nothing is due."""
    total = DeliveryReport()
    try:
        with app.app_context():
            while True:
                report = deliver_pending(db.session, settings, limit)
                total.sent += report.sent
                total.retrying += report.retrying
                total.failed += report.failed
                if report.sent + report.retrying + report.failed < limit:
                    break
            db.session.remove()
    except Exception as error:  # a sender that dies is a finding, reported with the rest
        errors.append(f"{type(error).__name__}: {error}")
    reports.append(total)


@dataclass
class Round:
    senders: int
    messages: int
    seconds: float
    reports: list[DeliveryReport]
    errors: list[str]
    once: int
    twice_or_more: int
    missing: int
    not_marked_sent: int

    @property
    def per_second(self) -> float:
        return self.messages / self.seconds

    @property
    def exactly_once(self) -> bool:
        return not (self.errors or self.twice_or_more or self.missing or self.not_marked_sent)


def bench_round(
    app: Flask, handler: CountingHandler, settings: DeliverySettings, senders: int, count: int, limit: int
) -> Round:
    """Queue ``count`` messages, deliver them with ``senders`` senders at once, and check them."""
    db.session.execute(delete(OutboxMessage))
    db.session.commit()
    ids = queue_messages(count)
    with handler.lock:
        handler.delivered.clear()
    reports: list[DeliveryReport] = []
    errors: list[str] = []
    threads = [
        threading.Thread(target=run_sender, args=(app, settings, limit, reports, errors))
        for _ in range(senders)
    ]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    seconds = time.perf_counter() - started
    db.session.expire_all()
    statuses = dict(db.session.execute(select(OutboxMessage.id, OutboxMessage.status)).all())
    with handler.lock:
        counts = [handler.delivered[message_id] for message_id in ids]
    return Round(
        senders=senders,
        messages=count,
        seconds=seconds,
        reports=reports,
        errors=errors,
        once=sum(1 for n in counts if n == 1),
        twice_or_more=sum(1 for n in counts if n > 1),
        missing=sum(1 for n in counts if n == 0),
        not_marked_sent=sum(1 for message_id in ids if statuses.get(message_id) != OutboxStatus.SENT),
    )


def print_round(result: Round) -> None:
    shares = " + ".join(str(report.sent) for report in result.reports)
    print(
        f"{result.senders:>7} {result.messages:>8} {result.seconds:>9.2f} {result.per_second:>10.0f}"
        f"   {shares:<13} once {result.once}, twice or more {result.twice_or_more}, "
        f"missing {result.missing}, not marked sent {result.not_marked_sent}"
    )
    for error in result.errors:
        print(f"        a sender failed: {error}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=500, help="messages queued per round (default 500)")
    parser.add_argument(
        "--limit", type=int, default=100, help="messages per sender run, as send-outbox --limit"
    )
    parser.add_argument("--senders", default="1,2", help="senders at once, one round each (default 1,2)")
    args = parser.parse_args(argv)
    handler = CountingHandler()
    controller = Controller(handler, hostname="127.0.0.1", port=_free_port())
    controller.start()
    settings = DeliverySettings(
        host=controller.hostname, port=controller.port, mail_from="Bench <bench@localhost>", starttls=False
    )
    results = []
    try:
        with fresh_app(SITE_URL="https://courses.example.in") as app:
            print(f"\nOutbox delivery to a local SMTP server ({args.messages} messages a round, SQLite)\n")
            heads = f"{'senders':>7} {'messages':>8} {'seconds':>9} {'per second':>10}"
            print(f"{heads}   {'sent by each':<13} deliveries")
            for senders in (int(n) for n in args.senders.split(",")):
                result = bench_round(app, handler, settings, senders, args.messages, args.limit)
                print_round(result)
                results.append(result)
    finally:
        controller.stop()
    if not all(result.exactly_once for result in results):
        print("\nNot every message was delivered exactly once.", file=sys.stderr)
        return 1
    print("\nEvery message was delivered exactly once and marked sent.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
