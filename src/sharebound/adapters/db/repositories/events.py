"""The audit log: appending to a hash chain and its Merkle tree safely under concurrency, and
reading it back.

Appenders lock the log's head row in `event_logs` by numbering the event with one
`UPDATE ... SET head_seq = head_seq + 1 ... RETURNING` (a row lock on PostgreSQL; SQLite
transactions already hold the database's write lock from BEGIN IMMEDIATE), so two writers can
never both extend the same head: neither the chain nor the tree can fork or reorder. The
UNIQUE (log, seq) constraint is the backstop. The head also keeps the tree's right edge
(`frontier`), so an append reads nothing else: on SQLite four statements (number, event,
leaf and subtrees, head), on PostgreSQL two (number; the three writes in one statement).
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterator, Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, bindparam, func, insert, select, text, update
from sqlalchemy.dialects import postgresql, sqlite

from sharebound.adapters.db.tables import event_logs, events, log_nodes
from sharebound.domain.audit import GENESIS, Event, event_body
from sharebound.domain.merkle import append_leaf, leaf_hash, pack, unpack
from sharebound.domain.transparency import SALT_BYTES, leaf_bytes
from sharebound.domain.values import canonical_json

_NUMBER = (update(event_logs).where(event_logs.c.log == bindparam("log_"))
           .values(head_seq=event_logs.c.head_seq + 1)
           .returning(event_logs.c.head_seq, event_logs.c.head_hash, event_logs.c.frontier))
_INSERT_EVENT = insert(events)
_INSERT_NODES = insert(log_nodes)
_MOVE_HEAD = (update(event_logs).where(event_logs.c.log == bindparam("log_"))
              .values(head_hash=bindparam("head_hash_"), frontier=bindparam("frontier_")))

# PostgreSQL: the event, its leaf and subtrees and the head in one statement (data-modifying CTEs).
_PG_WRITE = text(
    "WITH e AS (INSERT INTO events (log, seq, at, kind, actor, subject, data, prev_hash, hash, salt) "
    "VALUES (:log, :seq, :at, :kind, :actor, :subject, :data, :prev_hash, :hash, :salt)), "
    "n AS (INSERT INTO log_nodes (log, level, idx, hash) SELECT :log, t.level, t.idx, t.hash "
    "FROM unnest(CAST(:levels AS integer[]), CAST(:idxs AS bigint[]), CAST(:hashes AS bytea[])) "
    "AS t(level, idx, hash)) "
    "UPDATE event_logs SET head_hash = :hash, frontier = :frontier WHERE log = :log")


class EventLog:
    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def append(
        self, *, log: str, kind: str, actor: str | None, subject: str,
        data: Mapping[str, Any], at: datetime,
    ) -> Event:
        seq, prev_hash, frontier = self._next(log)
        # Round-trip the data through JSON so that the hash covers exactly what is stored.
        stored = canonical_json(dict(data)).decode("utf-8")
        data = json.loads(stored)
        body = canonical_json(event_body(log, seq, at, kind, actor, subject, data))
        digest = hashlib.sha256(prev_hash.encode("ascii") + body).hexdigest()  # audit.chain_hash
        salt = os.urandom(SALT_BYTES)
        leaf = leaf_hash(leaf_bytes(log, seq, hashlib.sha256(salt + body).hexdigest()))
        made, frontier = append_leaf(seq - 1, frontier, leaf)
        row = {"log": log, "seq": seq, "at": at, "kind": kind, "actor": actor, "subject": subject,
               "data": stored, "prev_hash": prev_hash, "hash": digest, "salt": salt}
        if self.connection.dialect.name == "postgresql":  # why one statement: one round trip
            self.connection.execute(_PG_WRITE, {
                **row, "levels": [n[0] for n, _ in made], "idxs": [n[1] for n, _ in made],
                "hashes": [h for _, h in made], "frontier": pack(frontier)})
        else:  # why statements built once, with parameters: building them per call cost most
            self.connection.execute(_INSERT_EVENT, row)
            self.connection.execute(_INSERT_NODES, [
                {"log": log, "level": level, "idx": idx, "hash": h} for (level, idx), h in made])
            self.connection.execute(_MOVE_HEAD, {"log_": log, "head_hash_": digest,
                                                 "frontier_": pack(frontier)})
        return Event(log=log, seq=seq, at=at, kind=kind, actor=actor, subject=subject, data=data,
                     prev_hash=prev_hash, hash=digest)

    def _next(self, log: str) -> tuple[int, str, list[bytes]]:
        """Lock the log's head (creating it for a new log) and number the next event: (its seq,
        the previous hash, the tree's right edge before it)."""
        head = self.connection.execute(_NUMBER, {"log_": log}).one_or_none()
        if head is None:
            dialect = self.connection.dialect.name
            insert_head = (postgresql.insert if dialect == "postgresql" else sqlite.insert)(event_logs)
            # why ON CONFLICT: two first appenders race to create the head; one wins, both then lock it
            self.connection.execute(
                insert_head.values(log=log, head_seq=0, head_hash=GENESIS).on_conflict_do_nothing())
            head = self.connection.execute(_NUMBER, {"log_": log}).one()
        return int(head.head_seq), str(head.head_hash), unpack(head.frontier)

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
