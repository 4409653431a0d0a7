"""The matrix world, built once per database kind and restored for each test.

Building the world takes ~30 commits through the use cases; the matrix has some 1,400 tests.
So a worker builds it once per database kind and each test starts from a copy: the SQLite
file as it was, or (PostgreSQL) the rows of every table put back into the emptied database.
The data folder (blobs and the key-encryption key) is copied too, so the sealed blobs open.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, Integer, insert, make_url, select

from sharebound.adapters.db.engine import build_engine
from sharebound.adapters.db.tables import metadata
from sharebound.bootstrap import App
from tests.conftest import FakeClock, build_test_app, empty_postgres
from tests.e2e.matrix_world import MatrixWorld, build_matrix_world


@dataclass(frozen=True)
class Pristine:
    data_dir: Path
    world: MatrixWorld
    sqlite_file: Path | None  # the world's SQLite database as built
    rows: dict[str, list[dict[str, Any]]]  # PostgreSQL: every table's rows as built


def build_pristine(database_url: str, folder: Path) -> Pristine:
    """Build the world on `database_url` (emptied first) with its data folder in `folder`."""
    sqlite_file = _sqlite_path(database_url)
    if sqlite_file is not None:
        copy = folder / "world.db"
        shutil.copy(sqlite_file, copy)  # the test's empty, migrated database: build on a copy
        database_url = f"sqlite:///{copy}"
    app = build_test_app(database_url, folder / "data", FakeClock(), empty=True)
    try:
        world = build_matrix_world(app)
        rows = {} if sqlite_file is not None else _rows_of(app.engine)
    finally:
        app.close()
    return Pristine(data_dir=folder / "data", world=world,
                    sqlite_file=folder / "world.db" if sqlite_file is not None else None, rows=rows)


def restore(pristine: Pristine, database_url: str, data_dir: Path, clock: FakeClock) -> App:
    """The application on `database_url` and `data_dir`, holding the pristine world."""
    shutil.copytree(pristine.data_dir, data_dir)
    target = _sqlite_path(database_url)
    if target is not None:
        assert pristine.sqlite_file is not None
        shutil.copy(pristine.sqlite_file, target)
        return build_test_app(database_url, data_dir, clock, empty=False)
    engine = build_engine(database_url)
    try:
        _put_back(engine, pristine.rows)
    finally:
        engine.dispose()
    return build_test_app(database_url, data_dir, clock, empty=False)


def world_on(pristine: Pristine, app: App) -> MatrixWorld:
    return replace(pristine.world, app=app)


def _sqlite_path(database_url: str) -> Path | None:
    url = make_url(database_url)
    return Path(url.database) if url.get_backend_name() == "sqlite" and url.database else None


def _rows_of(engine: Engine) -> dict[str, list[dict[str, Any]]]:
    with engine.connect() as connection:
        return {table.name: [dict(row._mapping) for row in connection.execute(select(table))]
                for table in metadata.sorted_tables}


def _put_back(engine: Engine, rows: dict[str, list[dict[str, Any]]]) -> None:
    """Insert the rows (the database is empty), then move each serial column's sequence past them."""
    empty_postgres(engine)
    with engine.begin() as connection:
        connection.exec_driver_sql("SET LOCAL session_replication_role = replica")
        for table in metadata.sorted_tables:
            if rows[table.name]:
                connection.execute(insert(table), rows[table.name])
        for table in metadata.sorted_tables:
            for column in table.primary_key.columns:
                if column.autoincrement in (True, "auto") and isinstance(column.type, Integer):
                    connection.exec_driver_sql(
                        f"SELECT setval(pg_get_serial_sequence('{table.name}', '{column.name}'), "
                        f"COALESCE(MAX({column.name}), 0) + 1, false) FROM {table.name}")
