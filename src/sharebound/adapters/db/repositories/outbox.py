"""The outbox: deliveries waiting for the worker, claimed with a lease.

A claim is `SELECT ... FOR UPDATE SKIP LOCKED` on PostgreSQL, so concurrent workers each
take different rows; on SQLite the transaction already holds the write lock (BEGIN
IMMEDIATE), which serializes claims. The claim sets a lease and is committed before sending.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, func, insert, or_, select, update

from sharebound.adapters.db.tables import outbox, people, webhooks
from sharebound.domain.outbox import Channel, OutboxEntry, OutboxState

# why aliases: the queries below read better with the bare state names
PENDING, SENDING, SENT, FAILED, SKIPPED = (OutboxState.PENDING, OutboxState.SENDING, OutboxState.SENT,
                                           OutboxState.FAILED, OutboxState.SKIPPED)


def _entry(row: Any) -> OutboxEntry:
    return OutboxEntry(id=row.id, channel=Channel(row.channel), notification_id=row.notification_id,
                       person_id=row.person_id, webhook_id=row.webhook_id,
                       payload=json.loads(row.payload), state=OutboxState(row.state), attempts=row.attempts,
                       next_attempt_at=row.next_attempt_at, claimed_by=row.claimed_by,
                       last_error=row.last_error, created_at=row.created_at, sent_at=row.sent_at)


class OutboxRepository:
    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def add(self, *, id: str, channel: Channel, at: datetime, payload: dict[str, Any],
            notification_id: str | None = None, person_id: str | None = None,
            webhook_id: str | None = None) -> None:
        self.connection.execute(insert(outbox).values(
            id=id, channel=channel, notification_id=notification_id, person_id=person_id,
            webhook_id=webhook_id, payload=json.dumps(payload, sort_keys=True), state=PENDING,
            attempts=0, next_attempt_at=at, created_at=at))

    def _due(self, now: datetime) -> Any:
        return or_((outbox.c.state == PENDING) & (outbox.c.next_attempt_at <= now),
                   (outbox.c.state == SENDING) & (outbox.c.lease_until < now))

    def backlog(self) -> tuple[int, datetime | None]:
        """How many deliveries wait (pending or being sent), and when the oldest was queued."""
        row = self.connection.execute(select(func.count(), func.min(outbox.c.created_at))
                                      .where(outbox.c.state.in_((PENDING, SENDING)))).one()
        return int(row[0]), row[1]

    def has_due(self, now: datetime) -> bool:
        return self.connection.execute(select(outbox.c.id).where(self._due(now)).limit(1)).first() is not None

    def claim(self, worker: str, now: datetime, lease_until: datetime, limit: int) -> list[OutboxEntry]:
        """Take up to `limit` rows that are due, or whose last claim's lease ran out."""
        ids = [r.id for r in self.connection.execute(
            select(outbox.c.id).where(self._due(now)).order_by(outbox.c.next_attempt_at).limit(limit)
            .with_for_update(skip_locked=True))]
        if not ids:
            return []
        self.connection.execute(update(outbox).where(outbox.c.id.in_(ids)).values(
            state=SENDING, claimed_by=worker, lease_until=lease_until, attempts=outbox.c.attempts + 1))
        rows = self.connection.execute(select(outbox).where(outbox.c.id.in_(ids)))
        return sorted((_entry(r) for r in rows), key=lambda e: e.next_attempt_at)

    def renew(self, ids: list[str], worker: str, lease_until: datetime) -> set[str]:
        """Extend this worker's claim of `ids`; the ids that are still its own."""
        mine = (outbox.c.id.in_(ids), outbox.c.claimed_by == worker, outbox.c.state == SENDING)
        self.connection.execute(update(outbox).where(*mine).values(lease_until=lease_until))
        return {r.id for r in self.connection.execute(select(outbox.c.id).where(*mine))}

    def finish(self, entry_id: str, worker: str, *, state: OutboxState, at: datetime,
               error: str | None = None, retry_at: datetime | None = None) -> bool:
        """Record how a claimed delivery went; False when the claim was no longer ours."""
        values: dict[str, Any] = {"state": state, "last_error": error, "lease_until": None}
        if state == SENT:
            values["sent_at"] = at
        if retry_at is not None:
            values["next_attempt_at"] = retry_at
        result = self.connection.execute(update(outbox).where(
            outbox.c.id == entry_id, outbox.c.claimed_by == worker, outbox.c.state == SENDING
        ).values(**values))
        return bool(result.rowcount)

    def set_payload(self, entry_id: str, payload: dict[str, Any]) -> None:
        self.connection.execute(update(outbox).where(outbox.c.id == entry_id)
                                .values(payload=json.dumps(payload, sort_keys=True)))

    def get(self, entry_id: str) -> OutboxEntry | None:
        row = self.connection.execute(select(outbox).where(outbox.c.id == entry_id)).first()
        return _entry(row) if row else None

    def email_trouble(self, org: str, limit: int = 100) -> list[tuple[OutboxEntry, str]]:
        """Emails to the org's people that failed, or wait after a failed attempt, newest first,
        with the addressee's email."""
        rows = self.connection.execute(
            select(outbox, people.c.email.label("email")).join(people, people.c.id == outbox.c.person_id)
            .where(outbox.c.channel == "email", people.c.org == org,
                   or_(outbox.c.state == FAILED,
                       (outbox.c.state == PENDING) & (outbox.c.last_error.is_not(None))))
            .order_by(outbox.c.created_at.desc()).limit(limit))
        return [(_entry(r), r.email) for r in rows]

    def webhook_trouble(self, org: str, limit: int = 100) -> list[OutboxEntry]:
        rows = self.connection.execute(
            select(outbox).join(webhooks, webhooks.c.id == outbox.c.webhook_id)
            .where(webhooks.c.org == org, outbox.c.state == FAILED)
            .order_by(outbox.c.created_at.desc()).limit(limit))
        return [_entry(r) for r in rows]
