"""Shared fixtures: a real database per test on SQLite and, where configured, PostgreSQL.

SQLite: every test gets a copy of a database migrated once per session.
PostgreSQL (SHAREBOUND_TEST_POSTGRES_URL): every pytest worker creates its own database,
migrates it once, and every test starts from empty tables, so runs never collide.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, make_url, text

from sharebound.adapters.db import migrate
from sharebound.adapters.db.engine import build_engine
from sharebound.adapters.db.tables import metadata, queue_metadata
from sharebound.adapters.keys import KeyRing
from sharebound.bootstrap import App, build_blobs, load_kek
from sharebound.config import Settings
from tests.factories import CHEAP_PASSWORDS, NOW
from tests.s3_server import s3_bucket, s3_endpoint, s3_env  # noqa: F401 (fixtures)

POSTGRES_URL = os.environ.get("SHAREBOUND_TEST_POSTGRES_URL")
# why: webhook tests post to a receiver on loopback and register names under .example, which
# must never be resolved (no DNS traffic from tests); the operator's allowance covers both
TEST_WEBHOOK_ALLOW = "127.0.0.1, ::1, *.example"
BACKENDS = ["sqlite", *(["postgres"] if POSTGRES_URL else [])]


def pytest_configure(config: pytest.Config) -> None:
    if os.environ.get("CI") == "true" and not POSTGRES_URL:
        raise pytest.UsageError("CI needs SHAREBOUND_TEST_POSTGRES_URL: PostgreSQL is required there")


class FakeClock:
    """A clock the test moves by hand."""

    def __init__(self, now: datetime = NOW) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> datetime:
        self.now += timedelta(**delta)
        return self.now


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "sharebound.db"
    engine = build_engine(f"sqlite:///{path}")
    migrate.upgrade(engine)
    engine.dispose()
    return path


@pytest.fixture(scope="session")
def postgres_database() -> Iterator[str]:
    """A database of this worker's own, migrated once; dropped at the end."""
    assert POSTGRES_URL
    admin_url = make_url(POSTGRES_URL).set(drivername="postgresql+psycopg")
    name = f"sharebound_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as error:  # CI must fail loudly when PostgreSQL is unreachable
        pytest.fail(f"PostgreSQL at {POSTGRES_URL} is unreachable: {error}")
    url = admin_url.set(database=name).render_as_string(hide_password=False)
    engine = build_engine(url)
    migrate.upgrade(engine)
    engine.dispose()
    yield url
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def empty_postgres(engine: Engine) -> None:
    """Empty every table and restart its sequences, as TRUNCATE ... RESTART IDENTITY would.

    why not TRUNCATE: it makes new files for all ~80 tables, about a second per test; DELETE on
    the few rows a test leaves takes milliseconds. Triggers (the audit log refuses DELETE) and
    foreign keys are off for this one transaction (session_replication_role; the test server
    connects as a superuser), so the order does not matter.
    """
    deletes = " ".join(f'DELETE FROM {f"{t.schema}." if t.schema else ""}"{t.name}";'
                       for t in [*metadata.sorted_tables, *queue_metadata.sorted_tables])
    with engine.begin() as connection:
        sequences = connection.exec_driver_sql(
            "SELECT quote_ident(sequencename) FROM pg_sequences WHERE schemaname = 'public'").scalars()
        restarts = " ".join(f"ALTER SEQUENCE {name} RESTART;" for name in sequences)
        connection.exec_driver_sql(f"SET LOCAL session_replication_role = replica; {deletes} {restarts}")


@pytest.fixture(params=BACKENDS)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        path = tmp_path / "sharebound.db"
        shutil.copy(request.getfixturevalue("sqlite_template"), path)
        return f"sqlite:///{path}"
    return str(request.getfixturevalue("postgres_database"))


@pytest.fixture
def blob_store(request: pytest.FixtureRequest) -> dict[str, str]:
    """The blob store settings of `app`: the data folder's unless a test asks for
    `@pytest.mark.parametrize("blob_store", ["local", "s3"], indirect=True)`."""
    if getattr(request, "param", "local") == "local":
        return {}
    return {"blob_url": request.getfixturevalue("s3_bucket"),
            "s3_endpoint_url": request.getfixturevalue("s3_env")}


@pytest.fixture
def app(database_url: str, tmp_path: Path, clock: FakeClock, blob_store: dict[str, str]) -> Iterator[App]:
    """The whole application on a real, empty, migrated database, with a hand-moved clock."""
    built = build_test_app(database_url, tmp_path / "data", clock, empty=True, blob_store=blob_store)
    yield built
    built.close()


def build_test_app(database_url: str, data_dir: Path, clock: FakeClock, *, empty: bool,
                   blob_store: dict[str, str] | None = None) -> App:
    """The application as the tests build it; `empty` empties a PostgreSQL database first;
    `blob_store` holds the blob store's settings (none: the data folder's)."""
    settings = Settings(data_dir=data_dir, database_url=database_url,
                        webhook_allow=TEST_WEBHOOK_ALLOW, **(blob_store or {}))
    engine = build_engine(database_url)
    if empty and engine.dialect.name == "postgresql":
        empty_postgres(engine)
    ring = KeyRing(engine, load_kek(settings), clock)
    ring.ensure()
    return App(settings=settings, engine=engine, blobs=build_blobs(settings, ring),
               clock=clock, keys=ring, passwords=CHEAP_PASSWORDS)
