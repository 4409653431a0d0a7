"""Inviting a partner by email: an organization not yet on the instance is invited to a
partnership through a link sent to one email address.

    pending ──follow the link, make an org (or bring one)──▶ accepted
       │ └── the proposer's admin revokes ──▶ revoked
       └──── its days run out ──────────────▶ expired

The link's token is random, shown once (in the email) and stored only as its SHA-256; the
invitation is bound to its email: the org is made with that address as its first admin's.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


class InvitationState(StrEnum):
    PENDING = "pending"
    ACCEPTED = "accepted"
    EXPIRED = "expired"
    REVOKED = "revoked"


@dataclass(frozen=True, slots=True)
class PartnerInvitation:
    id: str
    partnership_id: str
    proposer: str  # the inviting org's handle
    email: str  # normalized; the only address that may take the invitation
    invited_by: str  # the admin who proposed
    created_at: datetime
    expires_at: datetime
    accepted_at: datetime | None = None
    accepted_org: str | None = None  # the org that took the invitation
    revoked_at: datetime | None = None
    revoked_by: str | None = None

    def state(self, now: datetime) -> InvitationState:
        if self.accepted_at is not None:
            return InvitationState.ACCEPTED
        if self.revoked_at is not None:
            return InvitationState.REVOKED
        if self.expires_at <= now:
            return InvitationState.EXPIRED
        return InvitationState.PENDING

    def why_not_usable(self, now: datetime) -> str | None:
        """None while it can be taken; else what a person holding the real link reads."""
        match self.state(now):
            case InvitationState.ACCEPTED:
                return "This invitation was already used: sign in instead."
            case InvitationState.REVOKED:
                return "This invitation was withdrawn by the organization that sent it."
            case InvitationState.EXPIRED:
                return "This invitation has expired: ask the organization that sent it for a new one."
        return None
