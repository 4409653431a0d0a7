"""Events of disclosures: made, refused, revoked, accessed, exported, re-shared to
representatives, and the watermark templates their copies are stamped with."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sharebound.domain.events.base import OMIT_IF_NONE, EventKind, Payload

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
    package: str | None = field(default=None, metadata=OMIT_IF_NONE)  # made in a package


@dataclass(frozen=True, slots=True)
class PackageDisclosed(Payload):
    kind = EventKind.PACKAGE_DISCLOSED
    agreement: str
    disclosures: tuple[str, ...]  # the register entries it made, in number order
    left_out: tuple[str, ...]  # item ids refused and left out (with allowed_only)
    allowed_only: bool


@dataclass(frozen=True, slots=True)
class PackageRefused(Payload):
    kind = EventKind.PACKAGE_REFUSED
    agreement: str
    items: tuple[str, ...]  # the item ids the rules refused
    codes: tuple[str, ...]  # sorted, every reason's code once


@dataclass(frozen=True, slots=True)
class DisclosureRefused(Payload):
    kind = EventKind.DISCLOSURE_REFUSED
    agreement: str
    codes: tuple[str, ...]  # sorted, each once


@dataclass(frozen=True, slots=True)
class DisclosureRevoked(Payload):
    kind = EventKind.DISCLOSURE_REVOKED


@dataclass(frozen=True, slots=True)
class ExportMade(Payload):
    """Someone (the actor; none: the operator) exported the register or the access report of
    the subject (an agreement or a partnership): the filters asked and the rows written."""

    kind = EventKind.EXPORT_MADE
    report: str  # register or access
    format: str  # csv or pdf
    direction: str
    rows: int
    date_from: str | None = field(default=None, metadata={"key": "from", "omit_if_none": True})
    date_to: str | None = field(default=None, metadata={"key": "to", "omit_if_none": True})
    classification: str | None = field(default=None, metadata=OMIT_IF_NONE)
    topic: str | None = field(default=None, metadata=OMIT_IF_NONE)


@dataclass(frozen=True, slots=True)
class DisclosureAccessed(Payload):
    kind = EventKind.DISCLOSURE_ACCESSED
    access: str
    action: str
    copy: str | None = field(default=None, metadata=OMIT_IF_NONE)  # a download's copy id
    # the stamped copy's digest, when it was stamped
    sha256: str | None = field(default=None, metadata=OMIT_IF_NONE)
    # when the access happened, for one recorded later from the access queue (a view of a
    # note: services/accesses.py); the event's own time is when it entered the log
    accessed_at: datetime | None = field(default=None, metadata=OMIT_IF_NONE)


# --- representatives and re-shares: the partnership's log, which both parties read ----------

@dataclass(frozen=True, slots=True)
class RepresentativeNamed(Payload):
    """Subject: the representative. Names no email: the log is both parties'."""

    kind = EventKind.REPRESENTATIVE_NAMED
    agreement: str
    org: str  # the receiving org that named them
    organization: str  # the representative's organization


@dataclass(frozen=True, slots=True)
class RepresentativeApproved(Payload):
    kind = EventKind.REPRESENTATIVE_APPROVED
    agreement: str
    org: str  # the receiving org
    by_org: str  # the disclosing party that approved
    guest: str  # the guest's person id


@dataclass(frozen=True, slots=True)
class RepresentativeDeclined(Payload):
    kind = EventKind.REPRESENTATIVE_DECLINED
    agreement: str
    org: str
    by_org: str
    reason: str


@dataclass(frozen=True, slots=True)
class RepresentativeWithdrawn(Payload):
    kind = EventKind.REPRESENTATIVE_WITHDRAWN
    agreement: str
    org: str


@dataclass(frozen=True, slots=True)
class DisclosureReshared(Payload):
    """Subject: the original disclosure; the chain discloser → org → representative."""

    kind = EventKind.DISCLOSURE_RESHARED
    reshare: str
    discloser: str
    org: str
    representative: str
    actions: tuple[str, ...]  # sorted
    expires_at: datetime


# --- watermark templates (docs/watermarks.md) ------------------------------------------------

@dataclass(frozen=True, slots=True)
class WatermarkTemplateSet(Payload):
    kind = EventKind.WATERMARK_TEMPLATE_SET
    fields: tuple[str, ...]  # as chosen, in order (the copy id is written even when absent)
    position: str
    size: float
    opacity: float
    custom_text: str
    agreement: str | None = field(default=None, metadata=OMIT_IF_NONE)  # None: the org's default


@dataclass(frozen=True, slots=True)
class WatermarkTemplateCleared(Payload):
    kind = EventKind.WATERMARK_TEMPLATE_CLEARED
    agreement: str | None = field(default=None, metadata=OMIT_IF_NONE)  # None: the org's default
