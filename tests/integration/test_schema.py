"""The migrations are the schema: they must build exactly what tables/ describes."""

from __future__ import annotations

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect

from sharebound.adapters.db import migrate
from sharebound.adapters.db.tables import metadata
from sharebound.bootstrap import App


def test_migrations_build_exactly_the_tables_the_code_describes(app: App) -> None:
    with app.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"include_name": migrate.include_name})
        differences = compare_metadata(context, metadata)

    assert differences == []


def test_the_search_index_of_each_database_is_what_the_comparison_leaves_out(app: App) -> None:
    found = inspect(app.engine)
    if app.engine.dialect.name == "sqlite":
        assert "search_fts" in found.get_table_names()
    else:
        assert "terms" in {c["name"] for c in found.get_columns("search_documents")}
        indexes = {i["name"] for i in found.get_indexes("search_documents")}
        assert "ix_search_documents_readers_terms" in indexes


def test_the_database_is_at_the_newest_migration(app: App) -> None:
    assert migrate.current_revision(app.engine) == migrate.head_revision(app.engine)


def test_migrations_downgrade_to_nothing_and_upgrade_again(app: App) -> None:
    config = migrate.alembic_config(app.engine)

    command.downgrade(config, "base")
    empty = set(inspect(app.engine).get_table_names()) - {"alembic_version"}
    migrate.upgrade(app.engine)

    assert empty == set()
    assert set(metadata.tables) <= set(inspect(app.engine).get_table_names())


def test_migrating_down_and_up_again_keeps_the_data_and_its_foreign_keys(app: App) -> None:
    from sharebound.services import disclosures
    from sharebound.services.disclosures import DisclosureDraft
    from tests.integration.world import build_world

    world = build_world(app)
    made = disclosures.disclose(world.uow(), world.mia.id, DisclosureDraft(
        item_id=world.note(), agreement_id=world.signed().id, recipients=["gina@globex.example"],
        actions=["view"]))

    command.downgrade(migrate.alembic_config(app.engine), "0003")
    migrate.upgrade(app.engine)

    # why the repository, not the register: going below 0014 drops the agreement documents,
    # so the agreement is (rightly) refused as damaged; the disclosure's own data survives
    uow = world.uow()
    with uow.reading():
        again = uow.disclosures.get(made.id)
    assert again is not None
    assert (again.item_title, again.classification, again.topics) == (
        "Thermal test results", "confidential", frozenset({"thermal"}))


def test_an_agreement_whose_document_was_lost_by_a_downgrade_is_refused_as_damaged(app: App) -> None:
    from sharebound.domain.errors import DamagedRecord
    from sharebound.services import agreements
    from tests.integration.world import build_world

    world = build_world(app)
    signed = world.signed()
    command.downgrade(migrate.alembic_config(app.engine), "0013")
    migrate.upgrade(app.engine)

    with pytest.raises(DamagedRecord):
        agreements.get_agreement(world.uow(), world.mia.id, signed.id)
