"""Real servers on loopback for the tests: the app under uvicorn, SMTP (aiosmtpd), and an HTTP
webhook receiver."""

from __future__ import annotations

import email
import email.policy
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.message import Message
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import uvicorn
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class AppServer:
    """An ASGI app served by uvicorn in a thread of the test process, on a free loopback port."""

    def __init__(self, app: Any, port: int | None = None) -> None:
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=self.port,
                                                    log_level="warning", lifespan="off"))
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> AppServer:
        self.thread.start()
        deadline = time.monotonic() + 10
        while not self.server.started:
            if time.monotonic() > deadline:
                raise RuntimeError("the app did not start")
            time.sleep(0.02)
        return self

    def __exit__(self, *_: Any) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


@dataclass
class Inbox:
    messages: list[Message] = field(default_factory=list)
    logins: list[tuple[str, str]] = field(default_factory=list)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append(email.message_from_bytes(envelope.content, policy=email.policy.default))
        return "250 OK"

    def parts(self, message: Message) -> dict[str, str]:
        """The text and HTML bodies of a message, by content type."""
        found = {}
        for part in message.walk():
            if part.get_content_maintype() == "text":
                payload = part.get_payload(decode=True)
                assert isinstance(payload, bytes)
                found[part.get_content_type()] = payload.decode(part.get_content_charset() or "utf-8")
        return found


@contextmanager
def smtp_server(login: tuple[str, str] | None = None) -> Iterator[tuple[Inbox, int]]:
    """With `login`, the server checks that user and password (AUTH over plain text: a test)."""
    inbox = Inbox()
    port = free_port()
    extra: dict[str, Any] = {}
    if login is not None:
        def authenticate(server: Any, session: Any, envelope: Any, mechanism: str, data: Any) -> AuthResult:
            given = (data.login.decode(), data.password.decode())
            inbox.logins.append(given)
            return AuthResult(success=given == login)
        extra = {"authenticator": authenticate, "auth_require_tls": False}
    controller = Controller(inbox, hostname="127.0.0.1", port=port, **extra)
    controller.start()
    try:
        yield inbox, port
    finally:
        controller.stop()


@dataclass
class Received:
    body: bytes
    headers: dict[str, str]


@dataclass
class Receiver:
    """Answers each POST with the next of `answers` (the last one repeats), after `delay` seconds."""

    answers: list[int]
    delay: float = 0.0
    received: list[Received] = field(default_factory=list)
    url: str = ""


@contextmanager
def webhook_receiver(answers: list[int], delay: float = 0.0) -> Iterator[Receiver]:
    receiver = Receiver(answers=list(answers), delay=delay)

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            receiver.received.append(Received(body, {k: v for k, v in self.headers.items()}))
            time.sleep(receiver.delay)
            status = receiver.answers.pop(0) if len(receiver.answers) > 1 else receiver.answers[0]
            try:
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()
            except OSError:
                pass  # the caller gave up waiting (a timeout test)

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    receiver.url = f"http://127.0.0.1:{server.server_address[1]}/hooks/sharebound"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield receiver
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
