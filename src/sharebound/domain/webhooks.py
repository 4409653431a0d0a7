"""An org's webhook and the log of each attempt to deliver to it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sharebound.domain.notifications import Kind


@dataclass(frozen=True, slots=True)
class Webhook:
    id: str
    org: str
    url: str
    kinds: frozenset[Kind]  # empty: every kind
    secret: str
    old_secret: str | None
    old_secret_until: datetime | None
    created_by: str
    created_at: datetime
    deleted_at: datetime | None

    def hears(self, kind: Kind) -> bool:
        return not self.kinds or kind in self.kinds

    def signing_secrets(self, now: datetime) -> list[str]:
        """The current secret, and the old one while its grace period lasts."""
        if self.old_secret and self.old_secret_until is not None and now < self.old_secret_until:
            return [self.secret, self.old_secret]
        return [self.secret]


@dataclass(frozen=True, slots=True)
class Delivery:
    webhook_id: str
    outbox_id: str
    attempt: int
    at: datetime
    status_code: int | None
    error: str | None
    duration_ms: int
