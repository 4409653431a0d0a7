"""Notifications, each person's preferences, and the reminders already sent."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, delete, func, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite

from sharebound.adapters.db.paging import keyset
from sharebound.adapters.db.tables import notification_preferences, notifications, reminders_sent
from sharebound.domain.notifications import Kind, Mode, Notification
from sharebound.domain.paging import Page, PageRequest, cut


def _notification(row: Any) -> Notification:
    return Notification(id=row.id, person_id=row.person_id, kind=Kind(row.kind), title=row.title,
                        link=row.link, event_kind=row.event_kind, subject=row.subject,
                        created_at=row.created_at, read_at=row.read_at)


class NotificationRepository:
    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def add(self, n: Notification) -> None:
        self.connection.execute(insert(notifications).values(
            id=n.id, person_id=n.person_id, kind=n.kind.value, title=n.title, link=n.link,
            event_kind=n.event_kind, subject=n.subject, created_at=n.created_at, read_at=n.read_at))

    def get(self, notification_id: str) -> Notification | None:
        row = self.connection.execute(
            select(notifications).where(notifications.c.id == notification_id)).first()
        return _notification(row) if row else None

    def list_for(self, person_id: str, *, unread: bool = False, since: datetime | None = None,
                 until: datetime | None = None, limit: int = 1000) -> list[Notification]:
        query = select(notifications).where(notifications.c.person_id == person_id)
        if unread:
            query = query.where(notifications.c.read_at.is_(None))
        if since is not None:
            query = query.where(notifications.c.created_at >= since)
        if until is not None:
            query = query.where(notifications.c.created_at < until)
        query = query.order_by(notifications.c.created_at.desc(), notifications.c.id).limit(limit)
        return [_notification(r) for r in self.connection.execute(query)]

    def page_for(self, person_id: str, request: PageRequest, *, unread: bool = False) -> Page[Notification]:
        """One keyset page of the person's notifications, newest first (only the unread ones
        when asked): one range of the person's index."""
        query = select(notifications).where(notifications.c.person_id == person_id)
        if unread:
            query = query.where(notifications.c.read_at.is_(None))
        order = [notifications.c.created_at, notifications.c.id]
        rows = self.connection.execute(keyset(query, order, request))
        return cut([_notification(r) for r in rows], request, lambda n: (n.created_at, n.id))

    def unread_count(self, person_id: str) -> int:
        return int(self.connection.execute(
            select(func.count()).select_from(notifications).where(
                notifications.c.person_id == person_id, notifications.c.read_at.is_(None))
        ).scalar_one())

    def mark_read(self, person_id: str, ids: Iterable[str] | None, at: datetime) -> int:
        """Mark the person's own notifications read (all when `ids` is None); how many changed."""
        query = update(notifications).where(notifications.c.person_id == person_id,
                                            notifications.c.read_at.is_(None))
        if ids is not None:
            query = query.where(notifications.c.id.in_(list(ids)))
        return int(self.connection.execute(query.values(read_at=at)).rowcount)

    def preferences(self, person_id: str) -> dict[Kind, Mode]:
        rows = self.connection.execute(select(notification_preferences).where(
            notification_preferences.c.person_id == person_id))
        return {Kind(r.kind): Mode(r.mode) for r in rows if r.kind in Kind.__members__.values()}

    def set_preferences(self, person_id: str, chosen: dict[Kind, Mode]) -> None:
        self.connection.execute(delete(notification_preferences).where(
            notification_preferences.c.person_id == person_id,
            notification_preferences.c.kind.in_([k.value for k in chosen])))
        if chosen:
            self.connection.execute(insert(notification_preferences), [
                {"person_id": person_id, "kind": k.value, "mode": m.value} for k, m in chosen.items()])

    def people_choosing(self, mode: Mode) -> set[str]:
        rows = self.connection.execute(select(notification_preferences.c.person_id).where(
            notification_preferences.c.mode == mode.value).distinct())
        return {r.person_id for r in rows}

    def was_sent(self, kind: str, subject: str, person_id: str, period: str) -> bool:
        row = self.connection.execute(select(reminders_sent.c.kind).where(
            reminders_sent.c.kind == kind, reminders_sent.c.subject == subject,
            reminders_sent.c.person_id == person_id, reminders_sent.c.period == period)).first()
        return row is not None

    def last_period(self, kind: str, subject: str, person_id: str) -> str | None:
        """The latest period (an ISO date) of this key that was sent, if any."""
        return self.connection.execute(select(func.max(reminders_sent.c.period)).where(
            reminders_sent.c.kind == kind, reminders_sent.c.subject == subject,
            reminders_sent.c.person_id == person_id)).scalar()

    def claim_reminder(self, kind: str, subject: str, person_id: str, period: str, at: datetime) -> bool:
        """True for the first caller with this key; False when it was already sent."""
        dialect = self.connection.dialect.name
        statement = (postgresql.insert if dialect == "postgresql" else sqlite.insert)(reminders_sent)
        # why RETURNING: on PostgreSQL the rowcount of an insert that did nothing says 1
        row = self.connection.execute(statement.values(
            kind=kind, subject=subject, person_id=person_id, period=period, sent_at=at
        ).on_conflict_do_nothing().returning(reminders_sent.c.kind)).first()
        return row is not None
