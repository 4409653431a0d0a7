"""Building engines: SQLite tuned for safe embedded use, PostgreSQL as it comes."""

from __future__ import annotations

import time
from typing import Any
from urllib.parse import unquote

from sqlalchemy import Connection, Engine, create_engine, event, exc
from sqlalchemy.engine import make_url

#: Set in a connection's `info` before it begins, for a transaction that only reads.
READ_ONLY = "sharebound_read_only"
#: Set likewise for a transaction that only appends to the access queue (adapters/db/
#: repositories/accesses.py): on SQLite it takes no lock on the main database either.
QUEUE_ONLY = "sharebound_queue_only"

#: On SQLite the access queue lives in a database file of its own beside the main one,
#: attached to every connection under this name, so that appending to it never waits for the
#: main database's write lock (SQLite locks each database file apart). On PostgreSQL it is a
#: schema of the same name (migration 0028), where rows never wait on each other anyway.
QUEUE_SCHEMA = "accesses"
QUEUE_SUFFIX = "-accesses"  # why: beside the database, as SQLite's own -wal and -shm files are

#: A pooled PostgreSQL connection idle longer than this is pinged before it is used again.
PING_AFTER_IDLE_S = 10.0


def queue_file(database: str | None) -> str:
    """The SQLite file of the access queue beside `database`, a path or a `file:` URI (in
    memory beside a database in memory)."""
    if not database or database == ":memory:":
        return ":memory:"
    if database.startswith("file:"):  # RFC 8089 as SQLite reads it: file:/p, file:///p, file://localhost/p
        path, _, query = database.removeprefix("file:").partition("?")
        path = unquote(path.removeprefix("//localhost") if path.startswith("//localhost/")
                       else path.removeprefix("//") if path.startswith("///") else path)
        if not path or path == ":memory:" or "mode=memory" in query.split("&"):
            return ":memory:"
        return path + QUEUE_SUFFIX
    return database + QUEUE_SUFFIX


def build_engine(url: str, *, sqlite_busy_timeout_ms: int = 5000, **kwargs: Any) -> Engine:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        return _sqlite_engine(url, sqlite_busy_timeout_ms, **kwargs)
    if parsed.get_backend_name() == "postgresql" and parsed.drivername == "postgresql":
        url = parsed.set(drivername="postgresql+psycopg").render_as_string(hide_password=False)
    engine = create_engine(url, **kwargs)
    if engine.dialect.name == "postgresql":
        _ping_when_idle(engine)
        event.listen(engine, "connect", _plan_each_execution)
    return engine


def _plan_each_execution(dbapi_connection: Any, _record: Any) -> None:
    """Plan every execution of a prepared statement for its values (`plan_cache_mode`).

    why: the driver prepares a statement it has run five times, and PostgreSQL may then switch
    to a generic plan made without the values; for the search (which words, whose documents)
    that plan was twice as slow at a million disclosures (p50 33 -> 60 ms). A custom plan is
    what an unprepared statement gets; preparing still saves parsing it again."""
    autocommit = dbapi_connection.autocommit
    dbapi_connection.autocommit = True
    try:
        dbapi_connection.execute("SET plan_cache_mode = force_custom_plan")
    finally:
        dbapi_connection.autocommit = autocommit


def _ping_when_idle(engine: Engine) -> None:
    """Ping a pooled connection before use only when it has been idle a while
    (`PING_AFTER_IDLE_S`), instead of before every use (`pool_pre_ping`: a round trip per
    transaction). A connection that fails the ping is replaced, as with `pool_pre_ping`. One
    in steady use is not pinged: if the server restarts meanwhile, the first statement on it
    fails and SQLAlchemy discards every connection of the pool older than that failure."""

    @event.listens_for(engine, "checkin")
    def on_checkin(_dbapi_connection: Any, record: Any) -> None:
        record.info["idle_since"] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def on_checkout(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
        idle_since = record.info.pop("idle_since", None)
        if idle_since is None or time.monotonic() - idle_since < PING_AFTER_IDLE_S:
            return
        try:
            engine.dialect.do_ping(dbapi_connection)
        except Exception as failed:  # why broad: whatever broke it, the pool makes a new one
            raise exc.DisconnectionError(f"a pooled connection failed its ping: {failed}") from failed


def statement_at_a_time(connection: Connection) -> None:
    """On PostgreSQL, `connection` runs each statement as a transaction of its own (the
    driver's autocommit) until it goes back to the pool: for a block that only reads, or that
    writes with one statement. Under READ COMMITTED, PostgreSQL's default, each statement of
    a transaction reads a snapshot of its own anyway, so a block that only reads sees what it
    would see between BEGIN and ROLLBACK, without those two round trips. SQLite keeps its
    transactions: there a reader's BEGIN holds one snapshot for the whole block."""
    if connection.dialect.name == "postgresql":
        connection.execution_options(isolation_level="AUTOCOMMIT")


def _sqlite_engine(url: str, busy_timeout_ms: int, **kwargs: Any) -> Engine:
    engine = create_engine(url, **kwargs)
    side = queue_file(make_url(url).database)

    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection: Any, _record: Any) -> None:
        # why: we issue BEGIN ourselves, so that every transaction takes the write lock up
        # front (BEGIN IMMEDIATE) instead of failing when a reader later tries to write.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = FULL")  # why: an acknowledged commit survives power loss
        cursor.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
        cursor.execute(f"ATTACH DATABASE ? AS {QUEUE_SCHEMA}", (side,))
        cursor.execute(f"PRAGMA {QUEUE_SCHEMA}.journal_mode = WAL")
        cursor.execute(f"PRAGMA {QUEUE_SCHEMA}.synchronous = FULL")  # why: as the main database
        # why here, not in a migration: the file is made on first use (and again if removed);
        # it holds only accesses on their way into the main database (services/accesses.py)
        cursor.execute(QUEUE_DDL)
        cursor.close()

    @event.listens_for(engine, "begin")
    def on_begin(connection: Any) -> None:
        # A reader takes no lock up front, so readers never wait for each other or a writer.
        reading = connection.info.get(READ_ONLY, False) or connection.info.get(QUEUE_ONLY, False)
        connection.exec_driver_sql("BEGIN" if reading else "BEGIN IMMEDIATE")

    return engine


#: The access queue's table on SQLite (tables/disclosures.py `access_queue`, in the side file).
QUEUE_DDL = (
    f"CREATE TABLE IF NOT EXISTS {QUEUE_SCHEMA}.access_queue ("
    "seq INTEGER PRIMARY KEY AUTOINCREMENT, access_id VARCHAR(40) NOT NULL UNIQUE, "
    "disclosure_id VARCHAR(40) NOT NULL, partnership_id VARCHAR(40) NOT NULL, "
    "person_id VARCHAR(40) NOT NULL, action VARCHAR(20) NOT NULL, at DATETIME NOT NULL)"
)
