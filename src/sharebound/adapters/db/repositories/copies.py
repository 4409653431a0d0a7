"""Stamped copies, by copy id."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, insert, select

from sharebound.adapters.db.tables import copies
from sharebound.domain.stamps import CopyRecord


class CopyRepository:
    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def add(self, copy: CopyRecord) -> None:
        self.connection.execute(insert(copies).values(
            copy_id=copy.copy_id, access_id=copy.access_id, disclosure_id=copy.disclosure_id,
            person_id=copy.person_id, kind=copy.kind, media_type=copy.media_type,
            sha256=copy.sha256, at=copy.at))

    def get(self, copy_id: str) -> CopyRecord | None:
        row = self.connection.execute(select(copies).where(copies.c.copy_id == copy_id)).first()
        return _copy(row) if row is not None else None

    def of_disclosure(self, disclosure_id: str) -> list[CopyRecord]:
        rows = self.connection.execute(
            select(copies).where(copies.c.disclosure_id == disclosure_id)
            .order_by(copies.c.at, copies.c.copy_id))
        return [_copy(r) for r in rows]


def _copy(row: Any) -> CopyRecord:
    return CopyRecord(copy_id=row.copy_id, access_id=row.access_id, disclosure_id=row.disclosure_id,
                      person_id=row.person_id, kind=row.kind, media_type=row.media_type,
                      sha256=row.sha256, at=row.at)
