"""Agreements read again on PostgreSQL come from the process's assembled agreements only while
their stored rows are unchanged (repositories/agreements.py `_FINGERPRINT`): a row appended or
altered in place is read, and checked, again."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import event, update

from sharebound.adapters.db.tables import agreement_versions, signatures
from sharebound.domain.errors import DamagedRecord
from sharebound.services import agreements
from tests.integration.world import World


@pytest.fixture
def postgres_world(world: World) -> World:
    if world.app.engine.dialect.name != "postgresql":
        pytest.skip("the fingerprint is PostgreSQL's row versions; SQLite reads every time")
    return world


def _reads_of_versions(world: World, agreement_id: str) -> int:
    seen: list[str] = []

    def count(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        seen.append(statement)

    event.listen(world.app.engine, "before_cursor_execute", count)
    try:
        agreements.get_agreement(world.uow(), world.alice.id, agreement_id)
    finally:
        event.remove(world.app.engine, "before_cursor_execute", count)
    return sum(1 for s in seen if s.lstrip().startswith("SELECT agreement_versions."))


def test_an_unchanged_agreement_is_read_whole_once(postgres_world: World) -> None:
    agreement = postgres_world.signed()

    first = _reads_of_versions(postgres_world, agreement.id)
    again = _reads_of_versions(postgres_world, agreement.id)

    assert (first, again) in ((0, 0), (1, 0))  # signing may already have read it whole
    assert agreements.get_agreement(postgres_world.uow(), postgres_world.alice.id, agreement.id) == agreement


def test_a_version_altered_after_it_was_read_is_refused_on_the_next_read(postgres_world: World) -> None:
    agreement = postgres_world.signed()
    agreements.get_agreement(postgres_world.uow(), postgres_world.alice.id, agreement.id)
    tampered = (agreement.current.document or b"").replace(b"Delaware", b"Nevada")
    with postgres_world.app.engine.begin() as connection:
        connection.execute(update(agreement_versions).values(document=tampered))

    with pytest.raises(DamagedRecord):
        agreements.get_agreement(postgres_world.uow(), postgres_world.alice.id, agreement.id)


def test_a_signature_changed_or_added_after_a_read_is_what_the_next_read_shows(
        postgres_world: World) -> None:
    agreement = postgres_world.draft()
    agreements.get_agreement(postgres_world.uow(), postgres_world.alice.id, agreement.id)
    signed = postgres_world.signed()  # a second agreement, signed: its signatures appended
    with postgres_world.app.engine.begin() as connection:
        connection.execute(update(signatures).where(signatures.c.agreement_id == signed.id)
                           .values(title="Changed"))

    read = agreements.get_agreement(postgres_world.uow(), postgres_world.alice.id, signed.id)

    assert len(read.signatures) == 2
    assert {s.title for s in read.signatures} == {"Changed"}
