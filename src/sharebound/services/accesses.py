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

An entry that names a disclosure or a person that does not exist, a partnership that is not
its disclosure's, or holds an action or time that cannot be read, is dropped with a warning
naming it (`access_queue_entry_dropped`): it can never be recorded, and must not stop the
entries after it from being recorded.
"""

from __future__ import annotations

import logging
from datetime import datetime

from sharebound.adapters.db.repositories.accesses import BadEntry, QueuedAccess
from sharebound.domain.audit import partnership_log
from sharebound.domain.disclosures import AccessRecord, Disclosure
from sharebound.domain.events import DisclosureAccessed
from sharebound.domain.ids import new_id
from sharebound.domain.orgs import Person
from sharebound.domain.terms import Action
from sharebound.services.common import record
from sharebound.services.unit_of_work import UnitOfWork

log = logging.getLogger("sharebound.worker")

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
            good = _good_entries(uow, queued)
            already = uow.access_queue.recorded([q.access.id for q in good])
            for q in good:
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


def _good_entries(uow: UnitOfWork, entries: list[QueuedAccess | BadEntry]) -> list[QueuedAccess]:
    """The entries that can be recorded; each other one is logged as dropped (it is removed
    from the queue with the batch)."""
    readable = [e for e in entries if isinstance(e, QueuedAccess)]
    found, people = uow.access_queue.known([q.access.disclosure_id for q in readable],
                                           [q.access.person_id for q in readable])
    good = []
    for entry in entries:
        if isinstance(entry, QueuedAccess):
            why = _why_not(entry, found, people)
            if why is None:
                good.append(entry)
                continue
            entry = BadEntry(seq=entry.seq, access_id=entry.access.id,
                             disclosure_id=entry.access.disclosure_id,
                             person_id=entry.access.person_id, why=why)
        log.warning("dropped access queue entry %s (access %r): %s", entry.seq, entry.access_id,
                    entry.why, extra={"event": "access_queue_entry_dropped", "queue_seq": entry.seq,
                                      "access_id": entry.access_id,
                                      "disclosure_id": entry.disclosure_id,
                                      "person_id": entry.person_id, "reason": entry.why})
    return good


def _why_not(entry: QueuedAccess, found: dict[str, str], people: set[str]) -> str | None:
    access = entry.access
    if access.disclosure_id not in found:
        return f"no disclosure {access.disclosure_id!r}"
    if access.person_id not in people:
        return f"no person {access.person_id!r}"
    if found[access.disclosure_id] != entry.partnership_id:
        return (f"partnership {entry.partnership_id!r} is not disclosure "
                f"{access.disclosure_id!r}'s")
    return None


def queued(uow: UnitOfWork) -> int:
    """How many accesses wait in the queue (the worker's log line, /metrics)."""
    with uow.reading():
        return uow.access_queue.size()
