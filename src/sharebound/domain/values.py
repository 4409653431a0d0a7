"""Small value checks shared by the model: handles, emails, topics, canonical JSON."""

from __future__ import annotations

import hashlib
import json
import re
from datetime import UTC, date, datetime, time
from typing import Any

from sharebound.domain.errors import InvalidInput
from sharebound.domain.limits import MAX_TOPIC

HANDLE_RE = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$")
# Deliberately simple: one @, a dot in the domain, no spaces. Deliverability is mail's job.
EMAIL_RE = re.compile(r"^[^@\s]{1,64}@[^@\s]+\.[^@\s]+$")
TOPIC_RE = re.compile(r"^[a-z0-9](?:[a-z0-9 _-]{0,62}[a-z0-9])?$")
# why: C0 and C1 controls, DEL, and the Unicode line and paragraph separators. A line break
# in a title ends up in an email header (undeliverable) and forges lines in logs and stamps.
_CONTROL_RE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_MULTI_LINE_CONTROL_RE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]")  # \t \n kept


def single_line(field: str, value: object, limit: int, *, required: bool = True) -> str:
    """A one-line field (a title, a name, a handle, a topic...), stripped: every single-line
    input goes through here. No control character at all; an error names `field`."""
    if value is None and not required:
        return ""
    if not isinstance(value, str):
        raise InvalidInput({field: "must be text"})
    if _CONTROL_RE.search(value):
        raise InvalidInput({field: "must be one line, without control characters (line breaks, "
                                   "tabs, NUL...)"})
    text = value.strip()
    if required and not text:
        raise InvalidInput({field: "is required"})
    if len(text) > limit:
        raise InvalidInput({field: f"must be at most {limit} characters"})
    return text


def multi_line(field: str, value: object, limit: int) -> str:
    """A multi-line field (a body, details, a note, a reason): line breaks and tabs are
    allowed (CR LF becomes LF), no other control character; not stripped of inner lines."""
    if not isinstance(value, str):
        raise InvalidInput({field: "must be text"})
    text = value.replace("\r\n", "\n")
    if _MULTI_LINE_CONTROL_RE.search(text):
        raise InvalidInput({field: "must not contain control characters other than line breaks "
                                   "and tabs"})
    if len(text) > limit:
        raise InvalidInput({field: f"must be at most {limit} characters"})
    return text


def one_line(value: str) -> str:
    """`value` flattened to one line, for output that must be one line (an email header) even
    when stored before `single_line` checked it: each run of control characters is a space."""
    return " ".join(_CONTROL_RE.sub(" ", value).split())


def is_handle(value: object) -> bool:
    return isinstance(value, str) and bool(HANDLE_RE.match(value))


def normalize_email(value: str) -> str:
    return value.strip().lower()


def is_email(value: object) -> bool:
    return isinstance(value, str) and len(value) <= 254 and bool(EMAIL_RE.match(value))


def normalize_topic(value: str) -> str:
    return " ".join(value.strip().lower().split())


def topic_line(field: str, value: object) -> str:
    """A topic as typed, normalized: one line first (a line break is refused naming `field`,
    never collapsed into a space), then lowercase with single spaces."""
    return normalize_topic(single_line(field, value, MAX_TOPIC, required=False))


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
    try:
        return moment.astimezone(UTC)
    except OverflowError:  # why: 0001-01-01T00:00+01:00 is before the first UTC moment there is
        raise ValueError(f"{name} is out of range") from None
