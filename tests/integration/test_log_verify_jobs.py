"""`audit verify --jobs N`: worker processes check a log in blocks, each through a connection of
its own; after every tamper drill, and with the damage exactly at a block's boundary, they
name the same log, event and finding as the check in one process (--jobs 1)."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import text
from typer.testing import CliRunner

from sharebound.cli import app as cli
from sharebound.services import audit
from tests.integration.test_log_tamper import _log_with_checkpoint, _rewrite_everything, _unlock
from tests.integration.world import World

BLOCK = 4  # why so small: a log of a few events spans several blocks, so boundaries are hit
Problems = list[tuple[str, int, str]]


def _problems(world: World, jobs: int) -> Problems:
    found = audit.verify_audit(world.uow(), key=world.app.log_key, jobs=jobs, block=BLOCK)
    return [(p.log, p.seq, p.message) for p in found]


def _same_either_way(world: World) -> Problems:
    one = _problems(world, 1)
    assert _problems(world, 2) == one
    return one


@pytest.fixture
def database_url(sqlite_template: Path, tmp_path: Path) -> str:
    """The drills edit the append-only events table (its SQLite triggers dropped)."""
    path = tmp_path / "sharebound.db"
    shutil.copy(sqlite_template, path)
    return f"sqlite:///{path}"


def _edit(world: World, sql: str, **values: object) -> None:
    _unlock(world.app)
    with world.app.engine.begin() as connection:
        connection.execute(text(sql), values)


def _boundary(world: World, log: str) -> int:
    """The seq of the first event of the log's second-to-last whole block."""
    with world.uow() as uow:
        size = uow.events.heads()[log]
    return (size // BLOCK - 1) * BLOCK + 1


def _reorder(world: World, log: str, at: int) -> None:
    for a, b in ((at - 1, -1), (at, at - 1), (-1, at)):
        _edit(world, "UPDATE events SET seq = :b WHERE log = :log AND seq = :a", a=a, b=b, log=log)


def _forge_and_rewrite(world: World, log: str, at: int) -> None:
    _edit(world, "UPDATE events SET data = :d WHERE log = :log AND seq = :s",
          d='{"message":"forged"}', log=log, s=at)
    _rewrite_everything(world.app, log)


def _truncate_and_rewrite(world: World, log: str, at: int) -> None:
    _edit(world, "DELETE FROM events WHERE log = :log AND seq >= :s", log=log, s=at)
    _rewrite_everything(world.app, log)


DRILLS: dict[str, Callable[[World, str, int], None]] = {
    "a broken link into a block": lambda w, log, s: _edit(
        w, "UPDATE events SET prev_hash = :p WHERE log = :log AND seq = :s", p="f" * 64, log=log, s=s),
    "the last event of a block deleted": lambda w, log, s: _edit(
        w, "DELETE FROM events WHERE log = :log AND seq = :s", log=log, s=s - 1),
    "the first event of a block deleted": lambda w, log, s: _edit(
        w, "DELETE FROM events WHERE log = :log AND seq = :s", log=log, s=s),
    "corrupt JSON at a block's first event": lambda w, log, s: _edit(
        w, "UPDATE events SET data = '{not json' WHERE log = :log AND seq = :s", log=log, s=s),
    "two events reordered across a boundary": _reorder,
    "an edit with every hash recomputed": _forge_and_rewrite,
    "the last rows deleted and the head rewritten": _truncate_and_rewrite,
    "a row past the head": lambda w, log, s: _edit(
        w, "UPDATE event_logs SET head_seq = :n WHERE log = :log", n=s + BLOCK - 2, log=log),
    "a leaf at a block's boundary altered": lambda w, log, s: _edit(
        w, "UPDATE log_nodes SET hash = :h WHERE log = :log AND level = 0 AND idx = :i",
        h=b"\x00" * 32, log=log, i=s - 1),
    "a node inside a block altered": lambda w, log, s: _edit(
        w, "UPDATE log_nodes SET hash = :h WHERE log = :log AND level = 1 AND idx = :i",
        h=b"\x00" * 32, log=log, i=(s - 1) // 2),
}


@pytest.mark.parametrize("drill", list(DRILLS))
def test_each_drill_is_named_the_same_with_one_or_two_jobs(world: World, drill: str) -> None:
    log = _log_with_checkpoint(world, count=14)
    at = _boundary(world, log)

    DRILLS[drill](world, log, at)
    found = _same_either_way(world)

    assert [where for where, _, _ in found] == [log]


def test_the_cli_takes_jobs_and_still_exits_1_naming_the_event(world: World) -> None:
    log = _log_with_checkpoint(world, count=40)
    _edit(world, "UPDATE events SET data = '{not json' WHERE log = :log AND seq = 33", log=log)
    env = {"SHAREBOUND_DATA_DIR": str(world.app.settings.data_dir),
           "SHAREBOUND_DATABASE_URL": world.app.engine.url.render_as_string(hide_password=False)}

    for jobs in ("1", "2"):
        result = CliRunner().invoke(cli, ["audit", "verify", "--jobs", jobs], env=env)

        assert result.exit_code == 1, result.output
        assert f"log {log}, event 33: its data is not valid JSON (corrupt)" in " ".join(
            result.output.split())


def test_what_the_drills_find_is_what_they_did(world: World) -> None:
    log = _log_with_checkpoint(world, count=14)
    at = _boundary(world, log)
    DRILLS["the first event of a block deleted"](world, log, at)

    assert _same_either_way(world) == [(log, at, f"event {at} is missing or out of order "
                                                 f"(found {at + 1})")]


def test_many_logs_are_shared_out_and_each_broken_one_is_named_in_order(world: World) -> None:
    log = _log_with_checkpoint(world, count=3)
    with world.uow() as uow:
        logs = sorted(uow.events.heads())
    other = next(name for name in logs if name != log)
    for broken in (log, other):
        _edit(world, "UPDATE events SET data = '{not json' WHERE log = :log AND seq = 1", log=broken)

    found = audit.verify_audit(world.uow(), key=world.app.log_key, jobs=2)  # one block a log

    assert [(p.log, p.seq, p.message) for p in found] == _problems(world, 1) == [
        (name, 1, "its data is not valid JSON (corrupt)") for name in sorted((log, other))]


def test_a_block_ends_at_the_head_the_parent_read_even_if_events_were_appended_since(
        world: World) -> None:
    from sharebound.services import audit_blocks

    log = _log_with_checkpoint(world, count=10)
    with world.uow() as uow:
        size = uow.events.heads()[log]
    audit_blocks._start(world.app.engine.url.render_as_string(hide_password=False))
    head = size - 3  # as if the parent had read the head three appends ago

    result = audit_blocks._check((log, 8, head, False, True, (), 2, 8))

    assert (result.problem, result.count, result.first_seq) == (None, head - 8, 9)


def test_in_a_process_with_threads_the_workers_are_spawned_and_find_the_same(world: World) -> None:
    import threading

    log = _log_with_checkpoint(world, count=6)
    _edit(world, "UPDATE events SET data = '{not json' WHERE log = :log AND seq = 5", log=log)
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait, daemon=True)  # a thread: no fork, spawn
    thread.start()
    try:
        assert _same_either_way(world) == [(log, 5, "its data is not valid JSON (corrupt)")]
    finally:
        stop.set()
        thread.join()
