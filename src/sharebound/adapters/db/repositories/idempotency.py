"""Idempotency keys: the answer to an API POST, kept so that a retry replays it.

A key is claimed by inserting its row (ON CONFLICT DO NOTHING): the first request wins; the
row holds a lease while that request runs, and the answer once it is done. A claim whose lease
ran out (its process died) may be taken over by the next request with the key.
"""

from __future__ import annotations

import json
from datetime import datetime

from sqlalchemy import ColumnElement, Connection, and_, delete, select, update
from sqlalchemy.dialects import postgresql, sqlite

from sharebound.adapters.db.tables import idempotency_keys as keys
from sharebound.domain.idempotency import KeyScope, StoredAnswer


class IdempotencyRepository:
    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def _this(self, scope: KeyScope) -> ColumnElement[bool]:
        return and_(keys.c.person_id == scope.person_id, keys.c.method == scope.method,
                    keys.c.path == scope.path, keys.c.key == scope.key)

    def claim(self, scope: KeyScope, claim: str, now: datetime, lease_until: datetime) -> StoredAnswer | None:
        """None when this request now holds the key; else what the key already holds."""
        insert = (postgresql.insert if self.connection.dialect.name == "postgresql" else sqlite.insert)
        # why RETURNING: on PostgreSQL the rowcount of an insert that did nothing says 1
        won = self.connection.execute(insert(keys).values(
            person_id=scope.person_id, method=scope.method, path=scope.path, key=scope.key,
            claim=claim, lease_until=lease_until, created_at=now,
        ).on_conflict_do_nothing().returning(keys.c.claim)).first()
        if won is not None:
            return None
        row = self.connection.execute(select(keys).where(self._this(scope)).with_for_update()).one()
        if row.status is None and row.lease_until is not None and row.lease_until < now:
            # the request that held it died: this one takes over
            self.connection.execute(update(keys).where(self._this(scope), keys.c.claim == row.claim)
                                    .values(claim=claim, lease_until=lease_until))
            return None
        return StoredAnswer(claim=row.claim, lease_until=row.lease_until, fingerprint=row.fingerprint,
                            status=row.status, headers=[tuple(h) for h in json.loads(row.headers or "[]")],
                            body=row.body)

    def renew(self, scope: KeyScope, claim: str, lease_until: datetime) -> bool:
        return bool(self.connection.execute(update(keys).where(
            self._this(scope), keys.c.claim == claim, keys.c.status.is_(None)
        ).values(lease_until=lease_until)).rowcount)

    def complete(self, scope: KeyScope, claim: str, *, fingerprint: str, status: int,
                 headers: list[tuple[str, str]], body: bytes | None) -> bool:
        return bool(self.connection.execute(update(keys).where(
            self._this(scope), keys.c.claim == claim, keys.c.status.is_(None)
        ).values(fingerprint=fingerprint, status=status, headers=json.dumps(headers), body=body,
                 lease_until=None)).rowcount)

    def release(self, scope: KeyScope, claim: str) -> None:
        self.connection.execute(delete(keys).where(self._this(scope), keys.c.claim == claim,
                                                   keys.c.status.is_(None)))

    def prune(self, before: datetime) -> int:
        return int(self.connection.execute(delete(keys).where(keys.c.created_at < before)).rowcount)
