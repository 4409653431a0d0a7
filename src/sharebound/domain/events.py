"""The audit log's events, typed: one kind per state change and a small frozen payload each.

A use case builds a payload (`DisclosureMade(...)`) and hands it to `services.common.record`,
which derives the kind from it, appends the event to its hash-linked log and passes the
payload to the listeners that `bootstrap` registered. Listeners read the typed fields; the log
stores `payload.data()`, a plain JSON object that stays exactly what it was before the events
were typed (same keys, same values), so rows written earlier still verify and read.

Field metadata says how a field is stored: `key` when the stored key is not a Python name
(`from`, `to`), `omit_if_none` for a key that is left out rather than stored as null, and
`flatten` for a group of fields stored at the top level (`RequestFacts`).
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import date, datetime
from enum import Enum, StrEnum
from typing import Any, ClassVar


class EventKind(StrEnum):
    # organizations and people
    ORG_CREATED = "org_created"
    PERSON_ADDED = "person_added"
    ROLES_CHANGED = "roles_changed"
    # sign-in
    TOKEN_ISSUED = "token_issued"
    TOKEN_REVOKED = "token_revoked"
    SESSION_STARTED = "session_started"
    SESSION_ENDED = "session_ended"
    PASSWORD_CHANGED = "password_changed"
    INVITATION_ISSUED = "invitation_issued"
    INVITATION_ACCEPTED = "invitation_accepted"
    # partnerships and agreements
    PARTNERSHIP_PROPOSED = "partnership_proposed"
    PARTNERSHIP_ACCEPTED = "partnership_accepted"
    PARTNER_INVITATION_SENT = "partner_invitation_sent"
    PARTNER_INVITATION_ACCEPTED = "partner_invitation_accepted"
    PARTNER_INVITATION_REVOKED = "partner_invitation_revoked"
    AGREEMENT_DRAFTED = "agreement_drafted"
    AGREEMENT_AMENDED = "agreement_amended"
    AGREEMENT_SIGNED = "agreement_signed"
    AGREEMENT_TERMINATED = "agreement_terminated"
    COPIES_CERTIFIED = "copies_certified"
    # items and the content gate
    ITEM_ADDED = "item_added"
    ITEM_VERSION_ADDED = "item_version_added"
    ITEM_UPDATED = "item_updated"
    RECLASSIFICATION_REQUESTED = "reclassification_requested"
    ITEM_RECLASSIFIED = "item_reclassified"
    CROWN_JEWEL_TERM_ADDED = "crown_jewel_term_added"
    CROWN_JEWEL_TERM_REMOVED = "crown_jewel_term_removed"
    # disclosures
    DISCLOSURE_MADE = "disclosure_made"
    DISCLOSURE_REFUSED = "disclosure_refused"
    DISCLOSURE_REVOKED = "disclosure_revoked"
    DISCLOSURE_ACCESSED = "disclosure_accessed"
    # the feed and requests
    MESSAGE_POSTED = "message_posted"
    REQUEST_OPENED = "request_opened"
    REQUEST_ASSIGNED = "request_assigned"
    REQUEST_ANSWERED = "request_answered"
    REQUEST_DECLINED = "request_declined"
    REQUEST_WITHDRAWN = "request_withdrawn"
    # notifications and webhooks
    NOTIFICATION_PREFERENCES_CHANGED = "notification_preferences_changed"
    WEBHOOK_CREATED = "webhook_created"
    WEBHOOK_DELETED = "webhook_deleted"
    WEBHOOK_SECRET_ROTATED = "webhook_secret_rotated"
    # keys (the operator's log)
    COLUMNS_SEALED = "columns_sealed"
    BLOBS_SEALED = "blobs_sealed"
    KEK_ROTATED = "kek_rotated"


def _plain(value: Any) -> Any:
    """A field's value as the log stores it (JSON types)."""
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, tuple | list | frozenset | set):
        return [_plain(v) for v in value]
    return value


@dataclass(frozen=True, slots=True)
class Payload:
    """What an event of one kind carries; every subclass names its `kind`."""

    kind: ClassVar[EventKind]

    def data(self) -> dict[str, Any]:
        """The event's `data` as stored in the log."""
        out: dict[str, Any] = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if f.metadata.get("flatten"):
                out.update(value.data())
            elif value is None and f.metadata.get("omit_if_none"):
                continue
            else:
                out[f.metadata.get("key", f.name)] = _plain(value)
        return out


_FLAT = {"flatten": True}
_OMIT_IF_NONE = {"omit_if_none": True}


# --- organizations and people ----------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class OrgCreated(Payload):
    kind = EventKind.ORG_CREATED
    admin: str


@dataclass(frozen=True, slots=True)
class PersonAdded(Payload):
    kind = EventKind.PERSON_ADDED
    roles: tuple[str, ...]  # sorted


@dataclass(frozen=True, slots=True)
class RolesChanged(Payload):
    kind = EventKind.ROLES_CHANGED
    roles: tuple[str, ...]  # sorted


# --- sign-in: the subject names the record, nothing more is stored ---------------------------

@dataclass(frozen=True, slots=True)
class TokenIssued(Payload):
    kind = EventKind.TOKEN_ISSUED


@dataclass(frozen=True, slots=True)
class TokenRevoked(Payload):
    kind = EventKind.TOKEN_REVOKED


@dataclass(frozen=True, slots=True)
class SessionStarted(Payload):
    kind = EventKind.SESSION_STARTED


@dataclass(frozen=True, slots=True)
class SessionEnded(Payload):
    kind = EventKind.SESSION_ENDED


@dataclass(frozen=True, slots=True)
class PasswordChanged(Payload):
    kind = EventKind.PASSWORD_CHANGED
    tokens_revoked: int  # the person's tokens the change ended
    tokens_kept: bool  # the person asked to keep them


@dataclass(frozen=True, slots=True)
class InvitationIssued(Payload):
    kind = EventKind.INVITATION_ISSUED


@dataclass(frozen=True, slots=True)
class InvitationAccepted(Payload):
    kind = EventKind.INVITATION_ACCEPTED


# --- partnerships and agreements -------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class PartnershipProposed(Payload):
    kind = EventKind.PARTNERSHIP_PROPOSED
    orgs: tuple[str, ...]
    purpose: str


@dataclass(frozen=True, slots=True)
class PartnershipAccepted(Payload):
    kind = EventKind.PARTNERSHIP_ACCEPTED
    org: str
    status: str


@dataclass(frozen=True, slots=True)
class PartnerInvitationSent(Payload):
    """A link to join went to an email address (the subject is the invitation; the log keeps
    no address: the partners read this log)."""

    kind = EventKind.PARTNER_INVITATION_SENT
    expires_at: datetime


@dataclass(frozen=True, slots=True)
class PartnerInvitationAccepted(Payload):
    kind = EventKind.PARTNER_INVITATION_ACCEPTED
    org: str  # the org that took it: a new one, or the invitee's own
    new_org: bool


@dataclass(frozen=True, slots=True)
class PartnerInvitationRevoked(Payload):
    kind = EventKind.PARTNER_INVITATION_REVOKED


@dataclass(frozen=True, slots=True)
class AgreementDrafted(Payload):
    kind = EventKind.AGREEMENT_DRAFTED
    version: int
    digest: str


@dataclass(frozen=True, slots=True)
class AgreementAmended(Payload):
    kind = EventKind.AGREEMENT_AMENDED
    version: int
    digest: str


@dataclass(frozen=True, slots=True)
class AgreementSigned(Payload):
    kind = EventKind.AGREEMENT_SIGNED
    org: str
    version: int
    digest: str
    status: str  # the agreement's status once signed (`in_force` when it took effect at once)


@dataclass(frozen=True, slots=True)
class AgreementTerminated(Payload):
    kind = EventKind.AGREEMENT_TERMINATED
    org: str


@dataclass(frozen=True, slots=True)
class CopiesCertified(Payload):
    kind = EventKind.COPIES_CERTIFIED
    org: str
    copies: int


# --- items and the content gate --------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class ItemAdded(Payload):
    kind = EventKind.ITEM_ADDED
    version: int
    sha256: str
    classification: str


@dataclass(frozen=True, slots=True)
class ItemVersionAdded(Payload):
    kind = EventKind.ITEM_VERSION_ADDED
    version: int
    sha256: str


@dataclass(frozen=True, slots=True)
class ItemUpdated(Payload):
    kind = EventKind.ITEM_UPDATED
    fields: tuple[str, ...]  # which of title, topics changed


@dataclass(frozen=True, slots=True)
class ReclassificationRequested(Payload):
    kind = EventKind.RECLASSIFICATION_REQUESTED
    request: str
    old: str = field(metadata={"key": "from"})
    new: str = field(metadata={"key": "to"})


@dataclass(frozen=True, slots=True)
class ItemReclassified(Payload):
    kind = EventKind.ITEM_RECLASSIFIED
    old: str = field(metadata={"key": "from"})
    new: str = field(metadata={"key": "to"})
    request: str | None = field(default=None, metadata=_OMIT_IF_NONE)  # with the approval of a signer
    requested_by: str | None = field(default=None, metadata=_OMIT_IF_NONE)
    approved_by: str | None = field(default=None, metadata=_OMIT_IF_NONE)


@dataclass(frozen=True, slots=True)
class CrownJewelTermAdded(Payload):
    kind = EventKind.CROWN_JEWEL_TERM_ADDED


@dataclass(frozen=True, slots=True)
class CrownJewelTermRemoved(Payload):
    kind = EventKind.CROWN_JEWEL_TERM_REMOVED


# --- disclosures -----------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class DisclosureMade(Payload):
    kind = EventKind.DISCLOSURE_MADE
    item: str
    item_version: int
    item_sha256: str
    agreement: str
    agreement_version: int
    agreement_digest: str
    recipients: tuple[str, ...]  # sorted person ids
    actions: tuple[str, ...]  # sorted
    expires_at: datetime


@dataclass(frozen=True, slots=True)
class DisclosureRefused(Payload):
    kind = EventKind.DISCLOSURE_REFUSED
    agreement: str
    codes: tuple[str, ...]  # sorted, each once


@dataclass(frozen=True, slots=True)
class DisclosureRevoked(Payload):
    kind = EventKind.DISCLOSURE_REVOKED


@dataclass(frozen=True, slots=True)
class DisclosureAccessed(Payload):
    kind = EventKind.DISCLOSURE_ACCESSED
    access: str
    action: str
    copy: str | None = field(default=None, metadata=_OMIT_IF_NONE)  # a download's copy id
    # the stamped copy's digest, when it was stamped
    sha256: str | None = field(default=None, metadata=_OMIT_IF_NONE)


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
    request: RequestFacts = field(metadata=_FLAT)


@dataclass(frozen=True, slots=True)
class RequestAssigned(Payload):
    kind = EventKind.REQUEST_ASSIGNED
    request: RequestFacts = field(metadata=_FLAT)


@dataclass(frozen=True, slots=True)
class RequestWithdrawn(Payload):
    kind = EventKind.REQUEST_WITHDRAWN
    request: RequestFacts = field(metadata=_FLAT)


@dataclass(frozen=True, slots=True)
class RequestAnswered(Payload):
    kind = EventKind.REQUEST_ANSWERED
    request: RequestFacts = field(metadata=_FLAT)
    disclosures: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class RequestDeclined(Payload):
    kind = EventKind.REQUEST_DECLINED
    request: RequestFacts = field(metadata=_FLAT)
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


# --- keys: the operator's log (docs/encryption.md) -------------------------------------------

@dataclass(frozen=True, slots=True)
class ColumnsSealed(Payload):
    kind = EventKind.COLUMNS_SEALED
    webhooks: int  # webhook secrets sealed that were stored in clear
    terms: int  # crown-jewel terms likewise


@dataclass(frozen=True, slots=True)
class BlobsSealed(Payload):
    kind = EventKind.BLOBS_SEALED
    blobs: int


@dataclass(frozen=True, slots=True)
class KekRotated(Payload):
    kind = EventKind.KEK_ROTATED
    old: str = field(metadata={"key": "from"})  # key-encryption key ids
    new: str = field(metadata={"key": "to"})
    data_keys: int
