"""Behind a reverse proxy: the real client address and scheme, from trusted proxies only.

uvicorn's ProxyHeadersMiddleware does the work: when the direct peer is one of
SHAREBOUND_TRUSTED_PROXIES it takes the scheme from X-Forwarded-Proto and the client from
X-Forwarded-For (the right-most address that is not itself a trusted proxy); from any other
peer the headers are ignored. This module adds the standard `Forwarded` header (RFC 7239),
read the same way when a proxy sends it instead of the X-Forwarded pair.

What follows from the real scheme and address: the session cookie is `Secure` and HSTS is
sent when the client came over https, and sign-in limits count the client, not the proxy.
"""

from __future__ import annotations

import ipaddress

from starlette.types import ASGIApp, Receive, Scope, Send
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from sharebound.domain.addresses import parse_trusted

__all__ = ["TrustedProxies", "forwarded_as_x_forwarded", "parse_trusted"]


def forwarded_as_x_forwarded(value: str) -> tuple[str | None, str | None]:
    """The X-Forwarded-For and -Proto values a `Forwarded` header says: every `for=` in order,
    and the `proto=` of the last element that has one (the one our own proxy wrote)."""
    fors: list[str] = []
    proto: str | None = None
    for element in value.split(","):
        for pair in element.split(";"):
            key, _, item = pair.strip().partition("=")
            item = item.strip().strip('"')
            if key.strip().lower() == "for" and item:
                fors.append(item)
            elif key.strip().lower() == "proto" and item:
                proto = item.lower()
    return (", ".join(fors) or None), proto


def unmapped(host: str) -> str:
    """An IPv4-mapped IPv6 address (`::ffff:10.0.0.2`, what a dual-stack socket reports for an
    IPv4 peer) as the IPv4 address it carries; any other host as it is."""
    try:
        mapped = ipaddress.IPv6Address(host).ipv4_mapped
    except ValueError:
        return host
    return str(mapped) if mapped is not None else host


class TrustedProxies:
    def __init__(self, app: ASGIApp, trusted: list[str]) -> None:
        self.inner = ProxyHeadersMiddleware(app, trusted_hosts=trusted)  # type: ignore[arg-type]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] in ("http", "websocket"):
            client = scope.get("client")
            if client and unmapped(client[0]) != client[0]:  # why: trusted lists name IPv4 proxies
                scope = {**scope, "client": (unmapped(client[0]), client[1])}
            headers: list[tuple[bytes, bytes]] = list(scope.get("headers", []))
            names = {name for name, _ in headers}
            forwarded = [v for n, v in headers if n == b"forwarded"]
            if forwarded and b"x-forwarded-for" not in names and b"x-forwarded-proto" not in names:
                fors, proto = forwarded_as_x_forwarded(b", ".join(forwarded).decode("latin-1"))
                extra = [*([(b"x-forwarded-for", fors.encode("latin-1"))] if fors else []),
                         *([(b"x-forwarded-proto", proto.encode("latin-1"))] if proto else [])]
                scope = {**scope, "headers": [*headers, *extra]}
        await self.inner(scope, receive, send)  # type: ignore[arg-type]
