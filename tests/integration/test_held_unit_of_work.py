"""`uow.held()`: the blocks of a page POST (form claim, use case, where the form led) write in
one transaction, each block still keeping or undoing its own work as a transaction would."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import event

from sharebound.adapters.db.engine import READ_ONLY
from sharebound.services import forms
from tests.integration.world import World

FIRST, SECOND = "form-first-0123456", "form-second-012345"


def _claimed(world: World, form_id: str) -> str | None:
    with world.uow().reading() as uow:
        found = uow.auth.form_claim(form_id)
    return None if found is None else found.result


def test_blocks_held_together_write_in_one_transaction(world: World) -> None:
    begins: list[bool] = []

    def on_begin(connection: Any) -> None:
        begins.append(bool(connection.info.get(READ_ONLY, False)))

    uow = world.uow()
    event.listen(world.app.engine, "begin", on_begin)
    try:
        with uow.held():
            with uow.reading():  # a read before the first write keeps its own read transaction
                uow.auth.form_claim(FIRST)
            assert forms.claim_form(uow, world.alice.id, FIRST) is None
            forms.finish_form(uow, FIRST, "/done")
    finally:
        event.remove(world.app.engine, "begin", on_begin)

    assert begins == [True, False]
    assert _claimed(world, FIRST) == "/done"


def test_a_block_that_fails_inside_held_undoes_only_its_own_writes(world: World) -> None:
    uow = world.uow()
    with uow.held():
        forms.claim_form(uow, world.alice.id, FIRST)
        with pytest.raises(ValueError), uow:
            uow.auth.claim_form(SECOND, world.alice.id, uow.clock())
            raise ValueError("the use case failed half-way")
        forms.finish_form(uow, FIRST, "/failed")

    assert _claimed(world, FIRST) == "/failed"
    assert _claimed(world, SECOND) is None


def test_what_a_block_committed_sticks_when_held_ends_with_an_error(world: World) -> None:
    uow = world.uow()
    # the shape of a refusal: its event committed, then Refused raised out of the route
    with pytest.raises(ValueError), uow.held(), uow:
        uow.auth.claim_form(FIRST, world.alice.id, uow.clock())
        uow.commit()
        uow.auth.claim_form(SECOND, world.alice.id, uow.clock())
        raise ValueError("refused")

    assert _claimed(world, FIRST) == ""
    assert _claimed(world, SECOND) is None


def test_a_block_outside_held_still_may_not_open_inside_another(world: World) -> None:
    uow = world.uow()
    with uow, pytest.raises(RuntimeError), uow:
        pass


def test_the_signed_in_person_serves_reads_only_until_the_request_writes(world: World) -> None:
    """`remember_signed_in`: a transaction that only reads takes the person authentication
    read; one that writes reads them itself, and after a commit nobody takes it."""
    uow = world.uow()
    uow.remember_signed_in(world.alice)

    with uow.reading():
        assert uow.signed_in(world.alice.id) is world.alice
        assert uow.signed_in(world.mia.id) is None
    with uow:
        assert uow.signed_in(world.alice.id) is None
        uow.commit()
    with uow.reading():
        assert uow.signed_in(world.alice.id) is None
