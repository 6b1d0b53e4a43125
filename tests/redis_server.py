"""A private ``redis-server`` for tests: on a free loopback port, stopped (or killed) by its own pid."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
import redis

from tests.servers import free_port, wait_for

REDIS_SERVER = shutil.which("redis-server") or "/usr/bin/redis-server"
START_DEADLINE = 10.0


class RedisServer:
    """``redis-server`` on 127.0.0.1:<free port>, keeping nothing on disk, as a context manager."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.pid = 0
        self._process: subprocess.Popen | None = None

    def start(self) -> RedisServer:
        """Start the server; return once it answers PING."""
        if not os.path.exists(REDIS_SERVER):
            pytest.skip("redis-server is not installed (apt-get install redis-server)")
        command = [
            REDIS_SERVER,
            "--bind", "127.0.0.1",
            "--port", str(self.port),
            "--save", "",
            "--appendonly", "no",
            "--dir", str(self.directory),
        ]  # fmt: skip
        self._process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.pid = self._process.pid
        wait_for(self.answers, timeout=START_DEADLINE)
        return self

    def answers(self) -> bool:
        """True if the server answers PING now."""
        client = redis.Redis.from_url(self.url, socket_connect_timeout=1, socket_timeout=1)
        try:
            return bool(client.ping())
        except redis.RedisError:
            return False
        finally:
            client.close()

    def client(self) -> redis.Redis:
        """A client of this server (the caller closes it)."""
        return redis.Redis.from_url(self.url, socket_connect_timeout=1, socket_timeout=1)

    def kill(self) -> None:
        """SIGKILL the server by its own pid, as a crash would end it, and wait until it is gone."""
        if self._process is not None and self._process.poll() is None:
            self._process.kill()
            self._process.wait(timeout=START_DEADLINE)

    def __enter__(self) -> RedisServer:
        return self.start()

    def __exit__(self, *exc_info) -> None:
        self.kill()
