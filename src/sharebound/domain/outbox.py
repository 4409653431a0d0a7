"""The outbox: a delivery (an email or a webhook post) waiting for the worker, and its states.

    pending ──claim──▶ sending ──▶ sent
       ▲                  │  └───▶ skipped  (nothing to send: email off, addressee or webhook gone)
       └── retry later ◀──┴──────▶ failed   (the attempts ran out)

A `sending` row whose lease ran out is due again: another worker may claim it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any


class OutboxState(StrEnum):
    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"
    SKIPPED = "skipped"


class Channel(StrEnum):
    EMAIL = "email"
    WEBHOOK = "webhook"


@dataclass(frozen=True, slots=True)
class OutboxEntry:
    id: str
    channel: Channel
    notification_id: str | None
    person_id: str | None
    webhook_id: str | None
    payload: dict[str, Any]
    state: OutboxState
    attempts: int
    next_attempt_at: datetime
    claimed_by: str | None
    last_error: str | None
    created_at: datetime
    sent_at: datetime | None
