"""adapters/db/engine.py on PostgreSQL: a block that only reads sends no BEGIN or ROLLBACK, the
connection goes back to the pool with its transactions, and only a connection idle a while is
pinged before use."""

from __future__ import annotations

from collections.abc import Iterator

import psycopg
import pytest
from psycopg.pq import TransactionStatus
from sqlalchemy import Connection, Engine, text
from sqlalchemy.exc import OperationalError

from sharebound.adapters.db import engine as engines
from sharebound.adapters.db.engine import build_engine, statement_at_a_time
from tests.integration.world import World


@pytest.fixture
def postgres(request: pytest.FixtureRequest) -> Iterator[Engine]:
    url = request.getfixturevalue("database_url")
    if not url.startswith("postgresql"):
        pytest.skip("PostgreSQL's round trips; SQLite keeps its transactions")
    engine = build_engine(url, pool_size=1, max_overflow=0)  # why one: the same connection again
    yield engine
    engine.dispose()


def _pid(engine: Engine) -> int:
    with engine.connect() as connection:
        return int(connection.exec_driver_sql("SELECT pg_backend_pid()").scalar_one())


def _kill(engine: Engine, pid: int) -> None:
    """End the server side of connection `pid`, as a server restart would."""
    admin = build_engine(engine.url.render_as_string(hide_password=False))
    try:
        with admin.connect() as other:
            other.exec_driver_sql(f"SELECT pg_terminate_backend({pid})")
            other.commit()
    finally:
        admin.dispose()


def _in_transaction(connection: Connection) -> bool:
    """Whether the server holds a transaction open for `connection` after its last statement."""
    dbapi = connection.connection.dbapi_connection
    assert isinstance(dbapi, psycopg.Connection)
    return dbapi.info.transaction_status is not TransactionStatus.IDLE


def test_a_block_that_reads_runs_without_a_transaction_and_the_next_block_has_one(
        world: World, postgres: Engine) -> None:
    with postgres.connect() as reading:
        statement_at_a_time(reading)
        reading.begin()
        reading.exec_driver_sql("SELECT 1")
        assert not _in_transaction(reading)
        first = reading.connection.dbapi_connection
        reading.rollback()

    with postgres.connect() as writing, writing.begin():
        assert writing.connection.dbapi_connection is first  # the same connection, from the pool
        writing.execute(text("CREATE TEMPORARY TABLE undone (x int)"))
        assert _in_transaction(writing)
        writing.rollback()
    with postgres.connect() as after:
        assert after.exec_driver_sql("SELECT to_regclass('pg_temp.undone') IS NULL").scalar_one()


def test_a_use_case_that_only_reads_sends_no_begin(world: World) -> None:
    if world.app.engine.dialect.name != "postgresql":
        pytest.skip("SQLite's readers hold one snapshot inside BEGIN")
    uow = world.uow()
    with uow.reading():
        assert uow.orgs.get_person(world.alice.id) == world.alice
        assert not _in_transaction(uow.orgs.connection)
    with uow:
        assert uow.orgs.get_person(world.alice.id) == world.alice
        assert _in_transaction(uow.orgs.connection)


def test_a_connection_idle_a_while_is_pinged_and_replaced_when_its_server_side_is_gone(
        world: World, postgres: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    first = _pid(postgres)
    _kill(postgres, first)
    monkeypatch.setattr(engines, "PING_AFTER_IDLE_S", 0.0)

    second = _pid(postgres)  # the ping failed: the pool made a new connection, nothing raised

    assert second != first


def test_a_connection_in_steady_use_is_not_pinged_and_a_dead_one_fails_once(
        world: World, postgres: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(engines, "PING_AFTER_IDLE_S", 3600.0)
    first = _pid(postgres)
    _kill(postgres, first)

    with pytest.raises(OperationalError), postgres.connect() as connection:
        connection.exec_driver_sql("SELECT 1")

    assert _pid(postgres) != first  # the failure discarded it; the next use has a new one


def test_every_connection_plans_each_execution_for_its_values(world: World, postgres: Engine) -> None:
    """A statement the driver prepared is planned for its values each time, never with the
    generic plan (the search's was twice as slow)."""
    with postgres.connect() as connection:
        assert not _in_transaction(connection)  # setting it left no transaction open
        assert connection.exec_driver_sql("SHOW plan_cache_mode").scalar_one() == "force_custom_plan"
