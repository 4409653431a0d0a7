"""Idempotency keys: who asked what, and the answer kept for a retry (web/idempotency.py)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True, slots=True)
class KeyScope:
    person_id: str
    method: str
    path: str
    key: str


@dataclass(frozen=True, slots=True)
class StoredAnswer:
    claim: str
    lease_until: datetime | None
    fingerprint: str | None
    status: int | None  # None: the first request is still in flight
    headers: list[tuple[str, str]]
    body: bytes | None
