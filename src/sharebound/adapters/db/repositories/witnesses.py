"""Witness keys, cosignatures, and the signed checkpoints they are checked against."""

from __future__ import annotations

from datetime import UTC, datetime
from functools import cache
from typing import Any

from sqlalchemy import Connection, Select, and_, bindparam, delete, func, insert, select

from sharebound.adapters.db.tables import events, log_checkpoints, log_cosignatures, witness_keys
from sharebound.adapters.db.where import in_list
from sharebound.domain.witnesses import Cosignature, Witness, WitnessKey


class WitnessRepository:
    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def get_key(self, org: str) -> WitnessKey | None:
        row = self.connection.execute(select(witness_keys).where(witness_keys.c.org == org)).first()
        return WitnessKey(row.org, row.name, bytes(row.public_key), row.registered_at) if row else None

    def set_key(self, key: WitnessKey, registered_by: str) -> None:
        self.connection.execute(delete(witness_keys).where(witness_keys.c.org == key.org))
        self.connection.execute(insert(witness_keys).values(
            org=key.org, name=key.name, public_key=key.public_key, registered_by=registered_by,
            registered_at=key.registered_at))

    def checkpoint_note(self, log: str, size: int) -> str | None:
        """The note the server signed for `log` at `size`, if it signed one."""
        return self.connection.execute(select(log_checkpoints.c.note).where(
            log_checkpoints.c.log == log, log_checkpoints.c.size == size)).scalar_one_or_none()

    def add(self, cosignature: Cosignature) -> None:
        """Stores the cosignature; a witness's newer one for the same checkpoint replaces it."""
        c = log_cosignatures.c
        self.connection.execute(delete(log_cosignatures).where(
            c.log == cosignature.log, c.size == cosignature.size, c.org == cosignature.org))
        self.connection.execute(insert(log_cosignatures).values(
            log=cosignature.log, size=cosignature.size, org=cosignature.org, name=cosignature.name,
            timestamp=cosignature.timestamp, line=cosignature.line,
            received_at=cosignature.received_at))

    def lines(self, log: str, size: int) -> list[str]:
        """The cosignature lines for one checkpoint, by witness org."""
        c = log_cosignatures.c
        return list(self.connection.execute(select(c.line).where(c.log == log, c.size == size)
                                            .order_by(c.org)).scalars())

    def latest(self, log: str) -> tuple[Witness, ...]:
        """Each witness org's latest cosignature on `log` (its largest size), by org."""
        c = log_cosignatures.c
        largest = (select(c.org, func.max(c.size).label("size")).where(c.log == log)
                   .group_by(c.org).subquery())
        rows = self.connection.execute(
            select(c.org, c.size, c.timestamp)
            .join(largest, and_(c.org == largest.c.org, c.size == largest.c.size))
            .where(c.log == log).order_by(c.org)).all()
        return tuple(Witness(row.org, row.size, datetime.fromtimestamp(row.timestamp, UTC))
                     for row in rows)

    def latest_of(self, logs: list[str]) -> dict[str, tuple[Witness, ...]]:
        """`latest` of each of these logs, in one query (a list spanning partnerships); a log
        nobody cosigned is left out."""
        if not logs:
            return {}
        rows = self.connection.execute(_latest_of(self.connection.dialect.name), {"logs": logs}).all()
        found: dict[str, list[Witness]] = {}
        for row in rows:
            found.setdefault(row.log, []).append(
                Witness(row.org, row.size, datetime.fromtimestamp(row.timestamp, UTC)))
        return {log: tuple(witnesses) for log, witnesses in found.items()}

    def made_at(self, log: str, kind: str, subjects: list[str]) -> dict[str, int]:
        """The seq of the `kind` event of each subject in `log` (one query for a list)."""
        if not subjects:
            return {}
        rows = self.connection.execute(_made_at(self.connection.dialect.name),
                                       {"log": log, "kind": kind, "subjects": subjects})
        return {row.subject: row.seq for row in rows}



@cache
def _latest_of(dialect: str) -> Select[Any]:
    c = log_cosignatures.c
    largest = (select(c.log, c.org, func.max(c.size).label("size")).where(in_list(dialect, c.log, "logs"))
               .group_by(c.log, c.org).subquery())
    return (select(c.log, c.org, c.size, c.timestamp)
            .join(largest, and_(c.log == largest.c.log, c.org == largest.c.org, c.size == largest.c.size))
            .order_by(c.log, c.org))


@cache
def _made_at(dialect: str) -> Select[Any]:
    return select(events.c.subject, events.c.seq).where(
        events.c.log == bindparam("log"), events.c.kind == bindparam("kind"),
        in_list(dialect, events.c.subject, "subjects"))
