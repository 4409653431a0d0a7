"""The queries behind reminders: what ends soon and what went quiet (due requests: RequestRepository)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, func, select

from sharebound.adapters.db.tables import (
    agreements,
    disclosure_recipients,
    disclosures,
    messages,
    partnership_members,
    partnerships,
    requests,
)


@dataclass(frozen=True, slots=True)
class EndingAccess:
    disclosure_id: str
    title: str
    expires_at: datetime
    recipients: tuple[str, ...]


class ScheduleQueries:
    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def access_ending(self, after: datetime, until: datetime) -> list[EndingAccess]:
        """Disclosures not revoked whose access ends in (after, until]."""
        rows = self.connection.execute(
            select(disclosures.c.id, disclosures.c.item_title, disclosures.c.expires_at,
                   disclosure_recipients.c.person_id)
            .join(disclosure_recipients, disclosure_recipients.c.disclosure_id == disclosures.c.id)
            .where(disclosures.c.revoked_at.is_(None), disclosures.c.expires_at > after,
                   disclosures.c.expires_at <= until)
            .order_by(disclosures.c.id, disclosure_recipients.c.person_id))
        found: dict[str, EndingAccess] = {}
        for r in rows:
            known = found.get(r.id)
            recipients = (*(known.recipients if known else ()), r.person_id)
            found[r.id] = EndingAccess(r.id, r.item_title, r.expires_at, recipients)
        return list(found.values())

    def live_agreement_ids(self) -> list[str]:
        rows = self.connection.execute(select(agreements.c.id).where(
            agreements.c.terminated_at.is_(None)).order_by(agreements.c.id))
        return [r.id for r in rows]

    def active_partnerships(self) -> list[tuple[str, str, tuple[str, ...], datetime]]:
        """(id, name, orgs, last activity) of partnerships every org accepted and none ended.
        The last activity is the newest disclosure, request or message, else the acceptance."""
        found = []
        for p in self.connection.execute(select(partnerships).where(partnerships.c.ended_at.is_(None))):
            members = self.connection.execute(select(partnership_members).where(
                partnership_members.c.partnership_id == p.id)).all()
            if not members or any(m.accepted_at is None for m in members):
                continue
            moments = [max(m.accepted_at for m in members)]
            for table in (disclosures, requests, messages):
                newest = self.connection.execute(select(func.max(table.c.created_at)).where(
                    table.c.partnership_id == p.id)).scalar_one()
                if newest is not None:
                    moments.append(newest)
            found.append((p.id, p.name, tuple(sorted(m.org for m in members)), max(moments)))
        return found

