"""The audit log: appending to a hash chain safely under concurrency, and reading it back.

Appenders lock the log's head row in `event_logs` (SELECT ... FOR UPDATE on PostgreSQL;
SQLite transactions already hold the database's write lock from BEGIN IMMEDIATE), so two
writers can never both extend the same head: the chain cannot fork or reorder. The
UNIQUE (log, seq) constraint is the backstop.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, func, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite

from sharebound.adapters.db.tables import event_logs, events
from sharebound.domain.audit import GENESIS, Event, chain_hash, event_body
from sharebound.domain.values import canonical_json


class EventLog:
    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def append(
        self, *, log: str, kind: str, actor: str | None, subject: str,
        data: Mapping[str, Any], at: datetime,
    ) -> Event:
        seq, prev_hash = self._lock_head(log)
        seq += 1
        # Round-trip the data through JSON so that the hash covers exactly what is stored.
        stored = canonical_json(dict(data)).decode("utf-8")
        data = json.loads(stored)
        digest = chain_hash(prev_hash, event_body(log, seq, at, kind, actor, subject, data))
        self.connection.execute(insert(events).values(
            log=log, seq=seq, at=at, kind=kind, actor=actor, subject=subject, data=stored,
            prev_hash=prev_hash, hash=digest))
        self.connection.execute(update(event_logs).where(event_logs.c.log == log)
                                .values(head_seq=seq, head_hash=digest))
        return Event(log=log, seq=seq, at=at, kind=kind, actor=actor, subject=subject, data=data,
                     prev_hash=prev_hash, hash=digest)

    def _lock_head(self, log: str) -> tuple[int, str]:
        """Create the log's head if it is new, lock it, and return (last seq, last hash)."""
        dialect = self.connection.dialect.name
        insert_head = (postgresql.insert if dialect == "postgresql" else sqlite.insert)(event_logs)
        # why ON CONFLICT: two first appenders race to create the head; one wins, both then lock it
        self.connection.execute(
            insert_head.values(log=log, head_seq=0, head_hash=GENESIS).on_conflict_do_nothing())
        head = self.connection.execute(
            select(event_logs).where(event_logs.c.log == log).with_for_update()).one()
        return int(head.head_seq), str(head.head_hash)

    def read(self, log: str, subject: str | None = None) -> Iterator[Event]:
        """The log's events in order; with `subject`, only those about it."""
        query = select(events).where(events.c.log == log)
        if subject is not None:
            query = query.where(events.c.subject == subject)
        rows = self.connection.execute(query.order_by(events.c.seq))
        for r in rows:
            yield Event(log=r.log, seq=r.seq, at=r.at, kind=r.kind, actor=r.actor, subject=r.subject,
                        data=json.loads(r.data), prev_hash=r.prev_hash, hash=r.hash)

    def read_after(self, log: str, after_seq: int, limit: int) -> list[Event]:
        """At most `limit` of the log's events after `after_seq`, in order (one index range)."""
        rows = self.connection.execute(
            select(events).where(events.c.log == log, events.c.seq > after_seq)
            .order_by(events.c.seq).limit(limit))
        return [Event(log=r.log, seq=r.seq, at=r.at, kind=r.kind, actor=r.actor, subject=r.subject,
                      data=json.loads(r.data), prev_hash=r.prev_hash, hash=r.hash) for r in rows]

    def heads(self) -> dict[str, int]:
        """Every log's recorded length, including logs whose events were all deleted."""
        recorded = {r.log: r.head_seq for r in self.connection.execute(select(event_logs))}
        for row in self.connection.execute(select(events.c.log).distinct()):
            recorded.setdefault(row.log, 0)
        return recorded

    def count(self) -> int:
        return int(self.connection.execute(select(func.count()).select_from(events)).scalar_one())
