"""Where the access queue's SQLite file goes: beside the database, whatever form its URL takes,
and in memory only beside a database in memory (never for a file, or acknowledged views of a
note would live in one connection's memory and be lost)."""

from __future__ import annotations

import pytest

from sharebound.adapters.db.engine import queue_file


@pytest.mark.parametrize(("database", "expected"), [
    ("/srv/sharebound/sharebound.db", "/srv/sharebound/sharebound.db-accesses"),
    ("relative.db", "relative.db-accesses"),
    ("file:/srv/db.sqlite?uri=true", "/srv/db.sqlite-accesses"),
    ("file:///srv/db.sqlite", "/srv/db.sqlite-accesses"),
    ("file://localhost/srv/db.sqlite?mode=rwc", "/srv/db.sqlite-accesses"),
    ("file:/srv/my%20data/db.sqlite", "/srv/my data/db.sqlite-accesses"),
    ("file:relative.db?cache=shared", "relative.db-accesses"),
    (":memory:", ":memory:"),
    (None, ":memory:"),
    ("file::memory:?cache=shared", ":memory:"),
    ("file:shared?mode=memory&cache=shared", ":memory:"),
])
def test_the_queue_file_sits_beside_the_database_and_in_memory_only_beside_memory(
    database: str | None, expected: str
) -> None:
    assert queue_file(database) == expected
