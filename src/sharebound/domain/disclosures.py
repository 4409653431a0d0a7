"""Disclosures: one item version given to named recipients under one agreement version."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sharebound.domain.classification import Classification
from sharebound.domain.terms import Action


class DisclosureState(StrEnum):
    ACTIVE = "active"
    REVOKED = "revoked"
    EXPIRED = "expired"


@dataclass(frozen=True, slots=True)
class Revocation:
    person_id: str
    reason: str
    at: datetime


@dataclass(frozen=True, slots=True)
class Disclosure:
    """Immutable once made; it can only be revoked, or run out."""

    id: str
    partnership_id: str
    item_id: str
    item_version: int
    item_sha256: str
    discloser: str  # org handle
    disclosed_by: str  # person id
    agreement_id: str
    agreement_version: int
    agreement_digest: str  # the digest of the version it was made under
    recipients: frozenset[str]  # person ids
    actions: frozenset[Action]
    created_at: datetime
    expires_at: datetime
    note: str = ""
    revocation: Revocation | None = None
    # What the recipients were told about the item when it was disclosed: a later rename or
    # reclassification by its owner is never shown to them.
    item_title: str = ""
    classification: Classification = Classification.INTERNAL
    topics: frozenset[str] = frozenset()
    package_id: str | None = None  # the package disclosure it is part of, if any

    def state(self, now: datetime) -> DisclosureState:
        if self.revocation is not None and self.revocation.at <= now:
            return DisclosureState.REVOKED
        if now >= self.expires_at:
            return DisclosureState.EXPIRED
        return DisclosureState.ACTIVE


@dataclass(frozen=True, slots=True)
class RegisterFilter:
    """What a register shows: every disclosure when all are empty; else those under the
    agreement, of the classification and carrying the topic given."""

    agreement_id: str = ""
    classification: str = ""
    topic: str = ""

    def __bool__(self) -> bool:
        return bool(self.agreement_id or self.classification or self.topic)


EVERYTHING = RegisterFilter()


@dataclass(frozen=True, slots=True)
class AccessRecord:
    id: str
    disclosure_id: str
    person_id: str
    action: Action
    at: datetime
