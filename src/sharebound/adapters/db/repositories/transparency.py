"""Reading the transparency log: its heads, the stored nodes a proof needs, the leaves with
their salts, and the signed checkpoints (docs/transparency-log.md). `EventLog.append` writes
the tree; this reads it."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Connection, Select, and_, func, literal_column, select, union_all
from sqlalchemy.dialects import postgresql, sqlite

from sharebound.adapters.db.tables import event_logs, events, log_checkpoints, log_nodes
from sharebound.domain.audit import Event
from sharebound.domain.log_check import StoredEvent
from sharebound.domain.merkle import Node, unpack

BATCH = 5000  # why: rows fetched at a time when streaming a whole log: bounded memory


@dataclass(frozen=True, slots=True)
class Leaf:
    """One event as its leaf: the event (None when its stored JSON is unreadable) and its salt."""

    seq: int
    event: Event | None
    salt: bytes | None


@dataclass(frozen=True, slots=True)
class Checkpoint:
    log: str
    size: int
    root: str  # hex
    note: str
    at: datetime


class TransparencyLog:
    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def head(self, log: str) -> tuple[int, list[bytes]] | None:
        """The log's tree size and right edge (None for a log that has never had an event)."""
        row = self.connection.execute(
            select(event_logs.c.head_seq, event_logs.c.frontier).where(event_logs.c.log == log)
        ).one_or_none()
        return None if row is None else (int(row.head_seq), unpack(row.frontier))

    def nodes(self, log: str, wanted: Iterable[Node]) -> dict[Node, bytes]:
        """The stored hashes of these complete subtrees (one query; missing ones are left out)."""
        keys = sorted(set(wanted))
        if not keys:
            return {}
        # why one point lookup each, joined: an OR or row-value IN makes SQLite scan the log
        lookups = [select(log_nodes.c.level, log_nodes.c.idx, log_nodes.c.hash)
                   .where(log_nodes.c.log == log, log_nodes.c.level == level, log_nodes.c.idx == idx)
                   for level, idx in keys]
        rows = self.connection.execute(union_all(*lookups) if len(lookups) > 1 else lookups[0])
        return {(int(r.level), int(r.idx)): bytes(r.hash) for r in rows}

    def leaves(self, log: str, start: int, limit: int) -> list[Leaf]:
        """The events at leaf indexes [start, start + limit), with their salts, in order."""
        rows = self.connection.execute(
            select(events).where(events.c.log == log, events.c.seq > start,
                                 events.c.seq <= start + limit).order_by(events.c.seq))
        return [Leaf(seq=r.seq, event=_event(r), salt=None if r.salt is None else bytes(r.salt))
                for r in rows]

    def disclosure_seq(self, log: str, disclosure_id: str) -> int | None:
        """The seq of the event that made the disclosure in the log, if it is there."""
        seq = self.connection.execute(
            select(events.c.seq).where(events.c.kind == "disclosure_made",
                                       events.c.subject == disclosure_id, events.c.log == log)
        ).scalar_one_or_none()
        return None if seq is None else int(seq)

    def level(self, log: str, level: int, low: int | None = None,
              high: int | None = None) -> Iterator[tuple[int, bytes]]:
        """The stored nodes of one level of the log's tree, by index, streamed (those with an
        index from `low` and below `high`, when given)."""
        query = (select(log_nodes.c.idx, log_nodes.c.hash)
                 .where(log_nodes.c.log == log, log_nodes.c.level == level).order_by(log_nodes.c.idx))
        if low is not None:
            query = query.where(log_nodes.c.idx >= low)
        if high is not None:
            query = query.where(log_nodes.c.idx < high)
        return self._stream(query)

    def stored_events(self, log: str, after: int | None = None, upto: int | None = None,
                      with_leaf: bool = True) -> Iterator[StoredEvent]:
        """The log's events as stored, raw, with their stored leaf hashes, in seq order, streamed
        in batches (bounded memory): what `domain/log_check.check_log` reads. With `after` and
        `upto`, only the events of seq after `after` and up to `upto` (one block's); without
        `with_leaf`, the rows end before the leaf (the caller reads the leaves apart)."""
        leaf = log_nodes.alias("leaf")
        at: ColumnElement[Any]
        if self.connection.dialect.name == "postgresql":
            at = literal_column("to_char(events.at AT TIME ZONE 'UTC', "
                                "'YYYY-MM-DD\"T\"HH24:MI:SS.US\"+00:00\"')")
        else:  # SQLite keeps "2027-03-01 12:00:00.000000" (UTC, always microseconds)
            at = func.replace(events.c.at, " ", "T").concat("+00:00")
        columns = (events.c.seq, at, events.c.kind, events.c.actor, events.c.subject,
                   events.c.data, events.c.prev_hash, events.c.hash, events.c.salt)
        query = (select(*columns, leaf.c.hash).outerjoin(leaf, and_(
            leaf.c.log == events.c.log, leaf.c.level == 0, leaf.c.idx == events.c.seq - 1))
            if with_leaf else select(*columns)).where(events.c.log == log).order_by(events.c.seq)
        if after is not None:
            query = query.where(events.c.seq > after)
        if upto is not None:
            query = query.where(events.c.seq <= upto)
        return self._stream(query)

    def has_events_after(self, log: str, seq: int) -> bool:
        """Whether the log has an event of seq above `seq` (past its recorded head: inserted)."""
        return self.connection.execute(
            select(events.c.seq).where(events.c.log == log, events.c.seq > seq).limit(1)
        ).first() is not None

    def _stream(self, query: Select[Any]) -> Iterator[tuple[Any, ...]]:
        """The rows of `query` as the driver gives them (plain tuples, no conversion), fetched
        BATCH at a time through this transaction's connection: a server-side cursor on
        PostgreSQL. Reading a million events this way costs a fraction of building rows."""
        compiled = query.compile(dialect=self.connection.dialect)
        params: Any = (tuple(compiled.params[name] for name in compiled.positiontup or ())
                       if compiled.positional else dict(compiled.params))
        raw: Any = self.connection.connection.driver_connection
        postgres = self.connection.dialect.name == "postgresql"
        if postgres and raw.autocommit:
            # why: a block that only reads runs without a transaction (engine.py
            # `statement_at_a_time`), and a server-side cursor lives in one: the rest of the
            # block runs in a transaction, which its end rolls back as any other block's
            raw.autocommit = False
        cursor = raw.cursor(name=f"stream_{uuid.uuid4().hex}") if postgres else raw.cursor()
        yield from _fetched(cursor, str(compiled), params)

    def checkpoints(self, log: str) -> list[Checkpoint]:
        rows = self.connection.execute(
            select(log_checkpoints).where(log_checkpoints.c.log == log).order_by(log_checkpoints.c.size))
        return [Checkpoint(r.log, r.size, r.root, r.note, r.at) for r in rows]

    def grown_logs(self) -> list[str]:
        """The logs with events past their latest signed checkpoint (or with none signed yet)."""
        c = log_checkpoints.c
        signed = select(c.log, func.max(c.size).label("size")).group_by(c.log).subquery()
        rows = self.connection.execute(
            select(event_logs.c.log).outerjoin(signed, signed.c.log == event_logs.c.log)
            .where(event_logs.c.head_seq > func.coalesce(signed.c.size, 0))
            .order_by(event_logs.c.log))
        return [row.log for row in rows]

    def latest_checkpoint(self, log: str) -> Checkpoint | None:
        row = self.connection.execute(
            select(log_checkpoints).where(log_checkpoints.c.log == log)
            .order_by(log_checkpoints.c.size.desc()).limit(1)).one_or_none()
        return None if row is None else Checkpoint(row.log, row.size, row.root, row.note, row.at)

    def checkpoint(self, log: str, size: int) -> Checkpoint | None:
        row = self.connection.execute(
            select(log_checkpoints).where(log_checkpoints.c.log == log,
                                          log_checkpoints.c.size == size)).one_or_none()
        return None if row is None else Checkpoint(row.log, row.size, row.root, row.note, row.at)

    def add_checkpoint(self, checkpoint: Checkpoint) -> Checkpoint:
        """Store a signed checkpoint; when one of that size is there already, it stays (a
        concurrent signer's, with the same root) and is returned."""
        dialect = self.connection.dialect.name
        add = (postgresql.insert if dialect == "postgresql" else sqlite.insert)(log_checkpoints)
        self.connection.execute(add.values(
            log=checkpoint.log, size=checkpoint.size, root=checkpoint.root, note=checkpoint.note,
            at=checkpoint.at).on_conflict_do_nothing())
        stored = self.checkpoint(checkpoint.log, checkpoint.size)
        assert stored is not None
        return stored


def _event(r: Any) -> Event | None:
    try:
        data = json.loads(r.data)
    except ValueError:
        return None
    return Event(log=r.log, seq=r.seq, at=r.at, kind=r.kind, actor=r.actor, subject=r.subject,
                 data=data, prev_hash=r.prev_hash, hash=r.hash)


def _fetched(cursor: Any, statement: str, params: Any) -> Iterator[tuple[Any, ...]]:
    """The rows `statement` gives through `cursor`, BATCH at a time; the cursor closed after."""
    try:
        cursor.execute(statement, params)
        while batch := cursor.fetchmany(BATCH):
            yield from batch
    finally:
        cursor.close()
