"""A real SMTP server on loopback for the mail tests: aiosmtpd's Controller on a free port.

Its handler keeps every message it accepted, and can be told to refuse the next attempts with a
4xx answer or to drop the connection in the middle of DATA, as real servers sometimes do.
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage

import pytest
from aiosmtpd.controller import Controller


@dataclass
class RecordingHandler:
    """Accepts mail and records it; ``refuse`` answers the next N messages with ``refusal`` (a
    4xx "try later" unless told otherwise), ``drop`` hangs up on the next N in the middle of DATA."""

    received: list[EmailMessage] = field(default_factory=list)
    refuse: int = 0
    refusal: str = "451 4.3.0 Try again later"
    drop: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_DATA(self, server, session, envelope) -> str:
        with self.lock:
            if self.drop:
                self.drop -= 1
                server.transport.abort()
                return "421 closing"
            if self.refuse:
                self.refuse -= 1
                return self.refusal
            self.received.append(message_from_bytes(envelope.content, policy=policy.default))
        return "250 OK"


@dataclass
class SMTPServer:
    host: str
    port: int
    handler: RecordingHandler

    @property
    def received(self) -> list[EmailMessage]:
        return self.handler.received


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp_server() -> Iterator[SMTPServer]:
    """An SMTP server on 127.0.0.1, started for the test and stopped after it."""
    handler = RecordingHandler()
    controller = Controller(handler, hostname="127.0.0.1", port=_free_port())
    controller.start()
    try:
        yield SMTPServer(controller.hostname, controller.port, handler)
    finally:
        controller.stop()
