"""`sharebound serve`'s protocol closes connections whose request head does not arrive in time.

A real uvicorn server on loopback, with the app over a real database; a handful of sockets.
"""

from __future__ import annotations

import resource
import socket
import threading
import time
from collections.abc import Iterator

import pytest
import uvicorn

from sharebound.bootstrap import App
from sharebound.web import create_app
from sharebound.web import server as serving
from tests.integration.servers import free_port

HALF = b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: slow"


@pytest.fixture(params=["h11", "httptools"])
def port(app: App, monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest) -> Iterator[int]:
    monkeypatch.setenv("SHAREBOUND_HEADER_TIMEOUT_SECONDS", "0.5")
    serving._head_timeout.cache_clear()
    chosen = free_port()
    loop, protocol = (("asyncio", serving.HeadTimeoutH11Protocol) if request.param == "h11"
                      else serving.protocol())
    config = uvicorn.Config(create_app(core=app), host="127.0.0.1", port=chosen, log_level="warning",
                            lifespan="off", loop=loop, http=protocol)
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.02)
    yield chosen
    server.should_exit = True
    thread.join(timeout=10)
    serving._head_timeout.cache_clear()


def closed_within(sock: socket.socket, seconds: float) -> bool:
    sock.settimeout(seconds)
    try:
        return sock.recv(1) == b""
    except TimeoutError:
        return False


def test_a_request_head_that_stops_half_way_is_closed_after_the_header_timeout(port: int) -> None:
    with socket.create_connection(("127.0.0.1", port), timeout=5) as idle, \
         socket.create_connection(("127.0.0.1", port), timeout=5) as silent:
        idle.sendall(HALF)

        assert closed_within(idle, 3) and closed_within(silent, 3)


def answer(sock: socket.socket) -> bytes:
    """One whole /healthz answer (head and body)."""
    got = b""
    while not got.endswith(b'{"status":"ok"}'):
        chunk = sock.recv(4096)
        if not chunk:
            break
        got += chunk
    return got


def test_a_whole_request_is_answered_and_keep_alive_still_works(port: int) -> None:
    with socket.create_connection(("127.0.0.1", port), timeout=5) as conn:
        conn.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        first = answer(conn)
        time.sleep(0.8)  # longer than the head timeout, shorter than keep-alive: idle between requests
        conn.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
        second = answer(conn)

    assert first.startswith(b"HTTP/1.1 200") and second.startswith(b"HTTP/1.1 200")


def test_a_second_request_head_on_a_kept_alive_connection_is_timed_too(port: int) -> None:
    with socket.create_connection(("127.0.0.1", port), timeout=5) as conn:
        conn.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        assert answer(conn).startswith(b"HTTP/1.1 200")
        conn.sendall(HALF)

        assert closed_within(conn, 3)


def test_serve_raises_the_soft_open_files_limit_to_the_hard_one() -> None:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    try:
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(256, hard), hard))

        raised = serving.raise_open_files_limit()

        now = resource.getrlimit(resource.RLIMIT_NOFILE)[0]
        assert raised == now and (now == hard or hard == resource.RLIM_INFINITY)
    finally:
        resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))
