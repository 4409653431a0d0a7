"""Running the Alembic migrations: the only way the schema is created or changed."""

from __future__ import annotations

from collections.abc import MutableMapping
from pathlib import Path
from typing import Literal

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

from sharebound.adapters.db.tables.search import (
    DIALECT_ONLY_COLUMNS,
    DIALECT_ONLY_INDEXES,
    DIALECT_ONLY_TABLES,
)

NameType = Literal["schema", "table", "column", "index", "unique_constraint", "foreign_key_constraint",
                   "check_constraint"]
NameParent = Literal["schema_name", "table_name", "schema_qualified_table_name"]
MIGRATIONS = Path(__file__).parent / "migrations"


def alembic_config(engine: Engine) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["engine"] = engine
    return config


def upgrade(engine: Engine, revision: str = "head") -> None:
    command.upgrade(alembic_config(engine), revision)


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def head_revision(engine: Engine) -> str | None:
    return ScriptDirectory.from_config(alembic_config(engine)).get_current_head()


def runs(engine: Engine, since: str | None, revision: str) -> bool:
    """Whether upgrading a database at `since` (None: an empty one) to head runs `revision`."""
    script = ScriptDirectory.from_config(alembic_config(engine))
    return any(r.revision == revision for r in script.iterate_revisions("heads", since or "base"))


def include_name(name: str | None, type_: NameType,
                 parent_names: MutableMapping[NameParent, str | None]) -> bool:
    """Whether the schema comparison (autogenerate, and tests/integration/test_schema.py)
    looks at this table, column or index: not at what one database's search index needs
    (tables/search.py), which the migration makes by hand for that database."""
    if type_ == "table":
        return name not in DIALECT_ONLY_TABLES
    if type_ == "column":
        return (parent_names.get("table_name"), name) not in DIALECT_ONLY_COLUMNS
    if type_ == "index":
        return name not in DIALECT_ONLY_INDEXES
    return True
