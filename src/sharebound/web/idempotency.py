"""`Idempotency-Key` on every POST of the API (draft-ietf-httpapi-idempotency-key-header).

A signed-in caller's POST with the header is run once per (caller, path, key): the answer is
stored with the key for 24 hours and a retry gets it again, marked `Idempotent-Replayed: true`,
without running anything. The same key with another body: 422. While the first request is
still running: 409. Answers worth redoing are not stored (5xx, 409, 429): a retry runs again.
Answers that carry a secret shown once (tokens, invitation links, webhook secrets) are never
stored: their retry answers 409 saying the request was done. The fingerprint is the SHA-256 of
the media type and the body, a multipart body without its boundary (a client resending a form
draws a new one).
"""

from __future__ import annotations

import hmac
import json
import re
import secrets
from typing import Any

import anyio
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from sharebound.bootstrap import App
from sharebound.domain.errors import ShareboundError
from sharebound.domain.idempotency import KeyScope, StoredAnswer
from sharebound.services import auth, idempotency

HEADER = b"idempotency-key"
REPLAYED = (b"idempotent-replayed", b"true")
KEPT_HEADERS = {b"content-type", b"location", b"retry-after", b"www-authenticate"}
MAX_KEPT_BODY = 1_048_576  # why: API answers are small JSON; a bigger one is not worth a row
_KEY = re.compile(r"[\x21-\x7e]{1,255}")  # why: printable ASCII, as a key in a header can be
SECRET_ROUTES = re.compile(r"/api/v1/(orgs|orgs/[^/]+/people|orgs/[^/]+/webhooks|"
                           r"orgs/[^/]+/crown-jewels|orgs/[^/]+/scim-tokens|webhooks/[^/]+/rotate-secret)")
# why no key at all: their bodies hold passwords, and even a hash of one must not be kept
PASSWORD_ROUTES = re.compile(r"/api/v1/(auth/.*|agreements/[^/]+/sign)")


class Idempotency:
    def __init__(self, app: ASGIApp, core: App) -> None:
        self.app = app
        self.core = core

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = str(scope.get("path", ""))
        raw = dict(scope.get("headers", [])).get(HEADER) if scope["type"] == "http" else None
        if (raw is None or scope["method"] != "POST" or not path.startswith("/api/v1/")
                or PASSWORD_ROUTES.fullmatch(path) is not None):
            await self.app(scope, receive, send)
            return
        key = raw.decode("latin-1").strip().removeprefix('"').removesuffix('"')
        if not _KEY.fullmatch(key):
            await _drain(receive)
            await _problem(send, 422, "Invalid input", "Idempotency-Key: must be 1 to 255 printable "
                           "ASCII characters", "invalid_input",
                           errors={"Idempotency-Key": "must be 1 to 255 printable ASCII characters"})
            return
        person = await anyio.to_thread.run_sync(self._caller, scope)
        if person is None:  # not signed in: the route says so; nothing is kept for no one
            await self.app(scope, receive, send)
            return
        query = scope.get("query_string", b"").decode("latin-1")
        where = KeyScope(person, "POST", (path + ("?" + query if query else ""))[:500], key)
        claim = "idk_" + secrets.token_hex(16)
        found = await anyio.to_thread.run_sync(idempotency.begin, self.core.uow(), where, claim)
        if found is None:
            await self._run(scope, receive, send, where, claim, SECRET_ROUTES.fullmatch(path) is not None)
        else:
            await self._answer_again(scope, receive, send, found)

    def _caller(self, scope: Scope) -> str | None:
        value = dict(scope.get("headers", [])).get(b"authorization", b"").decode("latin-1")
        kind, _, token = value.partition(" ")
        if kind.lower() != "bearer" or not token:
            return None
        try:
            return auth.authenticate(self.core.uow(), token.strip()).id
        except ShareboundError:
            return None

    async def _answer_again(self, scope: Scope, receive: Receive, send: Send, found: StoredAnswer) -> None:
        fingerprint = _Fingerprint(scope, self.core.keys.fingerprint_key())
        await _drain(receive, fingerprint)
        if found.status is None:
            await _problem(send, 409, "Conflict", "a request with this Idempotency-Key is still being "
                           "handled: retry in a moment", "idempotency_in_flight", retry_after="5")
        elif found.fingerprint != fingerprint.hexdigest():
            await _problem(send, 422, "Invalid input", "Idempotency-Key: was used for a request with "
                           "another body", "invalid_input",
                           errors={"Idempotency-Key": "was used for a request with another body"})
        elif found.body is None:
            await _problem(send, 409, "Conflict", f"a request with this Idempotency-Key was done (it "
                           f"answered {found.status}); its answer carried a secret that is shown "
                           "once and not kept", "idempotency_secret_not_kept")
        else:
            headers = [(n.encode("latin-1"), v.encode("latin-1")) for n, v in found.headers]
            headers += [(b"content-length", str(len(found.body)).encode()), REPLAYED]
            await send({"type": "http.response.start", "status": found.status, "headers": headers})
            await send({"type": "http.response.body", "body": found.body})

    async def _run(self, scope: Scope, receive: Receive, send: Send, where: KeyScope, claim: str,
                   secret: bool) -> None:
        fingerprint = _Fingerprint(scope, self.core.keys.fingerprint_key())
        pending = True
        answer: list[Message] = []

        async def hashing() -> Message:
            nonlocal pending
            message = await receive()
            if message["type"] == "http.request":
                fingerprint.update(message.get("body", b""))
                pending = bool(message.get("more_body", False))
            else:
                pending = False
            return message

        async def held(message: Message) -> None:
            answer.append(message)

        async def keep_claim() -> None:
            while True:
                await anyio.sleep(idempotency.RENEW_EVERY.total_seconds())
                await anyio.to_thread.run_sync(idempotency.renew, self.core.uow(), where, claim)

        try:
            async with anyio.create_task_group() as group:
                group.start_soon(keep_claim)
                try:
                    await self.app(scope, hashing, held)
                finally:
                    group.cancel_scope.cancel()
            if pending:  # why: the fingerprint is of the whole body, read or not by the route
                await _drain(hashing)
        except BaseException:
            with anyio.CancelScope(shield=True):
                await anyio.to_thread.run_sync(idempotency.release, self.core.uow(), where, claim)
            raise
        start = next((m for m in answer if m["type"] == "http.response.start"), None)
        body = b"".join(m.get("body", b"") for m in answer if m["type"] == "http.response.body")
        status = int(start["status"]) if start else 500
        if status >= 500 or status in (409, 429) or len(body) > MAX_KEPT_BODY or start is None:
            await anyio.to_thread.run_sync(idempotency.release, self.core.uow(), where, claim)
        else:
            kept = [(n.decode("latin-1"), v.decode("latin-1")) for n, v in start.get("headers", [])
                    if n.lower() in KEPT_HEADERS]
            await anyio.to_thread.run_sync(lambda: idempotency.complete(
                self.core.uow(), where, claim, fingerprint=fingerprint.hexdigest(), status=status,
                headers=kept, body=None if secret else body))
        for message in answer:
            await send(message)


class _Fingerprint:
    """HMAC-SHA-256 (under a key derived from the data key) of the media type and the body; a
    multipart body's boundary left out. Keyed, so that a copy of the table cannot be searched
    for a guessed body."""

    def __init__(self, scope: Scope, key: bytes) -> None:
        kind = dict(scope.get("headers", [])).get(b"content-type", b"").decode("latin-1")
        media, _, params = kind.partition(";")
        found = re.search(r'boundary="?([^";]+)"?', params)
        self.boundary = found.group(1).encode("latin-1") if found else b""
        self.hash = hmac.new(key, media.strip().lower().encode() + b"\n", "sha256")
        self.tail = b""

    def update(self, chunk: bytes) -> None:
        if not self.boundary:
            self.hash.update(chunk)
            return
        data = (self.tail + chunk).replace(self.boundary, b"")
        keep = len(self.boundary) - 1  # why: a boundary may be split across two chunks
        self.hash.update(data[:len(data) - keep])
        self.tail = data[len(data) - keep:]

    def hexdigest(self) -> str:
        self.hash.update(self.tail)
        self.tail = b""
        return self.hash.hexdigest()


async def _drain(receive: Receive, fingerprint: _Fingerprint | None = None) -> None:
    """Read the rest of the body (already bounded by BodyLimit), hashing it when asked."""
    while True:
        message = await receive()
        if message["type"] != "http.request":
            return
        if fingerprint is not None:
            fingerprint.update(message.get("body", b""))
        if not message.get("more_body", False):
            return


async def _problem(send: Send, status: int, title: str, detail: str, kind: str, *,
                   retry_after: str | None = None, **extra: Any) -> None:
    body = json.dumps({"type": "https://sharebound.example/problems/" + kind, "title": title,
                       "status": status, "detail": detail, **extra}).encode()
    headers = [(b"content-type", b"application/problem+json"), (b"content-length", str(len(body)).encode())]
    if retry_after:
        headers.append((b"retry-after", retry_after.encode()))
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
