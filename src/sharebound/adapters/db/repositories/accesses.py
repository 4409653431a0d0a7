"""The access queue: accesses appended outside the read's transaction, drained by the worker.

`every_access()` is what reads use instead of `access_records` alone: the accesses recorded
and those still queued, as one relation with `access_records`' columns, so that the access
report and a recipient's "opened" show a view at once, before the worker has moved it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import Connection, Subquery, delete, exists, func, insert, select, union_all

from sharebound.adapters.db.tables import access_queue, access_records
from sharebound.domain.disclosures import AccessRecord
from sharebound.domain.terms import Action


@dataclass(frozen=True)
class QueuedAccess:
    seq: int  # the order of arrival
    access: AccessRecord
    partnership_id: str  # the disclosure's: the log its event goes to


class AccessQueue:
    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def append(self, access: AccessRecord, partnership_id: str) -> None:
        self.connection.execute(insert(access_queue).values(
            access_id=access.id, disclosure_id=access.disclosure_id, partnership_id=partnership_id,
            person_id=access.person_id, action=access.action.value, at=access.at))

    def oldest(self, limit: int) -> list[QueuedAccess]:
        """The first `limit` queued accesses in order of arrival; on PostgreSQL locked for this
        transaction, skipping those another worker holds (FOR UPDATE SKIP LOCKED)."""
        query = select(access_queue).order_by(access_queue.c.seq).limit(limit)
        if self.connection.dialect.name == "postgresql":
            query = query.with_for_update(skip_locked=True)
        return [QueuedAccess(seq=r.seq, partnership_id=r.partnership_id, access=AccessRecord(
            id=r.access_id, disclosure_id=r.disclosure_id, person_id=r.person_id,
            action=Action(r.action), at=r.at)) for r in self.connection.execute(query)]

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
