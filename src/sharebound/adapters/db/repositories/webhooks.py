"""An org's webhooks and the log of every delivery attempt."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, insert, select, update

from sharebound.adapters.db.tables import webhook_deliveries, webhooks
from sharebound.domain.notifications import Kind
from sharebound.domain.webhooks import Delivery, Webhook


def _webhook(row: Any) -> Webhook:
    return Webhook(id=row.id, org=row.org, url=row.url,
                   kinds=frozenset(Kind(k) for k in row.kinds.split(",") if k), secret=row.secret,
                   old_secret=row.old_secret, old_secret_until=row.old_secret_until,
                   created_by=row.created_by, created_at=row.created_at, deleted_at=row.deleted_at)


class WebhookRepository:
    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def add(self, hook: Webhook) -> None:
        self.connection.execute(insert(webhooks).values(
            id=hook.id, org=hook.org, url=hook.url, kinds=",".join(sorted(hook.kinds)),
            secret=hook.secret, old_secret=hook.old_secret, old_secret_until=hook.old_secret_until,
            created_by=hook.created_by, created_at=hook.created_at, deleted_at=hook.deleted_at))

    def get(self, webhook_id: str, *, lock: bool = False) -> Webhook | None:
        query = select(webhooks).where(webhooks.c.id == webhook_id, webhooks.c.deleted_at.is_(None))
        row = self.connection.execute(query.with_for_update() if lock else query).first()
        return _webhook(row) if row else None

    def get_any(self, webhook_id: str) -> Webhook | None:
        """Deleted ones too: the worker still logs what it tried."""
        row = self.connection.execute(select(webhooks).where(webhooks.c.id == webhook_id)).first()
        return _webhook(row) if row else None

    def list_for_orgs(self, orgs: Iterable[str]) -> list[Webhook]:
        rows = self.connection.execute(select(webhooks).where(
            webhooks.c.org.in_(list(orgs)), webhooks.c.deleted_at.is_(None)
        ).order_by(webhooks.c.created_at, webhooks.c.id))
        return [_webhook(r) for r in rows]

    def delete(self, webhook_id: str, at: datetime) -> None:
        self.connection.execute(update(webhooks).where(webhooks.c.id == webhook_id).values(deleted_at=at))

    def rotate(self, webhook_id: str, secret: str, old_secret: str, old_until: datetime) -> None:
        self.connection.execute(update(webhooks).where(webhooks.c.id == webhook_id).values(
            secret=secret, old_secret=old_secret, old_secret_until=old_until))

    def add_delivery(self, d: Delivery) -> None:
        self.connection.execute(insert(webhook_deliveries).values(
            webhook_id=d.webhook_id, outbox_id=d.outbox_id, attempt=d.attempt, at=d.at,
            status_code=d.status_code, error=d.error, duration_ms=d.duration_ms))

    def deliveries(self, webhook_id: str, limit: int = 50) -> list[Delivery]:
        rows = self.connection.execute(select(webhook_deliveries).where(
            webhook_deliveries.c.webhook_id == webhook_id
        ).order_by(webhook_deliveries.c.id.desc()).limit(limit))
        return [Delivery(webhook_id=r.webhook_id, outbox_id=r.outbox_id, attempt=r.attempt, at=r.at,
                         status_code=r.status_code, error=r.error, duration_ms=r.duration_ms)
                for r in rows]
