"""The access queue: accesses appended outside the read's transaction, drained by the worker.

`every_access()` is what reads use instead of `access_records` alone: the accesses recorded
and those still queued, as one relation with `access_records`' columns, so that the access
report and a recipient's "opened" show a view at once, before the worker has moved it.

`oldest()` reads each entry as it is stored and never raises for one it cannot read: a value
that is not an action or a time gives a `BadEntry`, which the drain drops (services/accesses.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    Connection,
    String,
    Subquery,
    delete,
    exists,
    func,
    insert,
    select,
    type_coerce,
    union_all,
)

from sharebound.adapters.db.tables import access_queue, access_records, disclosures, people
from sharebound.domain.disclosures import AccessRecord
from sharebound.domain.terms import Action


@dataclass(frozen=True)
class QueuedAccess:
    seq: int  # the order of arrival
    access: AccessRecord
    partnership_id: str  # the disclosure's: the log its event goes to


@dataclass(frozen=True)
class BadEntry:
    """A queued entry that cannot be an access as it is stored; `why` says what is wrong."""

    seq: int
    access_id: str
    disclosure_id: str
    person_id: str
    why: str


_APPEND = insert(access_queue)  # why built once: every view of a note appends one

class AccessQueue:
    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def append(self, access: AccessRecord, partnership_id: str) -> None:
        self.connection.execute(_APPEND, dict(
            access_id=access.id, disclosure_id=access.disclosure_id, partnership_id=partnership_id,
            person_id=access.person_id, action=access.action.value, at=access.at))

    def oldest(self, limit: int) -> list[QueuedAccess | BadEntry]:
        """The first `limit` queued entries in order of arrival; on PostgreSQL locked for this
        transaction, skipping those another worker holds (FOR UPDATE SKIP LOCKED). An entry
        whose action or time cannot be read is a `BadEntry`, never an error."""
        c = access_queue.c
        # why as text on SQLite: its DATETIME is text that may not parse, and a value that does
        # not would fail the whole batch in SQLAlchemy's result processing
        at = type_coerce(c.at, String) if self.connection.dialect.name == "sqlite" else c.at
        query = select(c.seq, c.access_id, c.disclosure_id, c.partnership_id, c.person_id,
                       c.action, at.label("at")).order_by(c.seq).limit(limit)
        if self.connection.dialect.name == "postgresql":
            query = query.with_for_update(skip_locked=True)
        return [_entry(r) for r in self.connection.execute(query)]

    def known(self, disclosure_ids: Sequence[str], person_ids: Sequence[str]
              ) -> tuple[dict[str, str], set[str]]:
        """Of these ids, the disclosures that exist (each with its partnership) and the people."""
        found = {r.id: r.partnership_id for r in self.connection.execute(
            select(disclosures.c.id, disclosures.c.partnership_id)
            .where(disclosures.c.id.in_(sorted(set(disclosure_ids)))))}
        who = set(self.connection.execute(
            select(people.c.id).where(people.c.id.in_(sorted(set(person_ids))))).scalars())
        return found, who

    def remove(self, seqs: Sequence[int]) -> None:
        if seqs:
            self.connection.execute(delete(access_queue).where(access_queue.c.seq.in_(list(seqs))))

    def recorded(self, access_ids: Sequence[str]) -> set[str]:
        """Which of these accesses `access_records` already holds (moved by an earlier pass
        whose removal from the queue did not happen: SQLite commits the two files apart)."""
        if not access_ids:
            return set()
        return set(self.connection.execute(
            select(access_records.c.id).where(access_records.c.id.in_(list(access_ids)))).scalars())

    def any(self) -> bool:
        return self.connection.execute(select(access_queue.c.seq).limit(1)).first() is not None

    def size(self) -> int:
        return int(self.connection.execute(select(func.count()).select_from(access_queue)).scalar_one())


def _entry(row: Any) -> QueuedAccess | BadEntry:
    def bad(why: str) -> BadEntry:
        return BadEntry(seq=row.seq, access_id=str(row.access_id), disclosure_id=str(row.disclosure_id),
                        person_id=str(row.person_id), why=why)

    try:
        action = Action(row.action)
    except ValueError:
        return bad(f"{str(row.action)[:40]!r} is not an action")
    at = _time(row.at)
    if at is None:
        return bad(f"{str(row.at)[:40]!r} is not a time")
    return QueuedAccess(seq=row.seq, partnership_id=row.partnership_id, access=AccessRecord(
        id=row.access_id, disclosure_id=row.disclosure_id, person_id=row.person_id,
        action=action, at=at))


def _time(value: object) -> datetime | None:
    """A stored time as an aware UTC datetime (SQLite's text is naive UTC); None if it is none."""
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value)
        except ValueError:
            return None
    if not isinstance(value, datetime):
        return None
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def every_access() -> Subquery:
    """`access_records` and the accesses still queued, as one relation of its columns (id,
    disclosure_id, person_id, action, at). A queued access already moved is counted once."""
    moved = exists().where(access_records.c.id == access_queue.c.access_id)
    return union_all(
        select(access_records.c.id, access_records.c.disclosure_id, access_records.c.person_id,
               access_records.c.action, access_records.c.at),
        select(access_queue.c.access_id.label("id"), access_queue.c.disclosure_id,
               access_queue.c.person_id, access_queue.c.action, access_queue.c.at).where(~moved),
    ).subquery("every_access")
