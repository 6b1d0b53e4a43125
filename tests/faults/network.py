"""Broken databases for fault tests: unreachable URLs, a black hole, a proxy that can turn into one.

A *black hole* accepts TCP connections and never answers, as a database host whose process is
hung, or a firewall that lets the handshake through, would. :class:`SwitchableProxy` forwards to
a real server until told to become a black hole (dropping the connections it carried, as a
failover does), and forwards again when told.
"""

from __future__ import annotations

import contextlib
import selectors
import socket
import threading
from pathlib import Path

from tests.servers import free_port


def unreachable_database_url(database_url: str, tmp_path: Path) -> str:
    """A URL of the same backend as ``database_url`` where no database can be reached."""
    if database_url.startswith("sqlite"):
        return f"sqlite:///{tmp_path / 'no-such-directory' / 'catalog.sqlite3'}"
    return f"postgresql+psycopg://postgres@127.0.0.1:{free_port()}/catalog"


def with_port(database_url: str, port: int) -> str:
    """``database_url`` (PostgreSQL) pointed at 127.0.0.1:``port`` instead of its own host."""
    from sqlalchemy.engine import make_url

    return make_url(database_url).set(host="127.0.0.1", port=port).render_as_string(hide_password=False)


class SwitchableProxy:
    """A loopback TCP listener that forwards to ``target`` or, when switched, swallows everything.

    ``target=None`` starts it as a black hole. Use as a context manager; ``port`` is where to
    connect.
    """

    def __init__(self, target: tuple[str, int] | None = None) -> None:
        self.target = target
        self.forwarding = target is not None
        self._listener = socket.create_server(("127.0.0.1", 0))
        self._listener.setblocking(False)
        self.port = self._listener.getsockname()[1]
        self._selector = selectors.DefaultSelector()
        self._selector.register(self._listener, selectors.EVENT_READ, None)
        self._pairs: dict[socket.socket, socket.socket | None] = {}
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)

    def __enter__(self) -> SwitchableProxy:
        self._thread.start()
        return self

    def __exit__(self, *exc_info) -> None:
        self._stopping.set()
        self._thread.join(timeout=5)
        with self._lock:
            for sock in list(self._pairs):
                self._close(sock)
        self._selector.close()
        self._listener.close()

    def black_hole(self) -> None:
        """From now on accept and never answer; drop every connection forwarded so far."""
        with self._lock:
            self.forwarding = False
            for sock, peer in list(self._pairs.items()):
                if peer is not None:
                    self._close(sock)

    def forward(self) -> None:
        """From now on forward new connections to the target again."""
        with self._lock:
            self.forwarding = True

    def _serve(self) -> None:
        while not self._stopping.is_set():
            for key, _ in self._selector.select(timeout=0.05):
                with self._lock:
                    if key.fileobj is self._listener:
                        self._accept()
                    else:
                        self._relay(key.fileobj)

    def _accept(self) -> None:
        try:
            client, _ = self._listener.accept()
        except BlockingIOError:
            return
        if not self.forwarding:
            # Held open and never read: the peer's bytes sit in our receive buffer, unanswered.
            self._pairs[client] = None
            return
        try:
            upstream = socket.create_connection(self.target, timeout=2)
        except OSError:
            client.close()
            return
        for sock in (client, upstream):
            sock.setblocking(False)
        self._pairs[client] = upstream
        self._pairs[upstream] = client
        self._selector.register(client, selectors.EVENT_READ, None)
        self._selector.register(upstream, selectors.EVENT_READ, None)

    def _relay(self, sock: socket.socket) -> None:
        peer = self._pairs.get(sock)
        if peer is None:
            return
        try:
            data = sock.recv(65536)
        except (BlockingIOError, InterruptedError):
            return
        except OSError:
            data = b""
        if not data:
            self._close(sock)
            return
        try:
            peer.setblocking(True)
            peer.sendall(data)
            peer.setblocking(False)
        except OSError:
            self._close(sock)

    def _close(self, sock: socket.socket) -> None:
        peer = self._pairs.pop(sock, None)
        for one in (sock, peer):
            if one is None:
                continue
            self._pairs.pop(one, None)
            with contextlib.suppress(KeyError, ValueError):
                self._selector.unregister(one)
            with contextlib.suppress(OSError):
                one.shutdown(socket.SHUT_RDWR)
            one.close()
