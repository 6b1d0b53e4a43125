"""The test launcher of gunicorn: free ports, its own workers, stopped by its own pids."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from tests.servers import Gunicorn, HttpClient, free_port, wait_for

pytestmark = pytest.mark.servers


def running(pid: int) -> bool:
    """True while ``pid`` is a live process (not gone, not a zombie)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def test_free_port_gives_a_port_that_can_be_listened_on():
    with socket.create_server(("127.0.0.1", free_port())) as listener:
        assert listener.getsockname()[1] > 0


def test_a_server_runs_the_workers_asked_for_and_stops_them_all(tmp_path):
    server = Gunicorn({"DATABASE_URL": f"sqlite:///{tmp_path / 'unused.sqlite3'}"}, workers=3)
    with server:
        workers = wait_for(lambda: server.worker_pids() if len(server.worker_pids()) == 3 else None)
        assert HttpClient(server.url).get("/healthz").status == 200

    assert not any(running(pid) for pid in [server.pid, *workers])
