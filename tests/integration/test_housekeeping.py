"""Housekeeping: old sign-in failures, long-gone sessions, old form claims and idempotency keys
are deleted by the worker's pass; what still serves (the rate limit's window, live sessions,
recent forms) stays."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import Table, func, select

from sharebound.adapters.db.tables import form_submissions, idempotency_keys, login_failures, web_sessions
from sharebound.domain.auth import SessionRecord
from sharebound.domain.idempotency import KeyScope
from sharebound.services import housekeeping, idempotency
from sharebound.services.worker import run_pass
from tests.conftest import FakeClock
from tests.integration.world import World


def _count(world: World, table: Table) -> int:
    with world.app.engine.connect() as connection:
        return int(connection.execute(select(func.count()).select_from(table)).scalar_one())


def test_old_rows_go_and_recent_ones_stay(world: World, clock: FakeClock) -> None:
    with world.uow() as uow:
        now = uow.clock()
        uow.auth.record_failure("account:old@acme.example", now - timedelta(days=2))
        uow.auth.record_failure("account:new@acme.example", now - timedelta(minutes=5))
        uow.auth.claim_form("form-old-0123456", world.alice.id, now - timedelta(days=2))
        uow.auth.claim_form("form-new-0123456", world.alice.id, now - timedelta(minutes=5))
        uow.commit()

    deleted = housekeeping.prune(world.uow())

    assert deleted == 2
    assert _count(world, login_failures) == 1 and _count(world, form_submissions) == 1
    with world.uow() as uow:
        assert uow.auth.form_claim("form-new-0123456") is not None
        assert uow.auth.failures_since("account:new@acme.example", now - timedelta(hours=1)) == 1


def test_sessions_go_a_week_after_they_expired_or_ended_and_live_ones_stay(
        world: World, clock: FakeClock) -> None:
    with world.uow() as uow:
        now = uow.clock()
        for name, expires, ended in (
                ("expired", now - timedelta(days=8), None),
                ("ended", now + timedelta(hours=1), now - timedelta(days=8)),
                ("recently-ended", now + timedelta(hours=1), now - timedelta(days=1)),
                ("live", now + timedelta(hours=1), None)):
            uow.auth.add_session(SessionRecord(id=f"ses_{name}", person_id=world.alice.id, csrf="c" * 64,
                                               created_at=now - timedelta(days=9), expires_at=expires,
                                               ended_at=None), token_hash=name.ljust(64, "0"))
            if ended is not None:
                uow.auth.end_session(f"ses_{name}", ended)
        uow.commit()

    report = run_pass(world.app, "test-worker")

    assert report.pruned == 2
    with world.app.engine.connect() as connection:
        left = set(connection.execute(select(web_sessions.c.id)).scalars())
    assert left == {"ses_recently-ended", "ses_live"}


def test_idempotency_keys_are_kept_a_day_then_deleted_by_the_worker(world: World, clock: FakeClock) -> None:
    old = KeyScope(world.alice.id, "POST", "/api/v1/items", "old")
    idempotency.begin(world.uow(), old, "idk_old")
    idempotency.complete(world.uow(), old, "idk_old", fingerprint="0" * 64, status=201,
                         headers=[("content-type", "application/json")], body=b"{}")
    clock.advance(hours=23)
    idempotency.begin(world.uow(), KeyScope(world.alice.id, "POST", "/api/v1/items", "new"), "idk_new")

    kept_at_23_hours = run_pass(world.app, "w").pruned
    clock.advance(hours=1, seconds=1)
    run_pass(world.app, "w")

    assert kept_at_23_hours == 0
    with world.app.engine.connect() as connection:
        assert [r.key for r in connection.execute(select(idempotency_keys.c.key))] == ["new"]
