"""Posting a signed JSON body to a webhook endpoint (httpx2), with a timeout."""

from __future__ import annotations

import time
from dataclasses import dataclass

import httpx2

from sharebound.domain.notifications import SIGNATURE_HEADER, signature_header


@dataclass(frozen=True)
class PostResult:
    status_code: int | None  # None: no answer at all (refused, timed out, ...)
    error: str | None  # None: a 2xx answer
    duration_ms: int

    @property
    def ok(self) -> bool:
        return self.error is None


def post_signed(url: str, body: bytes, secrets: list[str], *, timestamp: int, timeout: float) -> PostResult:
    """POST `body` with its signature header; any non-2xx answer or transport error fails."""
    headers = {"Content-Type": "application/json", "User-Agent": "Sharebound-Webhooks/1",
               SIGNATURE_HEADER: signature_header(secrets, timestamp, body)}
    started = time.monotonic()
    try:
        # why no redirects: a signed delivery goes only to the URL the admin gave
        with httpx2.Client(timeout=timeout, follow_redirects=False) as client:
            answer = client.post(url, content=body, headers=headers)
    except httpx2.HTTPError as error:
        return PostResult(None, f"{type(error).__name__}: {error}"[:500], _ms(started))
    if 200 <= answer.status_code < 300:
        return PostResult(answer.status_code, None, _ms(started))
    return PostResult(answer.status_code, f"the endpoint answered {answer.status_code}", _ms(started))


def _ms(started: float) -> int:
    return int((time.monotonic() - started) * 1000)
