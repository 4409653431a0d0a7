"""Recording views without the write lock: the access queue, and the worker's drain of it.

A recipient's view of a note is a read: its decision (the access rule, the terms checked at
that moment) is taken in a transaction that only reads. The access is then appended to the
access queue in a short transaction of its own, before the body is answered
(`queue_access`): on SQLite the queue is a side file, so a view never waits for the main
database's write lock, and on PostgreSQL it is one INSERT that touches neither the event log's
head nor any row another request locks. The worker (`drain_accesses`, each pass) moves queued
accesses, oldest first, into `access_records` and appends each one's `DisclosureAccessed`
event (with `accessed_at`, the access's own time) to its partnership's log, in one transaction
per batch that also removes them from the queue.

Exactly once: a pass that dies before its commit leaves the queue as it was; on SQLite, where
the two files commit apart, a batch recorded whose removal did not happen is recognised by its
access ids and only removed. Reads see queued accesses at once
(repositories/accesses.py `every_access`): the access report, its exports and a disclosure's
accesses do not wait for the worker. docs/architecture.md ("Accesses") says why the event may
follow the access.
"""

from __future__ import annotations

from datetime import datetime

from sharebound.domain.audit import partnership_log
from sharebound.domain.disclosures import AccessRecord, Disclosure
from sharebound.domain.events import DisclosureAccessed
from sharebound.domain.ids import new_id
from sharebound.domain.orgs import Person
from sharebound.domain.terms import Action
from sharebound.services.common import record
from sharebound.services.unit_of_work import UnitOfWork

BATCH = 500  # why: one transaction per 500 events keeps the log's write lock short and a pass quick


def queue_access(uow: UnitOfWork, person: Person, disclosure: Disclosure, action: str,
                 at: datetime) -> AccessRecord:
    """Append an access the rule allowed to the queue, outside any other transaction; it is
    acknowledged (durable) when this returns."""
    access = AccessRecord(id=new_id("acc"), disclosure_id=disclosure.id, person_id=person.id,
                          action=Action(action), at=at)
    uow.append_access(access, disclosure.partnership_id)
    return access


def drain_accesses(uow: UnitOfWork, *, batch: int = BATCH) -> int:
    """Move every queued access into `access_records` with its audit event, oldest first, a
    batch per transaction; how many were moved."""
    with uow.reading():  # why: an idle worker takes no write lock (SQLite) to learn it is idle
        if not uow.access_queue.any():
            return 0
    moved = 0
    while True:
        with uow:
            queued = uow.access_queue.oldest(batch)
            if not queued:
                return moved
            already = uow.access_queue.recorded([q.access.id for q in queued])
            for q in queued:
                if q.access.id in already:
                    continue
                uow.disclosures.add_access(q.access)
                record(uow, partnership_log(q.partnership_id), q.access.person_id,
                       q.access.disclosure_id, DisclosureAccessed(
                           access=q.access.id, action=q.access.action.value,
                           accessed_at=q.access.at))
                moved += 1
            uow.access_queue.remove([q.seq for q in queued])
            uow.commit()
        if len(queued) < batch:
            return moved


def queued(uow: UnitOfWork) -> int:
    """How many accesses wait in the queue (the worker's log line, /metrics)."""
    with uow.reading():
        return uow.access_queue.size()
