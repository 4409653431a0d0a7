"""Tamper drills against the transparency log: an attacker with write access to the database
(its append-only triggers dropped) edits, deletes and reorders rows, even recomputing every
hash after; `audit verify` names the log and the event, and never stops with a traceback."""

from __future__ import annotations

import json
import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import text
from typer.testing import CliRunner

from sharebound.bootstrap import App
from sharebound.cli import app as cli
from sharebound.domain import merkle
from sharebound.domain.audit import GENESIS, chain_hash, event_body
from sharebound.domain.transparency import body_digest, leaf_bytes
from sharebound.services import audit, messages, transparency
from tests.integration.world import World


@pytest.fixture
def database_url(sqlite_template: Path, tmp_path: Path) -> str:
    """SQLite is enough for the drills: verification reads both databases with the same SQL
    (its PostgreSQL path runs in test_transparency_log_api and test_audit_log)."""
    path = tmp_path / "sharebound.db"
    shutil.copy(sqlite_template, path)
    return f"sqlite:///{path}"


def _unlock(app: App) -> None:
    with app.engine.begin() as connection:
        connection.execute(text("DROP TRIGGER IF EXISTS events_no_update"))
        connection.execute(text("DROP TRIGGER IF EXISTS events_no_delete"))


def _log_with_checkpoint(world: World, count: int = 6) -> str:
    for n in range(count):
        messages.post_message(world.uow(), world.alice.id, world.partnership.id, body=f"hello {n}")
    transparency.checkpoint(world.uow(), world.app.log_key, world.grace.id,
                            ("partnership", world.partnership.id))
    return f"partnership:{world.partnership.id}"


def _rewrite_everything(app: App, log: str) -> None:
    """Recompute the chain, every leaf, every node and the head from the rows as they are now,
    as an attacker who read our code would: only the signed checkpoints stay as they were."""
    with app.engine.begin() as connection:
        rows = connection.execute(text(
            "SELECT id, seq, at, kind, actor, subject, data, salt FROM events WHERE log = :log "
            "ORDER BY seq"), {"log": log}).all()
        connection.execute(text("DELETE FROM log_nodes WHERE log = :log"), {"log": log})
        prev, frontier = GENESIS, []
        for size, r in enumerate(rows):
            at = datetime.fromisoformat(r.at).replace(tzinfo=UTC)
            body = event_body(log, r.seq, at, r.kind, r.actor, r.subject, json.loads(r.data))
            digest = chain_hash(prev, body)
            connection.execute(text("UPDATE events SET prev_hash = :p, hash = :h WHERE id = :id"),
                               {"p": prev, "h": digest, "id": r.id})
            leaf = merkle.leaf_hash(leaf_bytes(log, r.seq, body_digest(r.salt, body)))
            made, frontier = merkle.append_leaf(size, frontier, leaf)
            for (level, idx), h in made:
                connection.execute(text("INSERT INTO log_nodes VALUES (:log, :level, :idx, :h)"),
                                   {"log": log, "level": level, "idx": idx, "h": h})
            prev = digest
        connection.execute(text("UPDATE event_logs SET head_seq = :n, head_hash = :h, frontier = :f "
                                "WHERE log = :log"),
                           {"n": len(rows), "h": prev, "f": merkle.pack(frontier), "log": log})


def _problems(world: World) -> list[tuple[str, int, str]]:
    found = audit.verify_audit(world.uow(), key=world.app.log_key)
    return [(p.log, p.seq, p.message) for p in found]


def test_an_intact_log_and_its_checkpoint_verify(world: World) -> None:
    _log_with_checkpoint(world)
    assert _problems(world) == []


def test_an_edited_row_with_every_hash_recomputed_is_caught_by_the_signed_checkpoint(world: World) -> None:
    log = _log_with_checkpoint(world)
    _unlock(world.app)
    with world.app.engine.begin() as connection:
        connection.execute(text("UPDATE events SET data = :d WHERE log = :log AND seq = 3"),
                           {"d": '{"message":"msg_forged"}', "log": log})
    _rewrite_everything(world.app, log)

    [(where, seq, message)] = _problems(world)

    assert (where, seq) == (log, 1)
    assert "no longer has the root its signed checkpoint gives" in message


def test_deleted_last_rows_with_the_head_rewritten_are_caught_by_the_signed_checkpoint(
        world: World) -> None:
    log = _log_with_checkpoint(world)
    with world.uow() as uow:
        size = uow.events.heads()[log]
    _unlock(world.app)
    with world.app.engine.begin() as connection:
        connection.execute(text("DELETE FROM events WHERE log = :log AND seq > :keep"),
                           {"log": log, "keep": size - 2})
    _rewrite_everything(world.app, log)

    [(where, seq, message)] = _problems(world)

    assert (where, seq) == (log, size - 1)
    assert f"a checkpoint was signed at size {size}" in message and "(deleted)" in message


def test_two_reordered_rows_are_named(world: World) -> None:
    log = _log_with_checkpoint(world)
    _unlock(world.app)
    with world.app.engine.begin() as connection:
        for a, b in ((2, -1), (3, 2), (-1, 3)):
            connection.execute(text("UPDATE events SET seq = :b WHERE log = :log AND seq = :a"),
                               {"a": a, "b": b, "log": log})

    assert _problems(world)[0][:2] == (log, 2)


def test_corrupt_json_is_reported_not_raised_and_the_cli_exits_non_zero(
        world: World, tmp_path: Path) -> None:
    log = _log_with_checkpoint(world)
    _unlock(world.app)
    with world.app.engine.begin() as connection:
        connection.execute(text("UPDATE events SET data = '{not json' WHERE log = :log AND seq = 4"),
                           {"log": log})

    assert _problems(world) == [(log, 4, "its data is not valid JSON (corrupt)")]
    result = CliRunner().invoke(cli, ["audit", "verify"], env={
        "SHAREBOUND_DATA_DIR": str(world.app.settings.data_dir),
        "SHAREBOUND_DATABASE_URL": str(world.app.engine.url.render_as_string(hide_password=False))})
    assert result.exit_code == 1, result.output
    assert f"log {log}, event 4: its data is not valid JSON (corrupt)" in " ".join(result.output.split())


def test_a_node_or_leaf_of_the_tree_that_does_not_match_is_named(world: World) -> None:
    log = _log_with_checkpoint(world, count=8)
    with world.app.engine.begin() as connection:
        connection.execute(text("UPDATE log_nodes SET hash = :h WHERE log = :log AND level = 1 AND idx = 1"),
                           {"h": b"\x00" * 32, "log": log})
    [(where, seq, message)] = _problems(world)
    assert (where, seq) == (log, 3) and "node over events 3 to 4" in message

    with world.app.engine.begin() as connection:
        connection.execute(text("DELETE FROM log_nodes WHERE log = :log AND level = 0 AND idx = 4"),
                           {"log": log})
    assert _problems(world) == [(log, 5, "its leaf is missing from the tree")]


def test_a_checkpoint_not_signed_by_the_instance_key_is_named(world: World) -> None:
    log = _log_with_checkpoint(world)
    with world.app.engine.begin() as connection:
        note = connection.execute(text("SELECT note FROM log_checkpoints WHERE log = :log"),
                                  {"log": log}).scalar_one()
        body, _, line = note.partition("\n\n")
        forged = body + "\n\n" + line[:-10] + "AAAAAAAAA\n"
        connection.execute(text("UPDATE log_checkpoints SET note = :n WHERE log = :log"),
                           {"n": forged, "log": log})

    [(where, _, message)] = _problems(world)

    assert where == log and "is not signed by this instance's log key" in message


def test_events_from_before_the_tree_are_migrated_into_it_in_order(world: World) -> None:
    from alembic import command

    from sharebound.adapters.db import migrate

    log = _log_with_checkpoint(world)
    command.downgrade(migrate.alembic_config(world.app.engine), "0021_partner_signup")
    migrate.upgrade(world.app.engine)
    messages.post_message(world.uow(), world.grace.id, world.partnership.id, body="after")
    note = transparency.checkpoint(world.uow(), world.app.log_key, world.grace.id,
                                   ("partnership", world.partnership.id))

    assert _problems(world) == []
    with world.uow() as uow:
        size = uow.events.heads()[log]
        leaves = [h for _, h in uow.transparency.level(log, 0)]
    assert len(leaves) == size and note.splitlines()[1] == str(size)


def test_init_makes_the_log_key_readable_by_its_owner_only_and_says_so(tmp_path: Path) -> None:
    from sharebound.bootstrap import init
    from sharebound.config import Settings

    core = init(Settings(data_dir=tmp_path / "data", base_url="https://sharebound.example"))
    try:
        path = core.settings.log_key_file
        assert path.stat().st_mode & 0o777 == 0o600
        assert core.log_key.vkey.startswith("sharebound.example+")
        assert any(core.log_key.vkey in notice for notice in core.notices)
        again = init(Settings(data_dir=tmp_path / "data", base_url="https://sharebound.example"))
        assert again.log_key.vkey == core.log_key.vkey and not any(
            "log" in notice for notice in again.notices)
        again.close()
    finally:
        core.close()
