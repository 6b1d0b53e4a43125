"""Real gunicorn processes for tests: started on a free loopback port, stopped by their own pid.

``Gunicorn`` serves ``catalog:create_app()`` from the repository root with the environment a test
gives it; ``migrated_database_url`` gives such a server a database it can share with the test;
``HttpClient`` talks to it the way a browser would (cookies kept, every wait bounded).
"""

from __future__ import annotations

import contextlib
import http.cookiejar
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from email.message import Message
from pathlib import Path
from typing import TypeVar

REPO_ROOT = Path(__file__).resolve().parent.parent
GUNICORN = Path(sys.executable).parent / "gunicorn"
#: How long a server may take to answer its first /healthz, and to stop.
START_DEADLINE = 30.0
STOP_DEADLINE = 10.0
#: Settings a test server gets unless the test gives its own.
DEFAULT_ENV = {
    "CATALOG_ENV": "development",
    "SECRET_KEY": "test-secret",
    "ENQUIRY_MIN_SECONDS": "0",
}
#: Inherited settings a test server must not pick up from the shell that runs the tests.
NOT_INHERITED = ("DATABASE_URL", "REDIS_URL", "CATALOG_ENV", "SECRET_KEY", "FLASK_APP")

T = TypeVar("T")


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(predicate: Callable[[], T], timeout: float = 10.0, interval: float = 0.05) -> T:
    """Poll ``predicate`` until it returns something truthy; fail when ``timeout`` passes first."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise TimeoutError(f"condition not met within {timeout} s")
        time.sleep(interval)


def migrated_database_url(database_url: str, tmp_path: Path) -> str:
    """A migrated database a gunicorn can serve, for a test that also holds ``database_url``.

    SQLite: a fresh file under ``tmp_path``, migrated here (a server of its own, so one test's
    locks never reach another's). PostgreSQL: the test database itself, already migrated; the
    ``app`` fixture empties it after the test.
    """
    if not database_url.startswith("sqlite"):
        return database_url
    from flask_migrate import upgrade

    from catalog import create_app
    from catalog.extensions import db

    url = f"sqlite:///{tmp_path / 'served.sqlite3'}"
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "TESTING": True})
    with app.app_context():
        upgrade()
        db.engine.dispose()
    return url


class Gunicorn:
    """``gunicorn "catalog:create_app()"`` on 127.0.0.1:<free port>, as a context manager."""

    def __init__(self, env: dict[str, str], workers: int = 2, args: Sequence[str] = ()) -> None:
        self.env = {k: v for k, v in os.environ.items() if k not in NOT_INHERITED}
        self.env.update(DEFAULT_ENV)
        self.env.update(env)
        self.workers = workers
        self.args = list(args)
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.pid = 0
        self._process: subprocess.Popen | None = None
        descriptor, log_path = tempfile.mkstemp(prefix="gunicorn-", suffix=".log")
        os.close(descriptor)
        self.log_path = Path(log_path)

    def start(self) -> Gunicorn:
        """Start the master and its workers; return once GET /healthz answers 200."""
        command = [
            str(GUNICORN),
            "catalog:create_app()",
            "--bind", f"127.0.0.1:{self.port}",
            "--workers", str(self.workers),
            "--graceful-timeout", "3",
            # Servers run side by side: none may take the shared default control socket.
            "--no-control-socket",
            *self.args,
        ]  # fmt: skip
        with self.log_path.open("ab") as log:
            self._process = subprocess.Popen(
                command, cwd=REPO_ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT
            )
        self.pid = self._process.pid
        try:
            wait_for(self._healthy, timeout=START_DEADLINE, interval=0.1)
        except TimeoutError:
            self.stop()
            raise RuntimeError(f"gunicorn did not answer /healthz:\n{self.log()}") from None
        return self

    def _healthy(self) -> bool:
        if self._process is not None and self._process.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {self._process.returncode}:\n{self.log()}")
        try:
            with urllib.request.urlopen(f"{self.url}/healthz", timeout=2) as response:
                return response.status == 200
        except (OSError, urllib.error.URLError):
            return False

    def worker_pids(self) -> list[int]:
        """The pids of the master's children (its workers), as the kernel lists them now."""
        pids: list[int] = []
        for children in Path(f"/proc/{self.pid}/task").glob("*/children"):
            try:
                pids.extend(int(pid) for pid in children.read_text().split())
            except OSError:
                continue
        return sorted(set(pids))

    def worker_serving(self, client_port: int) -> int | None:
        """The pid of the worker that has accepted the connection from 127.0.0.1:``client_port``.

        The kernel's TCP table gives the inode of the server side of that connection; the worker
        holding a descriptor for that inode is the one serving it (None until one accepts it).
        """
        inode = _socket_inode(local_port=self.port, remote_port=client_port)
        if inode is None:
            return None
        target = f"socket:[{inode}]"
        for pid in self.worker_pids():
            for descriptor in Path(f"/proc/{pid}/fd").glob("*"):
                with contextlib.suppress(OSError):
                    if os.readlink(descriptor) == target:
                        return pid
        return None

    def stop(self) -> None:
        """SIGTERM the master by its own pid; SIGKILL it and its workers if the deadline passes."""
        process = self._process
        if process is None or process.poll() is not None:
            return
        workers = self.worker_pids()
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=STOP_DEADLINE)
        except subprocess.TimeoutExpired:
            for pid in [*workers, self.pid]:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)
            process.wait(timeout=STOP_DEADLINE)

    def log(self) -> str:
        """Everything the server has written so far (for failure messages)."""
        return self.log_path.read_text(errors="replace")

    def __enter__(self) -> Gunicorn:
        return self.start()

    def __exit__(self, *exc_info) -> None:
        self.stop()
        self.log_path.unlink(missing_ok=True)


def _socket_inode(local_port: int, remote_port: int) -> int | None:
    # /proc/net/tcp rows: "sl local_address rem_address st ... uid timeout inode", ports in hex.
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        fields = line.split()
        local, remote, inode = fields[1], fields[2], int(fields[9])
        if int(local.split(":")[1], 16) == local_port and int(remote.split(":")[1], 16) == remote_port:
            return inode or None
    return None


@dataclass
class Answer:
    """One HTTP response: status, headers and body text."""

    status: int
    headers: Message
    text: str


class HttpClient:
    """A cookie-keeping HTTP client for a served app; every request waits at most ``timeout``."""

    def __init__(self, base_url: str, timeout: float = 8.0) -> None:
        self.base_url = base_url
        self.timeout = timeout
        self.cookies = http.cookiejar.CookieJar()
        self._opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.cookies), _NoRedirect()
        )

    def cookie_header(self) -> str:
        """The ``Cookie`` header this client would send (for requests made by other means)."""
        return "; ".join(f"{cookie.name}={cookie.value}" for cookie in self.cookies)

    def get(self, path: str, headers: Mapping[str, str] | None = None) -> Answer:
        return self.request("GET", path, headers=headers)

    def post(
        self, path: str, data: Mapping[str, str] | None = None, headers: Mapping[str, str] | None = None
    ) -> Answer:
        body = urllib.parse.urlencode(data or {}, doseq=True).encode()
        return self.request(
            "POST", path, body, {"Content-Type": "application/x-www-form-urlencoded", **(headers or {})}
        )

    def request(
        self, method: str, path: str, body: bytes | None = None, headers: Mapping[str, str] | None = None
    ) -> Answer:
        """Send one request; raise ``TimeoutError`` if no answer comes within ``timeout``."""
        req = urllib.request.Request(
            self.base_url + path, data=body, method=method, headers=dict(headers or {})
        )
        try:
            with self._opener.open(req, timeout=self.timeout) as response:
                return Answer(response.status, response.headers, response.read().decode(errors="replace"))
        except urllib.error.HTTPError as error:
            with error:
                return Answer(error.code, error.headers, error.read().decode(errors="replace"))
        except urllib.error.URLError as error:
            if isinstance(error.reason, TimeoutError | socket.timeout):
                raise TimeoutError(f"{method} {path}: no answer within {self.timeout} s") from error
            raise


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    # A test reads the redirect itself (its status and Location), as it does with Flask's client.
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None
