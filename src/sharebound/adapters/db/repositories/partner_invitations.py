"""Partners invited by email; the link's secret is stored only as its SHA-256."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection, insert, select, update

from sharebound.adapters.db.tables import partner_invitations as table
from sharebound.domain.partner_invitations import PartnerInvitation


def _invitation(row: Any) -> PartnerInvitation:
    return PartnerInvitation(
        id=row.id, partnership_id=row.partnership_id, proposer=row.proposer, email=row.email,
        invited_by=row.invited_by, created_at=row.created_at, expires_at=row.expires_at,
        accepted_at=row.accepted_at, accepted_org=row.accepted_org, revoked_at=row.revoked_at,
        revoked_by=row.revoked_by)


class PartnerInvitationRepository:
    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def add(self, invitation: PartnerInvitation, token_hash: str) -> None:
        self.connection.execute(insert(table).values(
            id=invitation.id, partnership_id=invitation.partnership_id, proposer=invitation.proposer,
            email=invitation.email, token_hash=token_hash, invited_by=invitation.invited_by,
            created_at=invitation.created_at, expires_at=invitation.expires_at))

    def get(self, invitation_id: str, *, lock: bool = False) -> PartnerInvitation | None:
        query = select(table).where(table.c.id == invitation_id)
        row = self.connection.execute(query.with_for_update() if lock else query).first()
        return _invitation(row) if row else None

    def by_hash(self, token_hash: str, *, lock: bool = False) -> PartnerInvitation | None:
        query = select(table).where(table.c.token_hash == token_hash)
        row = self.connection.execute(query.with_for_update() if lock else query).first()
        return _invitation(row) if row else None

    def of_partnership(self, partnership_id: str) -> list[PartnerInvitation]:
        rows = self.connection.execute(select(table).where(table.c.partnership_id == partnership_id)
                                       .order_by(table.c.created_at, table.c.id))
        return [_invitation(r) for r in rows]

    def accept(self, invitation_id: str, org: str, at: datetime) -> None:
        self.connection.execute(update(table).where(table.c.id == invitation_id)
                                .values(accepted_at=at, accepted_org=org))

    def revoke(self, invitation_id: str, by: str, at: datetime) -> None:
        self.connection.execute(update(table).where(table.c.id == invitation_id)
                                .values(revoked_at=at, revoked_by=by))
