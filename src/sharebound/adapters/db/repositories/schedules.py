"""The queries behind reminders and digests: what ends soon, what is due, what went quiet."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, func, or_, select

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


@dataclass(frozen=True, slots=True)
class OpenRequest:
    id: str
    partnership_id: str
    title: str
    asker_org: str
    asked_org: str
    asked_by: str
    assignee_id: str | None
    due_on: date


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

    def open_requests_due_by(self, day: date) -> list[OpenRequest]:
        rows = self.connection.execute(select(requests).where(
            requests.c.state == "open", requests.c.due_on <= day).order_by(requests.c.due_on))
        return [_request(r) for r in rows]

    def open_requests_of(self, org: str) -> list[OpenRequest]:
        rows = self.connection.execute(select(requests).where(
            requests.c.state == "open", or_(requests.c.asker_org == org, requests.c.asked_org == org)
        ).order_by(requests.c.due_on, requests.c.id))
        return [_request(r) for r in rows]

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


def _request(row: Any) -> OpenRequest:
    return OpenRequest(id=row.id, partnership_id=row.partnership_id, title=row.title,
                       asker_org=row.asker_org, asked_org=row.asked_org, asked_by=row.asked_by,
                       assignee_id=row.assignee_id, due_on=row.due_on)
