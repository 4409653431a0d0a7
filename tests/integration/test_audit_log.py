"""The audit log: append-only in the database, and any tampering is found by verification."""

from __future__ import annotations

import multiprocessing
import time

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.exc import DBAPIError

from sharebound.bootstrap import App
from sharebound.services import audit, messages
from tests.integration.world import World


def _unlock_events(engine: Engine) -> None:
    """What an attacker with database access would do first: switch off the append-only guard."""
    with engine.begin() as connection:
        if engine.dialect.name == "postgresql":
            connection.execute(text("ALTER TABLE events DISABLE TRIGGER events_append_only"))
        else:
            connection.execute(text("DROP TRIGGER IF EXISTS events_no_update"))
            connection.execute(text("DROP TRIGGER IF EXISTS events_no_delete"))


def _busy_log(world: World) -> str:
    for n in range(4):
        messages.post_message(world.uow(), world.alice.id, world.partnership.id, body=f"hello {n}")
    return f"partnership:{world.partnership.id}"


def _tamper(world: World, statement: str, **params: object) -> None:
    _unlock_events(world.app.engine)
    with world.app.engine.begin() as connection:
        connection.execute(text(statement), params)


def _first_problem(world: World) -> tuple[str, int, str]:
    problems = audit.verify_audit(world.uow())
    assert len(problems) == 1
    return problems[0].log, problems[0].seq, problems[0].message


@pytest.mark.parametrize("statement", [
    "UPDATE events SET data = '{}' WHERE log = :log AND seq = 3",
    "DELETE FROM events WHERE log = :log AND seq = 3",
])
def test_the_database_refuses_to_change_or_delete_an_event(world: World, statement: str) -> None:
    log = _busy_log(world)

    with pytest.raises(DBAPIError, match="append-only"), world.app.engine.begin() as connection:
        connection.execute(text(statement), {"log": log})

    assert audit.verify_audit(world.uow()) == []


def test_an_altered_event_is_named_by_verification(world: World) -> None:
    log = _busy_log(world)

    _tamper(world, "UPDATE events SET kind = 'message_deleted' WHERE log = :log AND seq = 3", log=log)

    assert _first_problem(world) == (log, 3, "its content does not match its hash (altered)")


def test_a_deleted_event_is_named_by_verification(world: World) -> None:
    log = _busy_log(world)

    _tamper(world, "DELETE FROM events WHERE log = :log AND seq = 3", log=log)

    assert _first_problem(world)[:2] == (log, 3)


def test_a_deleted_last_event_is_found_through_the_logs_recorded_length(world: World) -> None:
    log = _busy_log(world)
    with world.uow() as uow:
        last = uow.events.heads()[log]

    _tamper(world, "DELETE FROM events WHERE log = :log AND seq = :seq", log=log, seq=last)

    assert _first_problem(world)[:2] == (log, last)


def test_reordered_events_are_named_by_verification(world: World) -> None:
    log = _busy_log(world)

    _tamper(world, "UPDATE events SET seq = -1 WHERE log = :log AND seq = 2", log=log)
    _tamper(world, "UPDATE events SET seq = 2 WHERE log = :log AND seq = 3", log=log)
    _tamper(world, "UPDATE events SET seq = 3 WHERE log = :log AND seq = -1", log=log)

    assert _first_problem(world)[:2] == (log, 2)


def _post_many(url: str, data_dir: str, person_id: str, partnership_id: str, start_at: float,
               count: int) -> None:
    from sharebound.bootstrap import build
    from sharebound.config import Settings

    worker = build(Settings(database_url=url, data_dir=data_dir))
    while time.time() < start_at:  # why: start together, so that appends really interleave
        time.sleep(0.001)
    for n in range(count):
        messages.post_message(worker.uow(), person_id, partnership_id, body=f"{person_id} {n}")
    worker.close()


def test_concurrent_writers_in_separate_processes_never_fork_the_chain(world: World, app: App) -> None:
    log = f"partnership:{world.partnership.id}"
    with world.uow() as uow:
        before = uow.events.heads()[log]
    url = app.engine.url.render_as_string(hide_password=False)
    writers, each = 4, 25
    context = multiprocessing.get_context("spawn")
    start_at = time.time() + 2.0
    people = [world.alice.id, world.mia.id, world.grace.id, world.gina.id]
    processes = [
        context.Process(target=_post_many, args=(url, str(app.settings.data_dir), people[n],
                                                 world.partnership.id, start_at, each))
        for n in range(writers)
    ]
    for process in processes:
        process.start()
    for process in processes:
        process.join(timeout=120)

    assert [p.exitcode for p in processes] == [0] * writers
    with world.uow() as uow:
        seqs = [event.seq for event in uow.events.read(log)]
    assert seqs == list(range(1, before + writers * each + 1))
    assert audit.verify_audit(world.uow()) == []


def test_worker_processes_checking_blocks_name_what_one_process_names(world: World) -> None:
    """`audit verify --jobs 2` with blocks of 4 events, on either database: each worker reads
    its blocks through its own connection, and the findings are those of --jobs 1."""
    for n in range(13):
        messages.post_message(world.uow(), world.alice.id, world.partnership.id, body=f"hello {n}")
    log = f"partnership:{world.partnership.id}"

    def found(jobs: int) -> list[tuple[str, int, str]]:
        return [(p.log, p.seq, p.message)
                for p in audit.verify_audit(world.uow(), jobs=jobs, block=4)]

    assert found(2) == found(1) == []

    with world.app.engine.begin() as connection:  # a node above a block's top: the parent's
        connection.execute(text("UPDATE log_nodes SET hash = :h WHERE log = :log AND level = 3 "
                                "AND idx = 0"), {"h": b"\x00" * 32, "log": log})
    assert found(2) == found(1) == [(log, 1, "the tree's node over events 1 to 8 does not match "
                                             "its children")]

    _tamper(world, "UPDATE events SET data = :d WHERE log = :log AND seq = 9",
            d='{"message":"forged"}', log=log)  # the first event of the third block
    assert found(2) == found(1) == [(log, 9, "its content does not match its hash (altered)")]
