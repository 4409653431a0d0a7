"""What the operator asks of a running instance: is it ready to serve (database reachable,
blob store reachable, schema at the newest migration), and how far behind is the outbox."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import text

from sharebound.adapters.db import migrate
from sharebound.services.unit_of_work import UnitOfWork


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str  # what was found: no secrets, no data


@dataclass(frozen=True)
class Readiness:
    checks: tuple[Check, ...]

    @property
    def ready(self) -> bool:
        return all(c.ok for c in self.checks)


def readiness(uow: UnitOfWork) -> Readiness:
    """Each check runs whatever the others found; each failure is named, not raised."""
    checks = []
    try:
        with uow.engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        checks.append(Check("database", True, "reachable"))
    except Exception as error:  # why broad: any failure means not ready, and is reported
        checks.append(Check("database", False, f"unreachable: {type(error).__name__}"))
    try:
        uow.blobs.reachable()
        checks.append(Check("blobs", True, "reachable"))
    except Exception as error:
        checks.append(Check("blobs", False, f"unreachable: {type(error).__name__}"))
    try:
        current, head = migrate.current_revision(uow.engine), migrate.head_revision(uow.engine)
        checks.append(Check("migrations", current == head,
                            "current" if current == head else f"database at {current}, code at {head}"))
    except Exception as error:
        checks.append(Check("migrations", False, f"unknown: {type(error).__name__}"))
    return Readiness(tuple(checks))


@dataclass(frozen=True)
class Backlog:
    depth: int  # deliveries pending or being sent
    oldest_seconds: float  # how long the oldest has waited; 0 when none


def outbox_backlog(uow: UnitOfWork) -> Backlog:
    with uow.reading():
        depth, oldest = uow.outbox.backlog()
        now = uow.clock()
    return Backlog(depth, max(0.0, (now - oldest).total_seconds()) if oldest is not None else 0.0)
