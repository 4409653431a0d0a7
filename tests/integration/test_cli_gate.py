"""`sharebound gate reindex`, run in process against a real data folder (SQLite)."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic import command
from typer.testing import CliRunner

from sharebound import bootstrap
from sharebound.adapters.db import migrate
from sharebound.cli import app
from sharebound.config import Settings
from sharebound.domain.copies import fingerprints
from sharebound.domain.gate import Page
from sharebound.domain.orgs import Person
from sharebound.services import items, orgs

runner = CliRunner()
JEWEL = " ".join(f"word{i}" for i in range(30))  # 30 words: 23 shingles


def _acme(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[bootstrap.App, Person]:
    """A data folder the CLI also uses, holding acme and its admin alice."""
    monkeypatch.setenv("SHAREBOUND_DATA_DIR", str(tmp_path / "var"))
    monkeypatch.delenv("SHAREBOUND_DATABASE_URL", raising=False)
    built = bootstrap.init(Settings())
    _, alice = orgs.create_org(built.uow(), handle="acme", name="Acme", admin_name="Alice",
                               admin_email="alice@acme.example")
    return built, alice


def test_gate_reindex_rebuilds_the_fingerprints_of_restricted_items(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    built, alice = _acme(tmp_path, monkeypatch)
    jewel = items.add_item(built.uow(), alice.id, title="Jewel", classification="restricted",
                           topics=[], content=JEWEL.encode())
    with built.uow() as uow:  # as if the item predated the gate
        uow.gate.remove_fingerprints(jewel.id)
        uow.commit()

    result = runner.invoke(app, ["gate", "reindex"])

    assert result.exit_code == 0, result.output
    assert "reindexed 1 restricted items: 23 fingerprints" in result.output
    with built.uow() as uow:
        assert uow.gate.fingerprint_count("acme") == 23
    built.close()


def test_init_on_the_upgrade_that_adds_the_gate_fingerprints_the_restricted_items(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    built, alice = _acme(tmp_path, monkeypatch)
    for title in ("Old", "Older"):
        items.add_item(built.uow(), alice.id, title=title, classification="restricted",
                       topics=[], content=f"{title} {JEWEL}".encode())
    # as if the items predated the gate: the schema from before it, its tables gone
    command.downgrade(migrate.alembic_config(built.engine), "0005")

    result = runner.invoke(app, ["init"])

    assert result.exit_code == 0, result.output
    with built.uow() as uow:
        assert uow.gate.fingerprint_count("acme") == 2 * 24  # 31 words each: 24 shingles
    built.close()


def test_init_on_the_upgrade_that_changes_the_fingerprint_function_recomputes_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    built, alice = _acme(tmp_path, monkeypatch)
    jewel = items.add_item(built.uow(), alice.id, title="Jewel", classification="restricted",
                           topics=[], content=JEWEL.encode())
    command.downgrade(migrate.alembic_config(built.engine), "0027_folders")
    with built.uow() as uow:  # as if stored by version 1 of the fingerprint function
        uow.gate.set_fingerprints("acme", jewel.id, 1, range(1, 24))
        uow.commit()

    result = runner.invoke(app, ["init"])

    assert result.exit_code == 0, result.output
    with built.uow() as uow:
        assert uow.gate.fingerprint_count("acme") == 23
        assert set(uow.gate.owners_of("acme", fingerprints([Page(JEWEL)]))) == fingerprints([Page(JEWEL)])
        assert uow.gate.owners_of("acme", range(1, 24)) == {}
    built.close()


def test_a_start_that_died_before_the_fingerprints_were_rebuilt_rebuilds_them_on_the_next(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    built, alice = _acme(tmp_path, monkeypatch)
    items.add_item(built.uow(), alice.id, title="Jewel", classification="restricted",
                   topics=[], content=JEWEL.encode())
    command.downgrade(migrate.alembic_config(built.engine), "0030_access_queue")
    migrate.upgrade(built.engine)  # the upgrade ran, then the process died before the rebuild
    with built.uow() as uow:
        assert uow.gate.fingerprint_count("acme") == 0 and uow.gate.rebuild_pending("fingerprints")

    first = runner.invoke(app, ["init"])
    second = runner.invoke(app, ["init"])

    assert first.exit_code == second.exit_code == 0, (first.output, second.output)
    with built.uow() as uow:
        assert uow.gate.fingerprint_count("acme") == 23
        assert not uow.gate.rebuild_pending("fingerprints")
    built.close()


def test_init_on_an_up_to_date_database_reads_no_item_gate_reindex_is_the_repair(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    built, alice = _acme(tmp_path, monkeypatch)
    jewel = items.add_item(built.uow(), alice.id, title="Jewel", classification="restricted",
                           topics=[], content=JEWEL.encode())
    with built.uow() as uow:
        uow.gate.remove_fingerprints(jewel.id)
        uow.commit()

    result = runner.invoke(app, ["init"])

    assert result.exit_code == 0, result.output
    with built.uow() as uow:
        assert uow.gate.fingerprint_count("acme") == 0
    built.close()
