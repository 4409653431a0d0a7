"""The worker signs the transparency logs' checkpoints as they grow (docs/transparency-log.md)."""

from __future__ import annotations

from sharebound.services.worker import run_pass
from tests.integration.world import World


def test_a_worker_pass_signs_a_checkpoint_of_every_log_that_grew_and_no_more(world: World) -> None:
    world.signed()  # events in the partnership's log and in each org's
    with world.uow() as uow:
        grown = uow.transparency.grown_logs()
    assert any(log.startswith("partnership:") for log in grown)

    report = run_pass(world.app, "test-worker")

    assert report.checkpoints == len(grown)
    with world.uow() as uow:
        assert uow.transparency.grown_logs() == []
        for log in grown:
            latest, head = uow.transparency.latest_checkpoint(log), uow.transparency.head(log)
            assert latest is not None and head is not None and latest.size == head[0], log
    assert run_pass(world.app, "test-worker").checkpoints == 0  # nothing grew since
