"""Partnerships: an alliance of two or more orgs, proposed by one and accepted by the rest."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum

from sharebound.domain.errors import Conflict, NotFound


class Purpose(StrEnum):
    MARKET_ACCESS = "market_access"
    NEW_PRODUCT = "new_product"
    COST_EFFICIENCY = "cost_efficiency"
    OTHER = "other"


class PartnershipStatus(StrEnum):
    PROPOSED = "proposed"
    ACTIVE = "active"
    ENDED = "ended"


@dataclass(frozen=True, slots=True)
class Membership:
    org: str
    accepted_at: datetime | None  # the proposer accepts by proposing


@dataclass(frozen=True, slots=True)
class Partnership:
    id: str
    name: str
    purpose: Purpose
    proposer: str
    members: tuple[Membership, ...]
    created_at: datetime
    ended_at: datetime | None = None

    @property
    def orgs(self) -> tuple[str, ...]:
        return tuple(m.org for m in self.members)

    def has_member(self, org: str) -> bool:
        return org in self.orgs

    def has_accepted(self, org: str) -> bool:
        return any(m.org == org and m.accepted_at is not None for m in self.members)

    @property
    def status(self) -> PartnershipStatus:
        if self.ended_at is not None:
            return PartnershipStatus.ENDED
        # why more than one: a proposal made only to email addresses has no partner yet
        if len(self.members) > 1 and all(m.accepted_at is not None for m in self.members):
            return PartnershipStatus.ACTIVE
        return PartnershipStatus.PROPOSED

    def accept(self, org: str, at: datetime) -> Partnership:
        if not self.has_member(org):
            raise NotFound("partnership", self.id)
        if self.status is PartnershipStatus.ENDED:
            raise Conflict("the partnership has ended")
        if self.has_accepted(org):
            raise Conflict(f"{org} has already accepted this partnership")
        members = tuple(
            replace(m, accepted_at=at) if m.org == org else m for m in self.members
        )
        return replace(self, members=members)

    def invite(self, org: str) -> Partnership:
        """`org` joins the proposal, to accept it (an org invited by email, once it exists)."""
        if self.status is PartnershipStatus.ENDED:
            raise Conflict("the partnership has ended")
        if self.has_member(org):
            return self
        return replace(self, members=(*self.members, Membership(org, None)))
