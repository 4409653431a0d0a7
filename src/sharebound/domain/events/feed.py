"""Events of the partnership's feed and information requests, notifications and webhooks."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sharebound.domain.events.base import FLAT, EventKind, Payload

# --- the feed and requests -------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class MessagePosted(Payload):
    kind = EventKind.MESSAGE_POSTED
    classification: str
    agreement: str | None
    mentions: tuple[str, ...]  # person ids
    reply_to: str | None
    disclosure: str | None


@dataclass(frozen=True, slots=True)
class RequestFacts:
    """What every request event carries: titles both parties may see, never content."""

    title: str
    asker: str  # person id
    asker_org: str
    asked_org: str
    assignee: str | None
    due_on: date
    topic: str | None

    def data(self) -> dict[str, Any]:
        return {"title": self.title, "asker": self.asker, "asker_org": self.asker_org,
                "asked_org": self.asked_org, "assignee": self.assignee,
                "due_on": self.due_on.isoformat(), "topic": self.topic}


@dataclass(frozen=True, slots=True)
class RequestOpened(Payload):
    kind = EventKind.REQUEST_OPENED
    request: RequestFacts = field(metadata=FLAT)


@dataclass(frozen=True, slots=True)
class RequestAssigned(Payload):
    kind = EventKind.REQUEST_ASSIGNED
    request: RequestFacts = field(metadata=FLAT)


@dataclass(frozen=True, slots=True)
class RequestWithdrawn(Payload):
    kind = EventKind.REQUEST_WITHDRAWN
    request: RequestFacts = field(metadata=FLAT)


@dataclass(frozen=True, slots=True)
class RequestAnswered(Payload):
    kind = EventKind.REQUEST_ANSWERED
    request: RequestFacts = field(metadata=FLAT)
    disclosures: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class RequestDeclined(Payload):
    kind = EventKind.REQUEST_DECLINED
    request: RequestFacts = field(metadata=FLAT)
    reason: str | None = None


# --- notifications and webhooks --------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class NotificationPreferencesChanged(Payload):
    kind = EventKind.NOTIFICATION_PREFERENCES_CHANGED
    modes: tuple[tuple[str, str], ...]  # (notification kind, mode), sorted

    def data(self) -> dict[str, Any]:
        return dict(self.modes)  # why: stored as {kind: mode}, as before the events were typed


@dataclass(frozen=True, slots=True)
class WebhookCreated(Payload):
    kind = EventKind.WEBHOOK_CREATED
    url: str
    kinds: tuple[str, ...]  # sorted


@dataclass(frozen=True, slots=True)
class WebhookDeleted(Payload):
    kind = EventKind.WEBHOOK_DELETED


@dataclass(frozen=True, slots=True)
class WebhookSecretRotated(Payload):
    kind = EventKind.WEBHOOK_SECRET_ROTATED
    old_secret_until: datetime
