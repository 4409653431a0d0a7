"""Small value checks shared by the model: handles, emails, topics, canonical JSON."""

from __future__ import annotations

import hashlib
import json
import re
from datetime import UTC, date, datetime, time
from typing import Any

HANDLE_RE = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$")
# Deliberately simple: one @, a dot in the domain, no spaces. Deliverability is mail's job.
EMAIL_RE = re.compile(r"^[^@\s]{1,64}@[^@\s]+\.[^@\s]+$")
TOPIC_RE = re.compile(r"^[a-z0-9](?:[a-z0-9 _-]{0,62}[a-z0-9])?$")


def is_handle(value: object) -> bool:
    return isinstance(value, str) and bool(HANDLE_RE.match(value))


def normalize_email(value: str) -> str:
    return value.strip().lower()


def is_email(value: object) -> bool:
    return isinstance(value, str) and len(value) <= 254 and bool(EMAIL_RE.match(value))


def normalize_topic(value: str) -> str:
    return " ".join(value.strip().lower().split())


def is_topic(value: object) -> bool:
    return isinstance(value, str) and bool(TOPIC_RE.match(value))


def canonical_json(value: Any) -> bytes:
    """Keys sorted, no spaces, UTF-8: the form that is hashed and signed."""
    return json.dumps(
        value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    ).encode("utf-8")


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def start_of_day(day: date) -> datetime:
    """Dates in terms are UTC calendar days; a term starts at that day's 00:00 UTC."""
    return datetime.combine(day, time.min, tzinfo=UTC)


def require_aware(moment: datetime, name: str = "now") -> datetime:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"{name} must be timezone-aware")
    return moment.astimezone(UTC)
