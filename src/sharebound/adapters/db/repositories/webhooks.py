"""An org's webhooks and the log of every delivery attempt."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, insert, select, update

from sharebound.adapters.db.tables import webhook_deliveries, webhooks
from sharebound.adapters.keys import KeyRing, is_sealed_text
from sharebound.domain.notifications import Kind
from sharebound.domain.webhooks import Delivery, Webhook


class WebhookRepository:
    """Secrets are sealed in their columns with the data key, the row as AAD, and opened on
    read (docs/encryption.md); a value from before encryption reads as it is."""

    def __init__(self, connection: Connection, keys: KeyRing | None = None) -> None:
        self.connection = connection
        self.keys = keys

    def _seal(self, value: str | None, column: str, webhook_id: str) -> str | None:
        if value is None or self.keys is None:
            return value
        return self.keys.seal_text(value, f"webhooks.{column}:{webhook_id}")

    def _open(self, stored: str | None, column: str, webhook_id: str) -> str | None:
        if stored is None or self.keys is None:
            return stored
        return self.keys.open_text(stored, f"webhooks.{column}:{webhook_id}")

    def _webhook(self, row: Any) -> Webhook:
        secret = self._open(row.secret, "secret", row.id)
        assert secret is not None
        return Webhook(id=row.id, org=row.org, url=row.url,
                       kinds=frozenset(Kind(k) for k in row.kinds.split(",") if k), secret=secret,
                       old_secret=self._open(row.old_secret, "old_secret", row.id),
                       old_secret_until=row.old_secret_until, created_by=row.created_by,
                       created_at=row.created_at, deleted_at=row.deleted_at)

    def add(self, hook: Webhook) -> None:
        self.connection.execute(insert(webhooks).values(
            id=hook.id, org=hook.org, url=hook.url, kinds=",".join(sorted(hook.kinds)),
            secret=self._seal(hook.secret, "secret", hook.id),
            old_secret=self._seal(hook.old_secret, "old_secret", hook.id),
            old_secret_until=hook.old_secret_until,
            created_by=hook.created_by, created_at=hook.created_at, deleted_at=hook.deleted_at))

    def get(self, webhook_id: str, *, lock: bool = False) -> Webhook | None:
        query = select(webhooks).where(webhooks.c.id == webhook_id, webhooks.c.deleted_at.is_(None))
        row = self.connection.execute(query.with_for_update() if lock else query).first()
        return self._webhook(row) if row else None

    def get_any(self, webhook_id: str) -> Webhook | None:
        """Deleted ones too: the worker still logs what it tried."""
        row = self.connection.execute(select(webhooks).where(webhooks.c.id == webhook_id)).first()
        return self._webhook(row) if row else None

    def list_for_orgs(self, orgs: Iterable[str]) -> list[Webhook]:
        rows = self.connection.execute(select(webhooks).where(
            webhooks.c.org.in_(list(orgs)), webhooks.c.deleted_at.is_(None)
        ).order_by(webhooks.c.created_at, webhooks.c.id))
        return [self._webhook(r) for r in rows]

    def delete(self, webhook_id: str, at: datetime) -> None:
        self.connection.execute(update(webhooks).where(webhooks.c.id == webhook_id).values(deleted_at=at))

    def rotate(self, webhook_id: str, secret: str, old_secret: str, old_until: datetime) -> None:
        self.connection.execute(update(webhooks).where(webhooks.c.id == webhook_id).values(
            secret=self._seal(secret, "secret", webhook_id),
            old_secret=self._seal(old_secret, "old_secret", webhook_id), old_secret_until=old_until))

    def seal_plaintext(self) -> int:
        """Seal the secrets stored before encryption; how many webhooks were sealed now."""
        assert self.keys is not None
        sealed = 0
        for row in self.connection.execute(select(webhooks)).all():
            if is_sealed_text(row.secret) and (row.old_secret is None or is_sealed_text(row.old_secret)):
                continue
            self.connection.execute(update(webhooks).where(webhooks.c.id == row.id).values(
                secret=self._seal(self._open(row.secret, "secret", row.id), "secret", row.id),
                old_secret=self._seal(self._open(row.old_secret, "old_secret", row.id),
                                      "old_secret", row.id)))
            sealed += 1
        return sealed

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
