"""A body over the limit gets its 413 over a real connection (uvicorn on 127.0.0.1), not a reset:
the server reads and discards a refused body within a bound before answering, and a client that
waits for `100 Continue` gets the 413 without sending the body at all."""

from __future__ import annotations

import socket
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator

import httpx2
import pytest
import uvicorn

from sharebound.bootstrap import App
from sharebound.web import create_app

TOO_BIG = 16 * 1_048_576  # why: far past the 1 MB JSON limit and the kernel's socket buffers
TOKEN = "/api/v1/auth/token"


@pytest.fixture
def server(app: App) -> Iterator[tuple[str, int]]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = int(probe.getsockname()[1])
    served = uvicorn.Server(uvicorn.Config(create_app(core=app), host="127.0.0.1", port=port,
                                           log_level="warning", lifespan="off"))
    thread = threading.Thread(target=served.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not served.started:
        assert time.monotonic() < deadline, "the app did not start"
        time.sleep(0.02)
    yield "127.0.0.1", port
    served.should_exit = True
    thread.join(timeout=10)


def _head(host: str, port: int, extra: str, length: int) -> bytes:
    return (f"POST {TOKEN} HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json\r\n"
            f"Content-Length: {length}\r\n{extra}\r\n").encode()


def test_a_client_that_closes_after_its_request_gets_413_for_an_oversized_body_not_a_reset(
        server: tuple[str, int]) -> None:
    host, port = server
    # urllib sends `Connection: close`: the server used to close at once, unread body and all
    request = urllib.request.Request(f"http://{host}:{port}{TOKEN}", data=b"x" * TOO_BIG,
                                     headers={"Content-Type": "application/json"})

    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=20)

    assert refused.value.code == 413
    assert b"over the limit of 1048576 bytes" in refused.value.read()


def test_a_raw_client_sending_its_whole_oversized_body_then_reading_gets_413(
        server: tuple[str, int]) -> None:
    host, port = server
    with socket.create_connection(server, timeout=20) as client:
        client.sendall(_head(host, port, "Connection: close\r\n", TOO_BIG) + b"x" * TOO_BIG)
        answer = client.recv(64)

    assert answer.startswith(b"HTTP/1.1 413 ")


def test_a_client_waiting_for_100_continue_gets_413_and_no_100(server: tuple[str, int]) -> None:
    host, port = server
    with socket.create_connection(server, timeout=20) as client:
        client.sendall(_head(host, port, "Expect: 100-continue\r\n", TOO_BIG))
        answer = client.recv(4096)

    assert answer.startswith(b"HTTP/1.1 413 ")
    assert b"100 Continue" not in answer


def test_a_streamed_oversized_body_gets_413_not_an_invalid_json_422(server: tuple[str, int]) -> None:
    host, port = server

    def chunks() -> Iterator[bytes]:  # no Content-Length: chunked, so only reading tells the size
        for _ in range(TOO_BIG // 65536):
            yield b"x" * 65536

    answer = httpx2.post(f"http://{host}:{port}{TOKEN}", content=chunks(),
                         headers={"Content-Type": "application/json"}, timeout=20)

    assert answer.status_code == 413
    assert answer.json()["status"] == 413
