"""Headers on every answer, and a limit on request bodies."""

from __future__ import annotations

import json

from starlette.types import ASGIApp, Message, Receive, Scope, Send

# No inline script, nothing from another host, never inside a frame.
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")

HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (b"cross-origin-opener-policy", b"same-origin"),
]


class SecurityHeaders:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                present = {name for name, _ in message.get("headers", [])}
                message["headers"] = [*message.get("headers", []),
                                      *((n, v) for n, v in HEADERS if n not in present)]
                if scope.get("scheme") == "https":
                    message["headers"].append(
                        (b"strict-transport-security", b"max-age=31536000; includeSubDomains"))
            await send(message)

        await self.app(scope, receive, with_headers)


class BodyLimit:
    """Refuses a body over its limit with 413, whether declared or streamed.

    Uploads (multipart) have their own, larger limit. A client still sending its body when the
    server closes sees a reset connection, not the 413; so the 413 comes:
    - at once, before any body is read, when the client waits for `Expect: 100-continue`
      (no `100 Continue` is sent, so it never sends the body);
    - after reading and discarding the body, when what is left of it is within `drain`
      bytes (the connection then stays usable);
    - otherwise at once, closing the connection: a reset the client may see instead.
    """

    def __init__(self, app: ASGIApp, json_limit: int, upload_limit: int, drain: int = 0) -> None:
        self.app = app
        self.json_limit = json_limit
        self.upload_limit = upload_limit
        self.drain = drain

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers", []))
        upload = headers.get(b"content-type", b"").startswith(b"multipart/form-data")
        limit = self.upload_limit if upload else self.json_limit
        page = not str(scope.get("path", "")).startswith(("/api/", "/scim/"))
        declared = headers.get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > limit:
            waits = headers.get(b"expect", b"").lower() == b"100-continue"
            drained = not waits and int(declared) <= self.drain and await _discard(receive, self.drain)
            await _too_large(send, limit, page, close=not drained)
            return
        received = 0
        over = False
        started = False
        pending = True  # why: once the body has all come, another receive() waits for the end

        async def counted() -> Message:
            nonlocal received, over, pending
            message = await receive()
            pending = message["type"] == "http.request" and message.get("more_body", False)
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    over = True
                    raise _TooLarge
            return message

        async def guarded(message: Message) -> None:
            nonlocal started
            if over and not started:
                return  # why: the app's answer to a body cut short (a 400 or 422) is not the truth
            started = True
            await send(message)

        try:
            await self.app(scope, counted, guarded)
        except _TooLarge:
            over = True
        if over and not started:
            drained = not pending or await _discard(receive, self.drain)
            await _too_large(send, limit, page, close=not drained)


class _TooLarge(Exception):
    pass


async def _discard(receive: Receive, bound: int) -> bool:
    """Read and drop the rest of the body, up to `bound` bytes: whether it all came."""
    read = 0
    while read <= bound:
        message = await receive()
        if message["type"] != "http.request":
            return False  # the client went away
        read += len(message.get("body", b""))
        if not message.get("more_body", False):
            return read <= bound
    return False


_TOO_LARGE_PAGE = (
    '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Too large</title>'
    '<link rel="stylesheet" href="/static/app.css"></head><body><main><section><h1>Too large</h1>'
    "<p>The file or form is over the limit of {mb} MB. Go back and choose a smaller one, "
    'or <a href="/">return home</a>.</p></section></main></body></html>'
)


async def _too_large(send: Send, limit: int, page: bool, *, close: bool) -> None:
    """413 as a problem document for the API, as a short page for a browser; `close` when the
    rest of the body was not read, so the connection cannot carry another request."""
    detail = f"the request body is over the limit of {limit} bytes"
    if page:
        body = _TOO_LARGE_PAGE.format(mb=limit // 1_048_576).encode()
        kind = b"text/html; charset=utf-8"
    else:
        body = json.dumps({"type": "https://sharebound.example/problems/http_413",
                           "title": "Content too large", "status": 413, "detail": detail}).encode()
        kind = b"application/problem+json"
    headers = [(b"content-type", kind), (b"content-length", str(len(body)).encode())]
    if close:
        headers.append((b"connection", b"close"))
    await send({"type": "http.response.start", "status": 413, "headers": headers})
    await send({"type": "http.response.body", "body": body})
