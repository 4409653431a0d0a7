"""Views are recorded without the write lock: queued at once, moved by the worker exactly once."""

from __future__ import annotations

import logging
import sqlite3
import threading
from typing import Any

import pytest
from sqlalchemy import func, insert, select, text

from sharebound.adapters.db.repositories.accesses import AccessQueue
from sharebound.adapters.db.tables import access_queue, access_records, events
from sharebound.domain.audit import partnership_log
from sharebound.services import access_report, accesses, disclosures, register
from sharebound.services.disclosures import DisclosureDraft
from tests.integration.world import World


def disclosed_note(world: World) -> str:
    return disclosures.disclose(world.uow(), world.mia.id, DisclosureDraft(
        item_id=world.note(), agreement_id=world.signed().id, recipients=["gina@globex.example"],
        actions=["view"])).id


def counts(world: World) -> tuple[int, int, int]:
    """(queued, recorded, their events)"""
    uow = world.uow()
    with uow.reading():
        connection = uow.access_queue.connection
        recorded = connection.execute(select(func.count()).select_from(access_records)).scalar_one()
        logged = connection.execute(select(func.count()).select_from(events)
                                    .where(events.c.kind == "disclosure_accessed")).scalar_one()
        return uow.access_queue.size(), recorded, logged


def test_a_view_of_a_note_completes_while_another_connection_holds_the_write_lock(world: World) -> None:
    if world.app.engine.dialect.name != "sqlite":
        pytest.skip("PostgreSQL has no database-wide write lock")
    made = disclosed_note(world)
    holder = sqlite3.connect(str(world.app.engine.url.database), isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another writer holds the main database's write lock
    holder.execute("UPDATE orgs SET name = name")
    seen: list[Any] = []
    try:
        reader = threading.Thread(target=lambda: seen.append(
            register.view_disclosure(world.uow(), world.gina.id, made)))
        reader.start()
        reader.join(timeout=3)  # why 3 s: the busy timeout (5 s) would be spent waiting for it
        finished_while_held = not reader.is_alive()
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    reader.join()

    assert finished_while_held
    assert seen[0].body == "Drift under 0.2 K"
    assert counts(world)[0] == 1  # queued, recorded once the lock is free and the worker runs


def test_a_queued_view_is_in_the_access_report_at_once(world: World) -> None:
    made = disclosed_note(world)

    register.view_disclosure(world.uow(), world.gina.id, made)

    report = access_report.disclosure_accesses(world.uow(), world.mia.id, made)
    assert [(e.person_name, e.action) for e in report.entries] == [(world.gina.name, "view")]
    assert counts(world) == (1, 0, 0)


def test_the_worker_moves_queued_views_in_order_with_their_events_exactly_once(world: World) -> None:
    made = disclosed_note(world)
    first = register.view_disclosure(world.uow(), world.gina.id, made)
    world.app.clock.advance(seconds=5)  # type: ignore[attr-defined]
    register.view_disclosure(world.uow(), world.gina.id, made)
    with world.uow() as uow:
        queued_times = [a.at for a in uow.disclosures.accesses(made)]

    moved = accesses.drain_accesses(world.uow())
    again = accesses.drain_accesses(world.uow())

    assert (moved, again) == (2, 0)
    assert counts(world) == (0, 2, 2)
    with world.uow() as uow:
        recorded = uow.disclosures.accesses(made)
        partnership = uow.disclosures.get(made).partnership_id
        logged = [e for e in uow.events.read(partnership_log(partnership), subject=made)
                  if e.kind == "disclosure_accessed"]
    assert [a.at for a in recorded] == queued_times  # the access's own time, not the drain's
    assert [e.data["access"] for e in logged] == [a.id for a in recorded]  # in order of arrival
    assert [e.data["accessed_at"] for e in logged] == [t.isoformat() for t in queued_times]
    assert first.body is not None


def test_a_drain_that_dies_before_its_commit_loses_nothing_and_duplicates_nothing(
        world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    made = disclosed_note(world)
    for _ in range(3):
        register.view_disclosure(world.uow(), world.gina.id, made)
    real_record = accesses.record
    calls: list[int] = []

    def dies_on_the_second(*args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        if len(calls) == 2:
            raise RuntimeError("the worker died")
        return real_record(*args, **kwargs)

    monkeypatch.setattr(accesses, "record", dies_on_the_second)
    with pytest.raises(RuntimeError):
        accesses.drain_accesses(world.uow())
    assert counts(world) == (3, 0, 0)  # the claimed batch is all still queued, nothing recorded
    monkeypatch.setattr(accesses, "record", real_record)

    assert accesses.drain_accesses(world.uow()) == 3
    assert counts(world) == (0, 3, 3)


def test_a_batch_recorded_but_not_removed_from_the_queue_is_only_removed_next_time(
        world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    # on SQLite the queue's file and the database commit apart: the records may commit and the
    # removal not (a crash between the two files' commits)
    made = disclosed_note(world)
    register.view_disclosure(world.uow(), world.gina.id, made)
    register.view_disclosure(world.uow(), world.gina.id, made)
    monkeypatch.setattr(AccessQueue, "remove", lambda self, seqs: None)
    assert accesses.drain_accesses(world.uow()) == 2
    assert counts(world) == (2, 2, 2)
    with world.uow() as uow:
        assert len(uow.disclosures.accesses(made)) == 2  # a queued access already moved counts once
    monkeypatch.undo()

    assert accesses.drain_accesses(world.uow()) == 0
    assert counts(world) == (0, 2, 2)


def test_a_drain_moves_the_queue_in_batches(world: World) -> None:
    made = disclosed_note(world)
    for _ in range(5):
        register.view_disclosure(world.uow(), world.gina.id, made)

    assert accesses.drain_accesses(world.uow(), batch=2) == 5
    assert counts(world) == (0, 5, 5)


def test_the_discloser_s_own_view_and_a_refused_view_queue_nothing(world: World) -> None:
    made = disclosed_note(world)
    disclosures.revoke_disclosure(world.uow(), world.mia.id, made)

    assert register.view_disclosure(world.uow(), world.mia.id, made).body is not None
    assert register.view_disclosure(world.uow(), world.gina.id, made).body is None

    assert counts(world) == (0, 0, 0)


def test_a_worker_pass_records_the_queued_views_first(world: World) -> None:
    from sharebound.services.worker import run_pass

    made = disclosed_note(world)
    register.view_disclosure(world.uow(), world.gina.id, made)

    report = run_pass(world.app, "test-worker", schedules=False)

    assert report.accesses == 1
    assert counts(world) == (0, 1, 1)


def test_an_entry_that_names_nothing_is_dropped_with_a_warning_and_the_rest_are_recorded(
        world: World, caplog: pytest.LogCaptureFixture) -> None:
    made = disclosed_note(world)
    register.view_disclosure(world.uow(), world.gina.id, made)
    with world.uow() as uow:
        partnership = uow.disclosures.get(made).partnership_id
    at = world.app.clock()
    bad = [  # (access id, disclosure, partnership, person, action, time) as queued
        ("acc_nodisclosure", "dis_gone", partnership, world.gina.id, "view", at),
        ("acc_noperson", made, partnership, "per_gone", "view", at),
        ("acc_otherlog", made, "par_other", world.gina.id, "view", at),
        ("acc_badaction", made, partnership, world.gina.id, "print", at),
    ]
    with world.app.engine.begin() as connection:
        for access_id, disclosure_id, partnership_id, person_id, action, when in bad:
            connection.execute(insert(access_queue).values(
                access_id=access_id, disclosure_id=disclosure_id, partnership_id=partnership_id,
                person_id=person_id, action=action, at=when))
        if world.app.engine.dialect.name == "sqlite":  # PostgreSQL's column holds only times
            connection.execute(text(
                "INSERT INTO accesses.access_queue (access_id, disclosure_id, partnership_id, "
                "person_id, action, at) VALUES ('acc_badtime', :d, :p, :g, 'view', 'yesterday')"),
                {"d": made, "p": partnership, "g": world.gina.id})
    register.view_disclosure(world.uow(), world.gina.id, made)

    with caplog.at_level(logging.WARNING, logger="sharebound.worker"):
        moved = accesses.drain_accesses(world.uow())

    assert moved == 2
    assert counts(world) == (0, 2, 2)
    dropped = [r for r in caplog.records if getattr(r, "event", None) == "access_queue_entry_dropped"]
    expected = [b[0] for b in bad] + (["acc_badtime"] if world.app.engine.dialect.name == "sqlite" else [])
    assert [getattr(r, "access_id", None) for r in dropped] == expected
    reasons = [getattr(r, "reason", "") for r in dropped]
    assert reasons[:4] == ["no disclosure 'dis_gone'", "no person 'per_gone'",
                           f"partnership 'par_other' is not disclosure {made!r}'s",
                           "'print' is not an action"]
    assert all(r.levelno == logging.WARNING for r in dropped)
    assert accesses.drain_accesses(world.uow()) == 0
