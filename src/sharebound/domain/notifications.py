"""Notifications: their kinds, how a person wants each, retries, and webhook signatures.

Pure: the fan-out (services/notifications.py) decides who hears of an event; this module
names the kinds, checks the settings people and admins give, and computes what needs no I/O.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from urllib.parse import urlsplit

from sharebound.domain.errors import InvalidInput
from sharebound.domain.limits import MAX_URL
from sharebound.domain.values import single_line


class Kind(StrEnum):
    DISCLOSED_TO_ME = "disclosed_to_me"
    REQUEST_ASSIGNED = "request_assigned"
    REQUEST_ANSWERED = "request_answered"
    SIGNATURE_NEEDED = "signature_needed"
    AGREEMENT_SIGNED = "agreement_signed"
    AGREEMENT_AMENDED = "agreement_amended"
    AGREEMENT_TERMINATED = "agreement_terminated"
    MENTIONED = "mentioned"
    ACCESS_ENDING = "access_ending"
    AGREEMENT_ENDING = "agreement_ending"
    REQUEST_DUE = "request_due"
    PARTNERSHIP_QUIET = "partnership_quiet"
    PEOPLE_CHANGED = "people_changed"
    NOTICE_RECEIVED = "notice_received"
    NOTICE_UPDATED = "notice_updated"
    RETURN_DUE = "return_due"
    NOTICE_DUE = "notice_due"
    REPRESENTATIVE = "representative"
    RESHARED = "reshared"


#: What each kind means, as the preferences form says it.
KIND_LABELS: dict[Kind, str] = {
    Kind.DISCLOSED_TO_ME: "Something was disclosed to me",
    Kind.REQUEST_ASSIGNED: "A request was assigned to me (or to my org, when I am an admin)",
    Kind.REQUEST_ANSWERED: "A request I asked was answered or declined",
    Kind.SIGNATURE_NEEDED: "An NDA waits for my signature",
    Kind.AGREEMENT_SIGNED: "An NDA was signed by every party",
    Kind.AGREEMENT_AMENDED: "An NDA was amended",
    Kind.AGREEMENT_TERMINATED: "An NDA was terminated",
    Kind.MENTIONED: "Someone mentioned me in a feed",
    Kind.ACCESS_ENDING: "Reminder: my access to a disclosure ends in 7 days",
    Kind.AGREEMENT_ENDING: "Reminder: an NDA ends in 30 days",
    Kind.REQUEST_DUE: "Reminder: a request is due tomorrow or overdue",
    Kind.PARTNERSHIP_QUIET: "Reminder: nothing was shared in a partnership for a while",
    Kind.PEOPLE_CHANGED: "Someone in my org was deactivated, reactivated or given other roles (admins)",
    Kind.NOTICE_RECEIVED: "A notice under an NDA was given to my org",
    Kind.NOTICE_UPDATED: "A notice my org gave or received was acknowledged, answered or closed",
    Kind.RETURN_DUE: "Reminder: my org's copies are due back (before, on and after the due date)",
    Kind.NOTICE_DUE: "Reminder: a notice's deadline is near or has passed",
    Kind.REPRESENTATIVE: "A representative was named under an NDA of my org, approved, declined or withdrawn",
    Kind.RESHARED: "Something my org disclosed was re-shared to a representative",
}


class Mode(StrEnum):
    INSTANT = "instant"  # an email at once
    DAILY = "daily"  # in the daily digest email
    WEEKLY = "weekly"  # in the weekly digest email
    OFF = "off"  # in the app only


DEFAULT_MODE = Mode.INSTANT


def parse_preferences(given: object) -> dict[Kind, Mode]:
    """{kind: mode} from input; every bad key or value is named."""
    if not isinstance(given, dict):
        raise InvalidInput({"preferences": "must be an object of kind: mode"})
    errors: dict[str, str] = {}
    parsed: dict[Kind, Mode] = {}
    for key, value in given.items():
        if key not in Kind.__members__.values():
            errors[f"preferences.{key}"] = "is not a notification kind"
        elif value not in Mode.__members__.values():
            errors[f"preferences.{key}"] = f"must be one of {', '.join(m.value for m in Mode)}"
        else:
            parsed[Kind(key)] = Mode(value)
    if errors:
        raise InvalidInput(errors)
    return parsed


def with_defaults(chosen: dict[Kind, Mode]) -> dict[Kind, Mode]:
    return {kind: chosen.get(kind, DEFAULT_MODE) for kind in Kind}


@dataclass(frozen=True, slots=True)
class Notification:
    id: str
    person_id: str
    kind: Kind
    title: str  # only what the person may already see: a title, a name, a date
    link: str  # a path in the app
    event_kind: str
    subject: str
    created_at: datetime
    read_at: datetime | None = None


# --- links: every notification, email and digest line leads to a page that shows it ------------

def request_link(request_id: str) -> str:
    return f"/requests/{request_id}"


def notice_link(notice_id: str) -> str:
    return f"/notices/{notice_id}"


def message_link(partnership_id: str, message_id: str) -> str:
    """The message in its partnership's feed (each message is an anchor `message-<id>`)."""
    return f"/partnerships/{partnership_id}#message-{message_id}"


# --- retries ------------------------------------------------------------------------------

BACKOFF_START = timedelta(seconds=30)  # why: a brief outage passes in well under a minute
BACKOFF_CAP = timedelta(hours=1)  # why: an endpoint down for hours still hears within the hour


def backoff(attempts: int) -> timedelta:
    """The wait after the `attempts`-th failure: 30 s, 1 min, 2 min, ... at most an hour."""
    wait: timedelta = BACKOFF_START * 2 ** min(max(attempts - 1, 0), 20)  # why 20: no overflow
    return min(wait, BACKOFF_CAP)


# --- webhooks -----------------------------------------------------------------------------

SIGNATURE_HEADER = "Sharebound-Signature"
ROTATION_GRACE = timedelta(hours=24)  # why: a day to deploy the new secret at the receiver


def sign_body(secret: str, timestamp: int, body: bytes) -> str:
    """HMAC-SHA256 of "<timestamp>.<body>" under `secret`, hex."""
    message = str(timestamp).encode() + b"." + body
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def signature_header(secrets: list[str], timestamp: int, body: bytes) -> str:
    """`t=<unix>,v1=<hex>[,v1=<hex>]`: one v1 per live secret (the old one during rotation)."""
    return ",".join([f"t={timestamp}", *(f"v1={sign_body(s, timestamp, body)}" for s in secrets)])


def verify_signature(secret: str, header: str, body: bytes) -> bool:
    """What a receiver does: some v1 equals our HMAC of "<t>.<body>" (docs/notifications.md)."""
    parts = [p.partition("=") for p in header.split(",")]
    stamps = [v for k, _, v in parts if k == "t"]
    if len(stamps) != 1 or not stamps[0].isdigit():
        return False
    expected = sign_body(secret, int(stamps[0]), body)
    return any(k == "v1" and hmac.compare_digest(v, expected) for k, _, v in parts)


def check_webhook_url(url: object, base_url: str) -> str:
    """An http(s) URL with a host, that is not the app itself (it would call itself)."""
    # why single_line: urlsplit drops tabs and line breaks, so a URL holding one would be
    # stored as typed and called as another
    url = single_line("url", url, MAX_URL)
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise InvalidInput({"url": "must be an http:// or https:// URL with a host"})
    if _origin(url) == _origin(base_url):
        raise InvalidInput({"url": "points at Sharebound itself; give your own endpoint"})
    return url


def _origin(url: str) -> tuple[str, str, int | None]:
    parts = urlsplit(url)
    try:
        port = parts.port or {"http": 80, "https": 443}.get(parts.scheme)
    except ValueError:
        raise InvalidInput({"url": "has a port that is not a number from 0 to 65535"}) from None
    return parts.scheme, _host(parts.hostname or ""), port


def _host(name: str) -> str:
    """The host, with every name of this machine's loopback as one: an app served on
    127.0.0.1 is also localhost, [::1] and 127.0.0.2 (the webhook would call the app itself)."""
    name = name.lower().rstrip(".")
    if name == "localhost" or name.endswith(".localhost"):
        return "loopback"
    try:
        address = ipaddress.ip_address(name)
    except ValueError:
        return name
    return "loopback" if address.is_loopback or address.is_unspecified else name


def parse_kinds(given: object) -> frozenset[Kind]:
    """The kinds a webhook hears of; empty means all of them."""
    if given is None:
        return frozenset()
    if not isinstance(given, list) or not all(isinstance(k, str) for k in given):
        raise InvalidInput({"kinds": "must be a list of notification kinds"})
    unknown = [k for k in given if k not in Kind.__members__.values()]
    if unknown:
        raise InvalidInput({"kinds": f"unknown kind: {', '.join(unknown)}"})
    return frozenset(Kind(k) for k in given)
