"""The migrations are the schema: they must build exactly what tables.py describes."""

from __future__ import annotations

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect

from sharebound.adapters.db import migrate
from sharebound.adapters.db.tables import metadata
from sharebound.bootstrap import App


def test_migrations_build_exactly_the_tables_the_code_describes(app: App) -> None:
    with app.engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), metadata)

    assert differences == []


def test_the_database_is_at_the_newest_migration(app: App) -> None:
    assert migrate.current_revision(app.engine) == migrate.head_revision(app.engine)


def test_migrations_downgrade_to_nothing_and_upgrade_again(app: App) -> None:
    config = migrate.alembic_config(app.engine)

    command.downgrade(config, "base")
    empty = set(inspect(app.engine).get_table_names()) - {"alembic_version"}
    migrate.upgrade(app.engine)

    assert empty == set()
    assert set(metadata.tables) <= set(inspect(app.engine).get_table_names())
