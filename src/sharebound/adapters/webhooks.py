"""Posting a signed JSON body to a webhook endpoint (httpx2), with a timeout, to a checked address.

A delivery resolves the host once, checks every answer against the address rule
(domain/addresses.py) and connects to the checked address itself, with the name in the Host
header and in TLS (SNI and certificate check): a DNS answer that changes between the check and
the connection (rebinding) cannot send the post elsewhere. No redirect is followed.

The delivery log keeps a category ("refused", "timed out", "HTTP 500", ...), never the raw
socket error: an error text would tell an admin what answered at an address (a port scanner).
"""

from __future__ import annotations

import socket
import ssl
import time
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

import httpx2

from sharebound.domain.addresses import AllowList, check_addresses, literal_address
from sharebound.domain.notifications import SIGNATURE_HEADER, signature_header

Resolver = Callable[[str, int], list[str]]

# The categories a delivery attempt ends in (besides "HTTP <status>").
NOT_ALLOWED = "not allowed"
NO_SUCH_HOST = "name not found"
REFUSED = "refused"
TIMED_OUT = "timed out"
UNREACHABLE = "unreachable"
TLS_FAILED = "TLS failed"
DROPPED = "connection dropped"
FAILED = "failed"


@dataclass(frozen=True)
class PostResult:
    status_code: int | None  # None: no answer at all (refused, timed out, ...)
    error: str | None  # None: a 2xx answer; else a category, e.g. "refused" or "HTTP 500"
    duration_ms: int

    @property
    def ok(self) -> bool:
        return self.error is None


def resolve(host: str, port: int) -> list[str]:
    """The addresses `host` resolves to (a literal in any spelling is its own answer); [] if none."""
    literal = literal_address(host)
    if literal is not None:
        return [str(literal)]
    try:
        answers = socket.getaddrinfo(host.rstrip("."), port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError):
        return []
    return list(dict.fromkeys(str(info[4][0]).partition("%")[0] for info in answers))


def _host_port(url: str) -> tuple[str, int]:
    parts = urlsplit(url)
    return parts.hostname or "", parts.port or (443 if parts.scheme == "https" else 80)


def refusal(url: str, allow: AllowList, resolve: Resolver = resolve) -> str | None:
    """Why a webhook may not point at `url`'s host (after resolving it), or None.
    A host the operator allows by name is not resolved at all."""
    host, port = _host_port(url)
    if allow.allows_host(host):
        return None
    return check_addresses(host, resolve(host, port), allow)


def post_signed(url: str, body: bytes, secrets: list[str], *, timestamp: int, timeout: float,
                allow: AllowList, resolve: Resolver = resolve) -> PostResult:
    """POST `body` with its signature header to the checked address of `url`; any non-2xx
    answer, transport error or refused address fails, with its category."""
    started = time.monotonic()
    host, port = _host_port(url)
    addresses = resolve(host, port)  # why once: the address checked is the address connected to
    if not addresses:
        return PostResult(None, NO_SUCH_HOST, _ms(started))
    reason = check_addresses(host, addresses, allow)
    if reason is not None:
        return PostResult(None, f"{NOT_ALLOWED}: {reason}", _ms(started))
    address = addresses[0]
    parts = urlsplit(url)
    user, at, _ = parts.netloc.rpartition("@")
    pinned = "[" + address + "]" if ":" in address else address
    netloc = user + at + pinned + (f":{parts.port}" if parts.port else "")
    headers = {"Host": parts.netloc.rpartition("@")[2], "Content-Type": "application/json",
               "User-Agent": "Sharebound-Webhooks/1",
               SIGNATURE_HEADER: signature_header(secrets, timestamp, body)}
    try:
        # why no redirects: a signed delivery goes only to the URL the admin gave; why not
        # trust_env: a proxy from the environment would connect on its own, past the check
        with httpx2.Client(timeout=timeout, follow_redirects=False, trust_env=False) as client:
            answer = client.post(urlunsplit(parts._replace(netloc=netloc)), content=body,
                                 headers=headers, extensions={"sni_hostname": host})
    except httpx2.HTTPError as error:
        return PostResult(None, category(error), _ms(started))
    if 200 <= answer.status_code < 300:
        return PostResult(answer.status_code, None, _ms(started))
    return PostResult(answer.status_code, f"HTTP {answer.status_code}", _ms(started))


def category(error: BaseException) -> str:
    """What kind of failure `error` is, in words that reveal nothing of the far side."""
    if isinstance(error, httpx2.TimeoutException):
        return TIMED_OUT
    causes: list[BaseException] = []
    seen: BaseException | None = error
    while seen is not None and len(causes) < 10:  # why 10: a bound on a cyclic chain
        causes.append(seen)
        seen = seen.__cause__ or seen.__context__
    for cause in causes:
        if isinstance(cause, ConnectionRefusedError):
            return REFUSED
        if isinstance(cause, ssl.SSLError):
            return TLS_FAILED
        if isinstance(cause, TimeoutError | socket.timeout):
            return TIMED_OUT
    if isinstance(error, httpx2.ConnectError):
        text = str(error).lower()
        if "refused" in text:
            return REFUSED
        if "ssl" in text or "certificate" in text:
            return TLS_FAILED
        return UNREACHABLE
    if isinstance(error, httpx2.RemoteProtocolError | httpx2.ReadError | httpx2.WriteError):
        return DROPPED
    return FAILED


def _ms(started: float) -> int:
    return int((time.monotonic() - started) * 1000)
