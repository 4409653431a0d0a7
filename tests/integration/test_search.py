"""Search over what a person may see, on SQLite (FTS5) and PostgreSQL (tsvector + GIN): the
org's library and what they may read of what they received; nothing else, ever."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import select, text

from sharebound import bootstrap
from sharebound.adapters.db import migrate
from sharebound.adapters.db.tables import search_documents
from sharebound.bootstrap import App
from sharebound.config import Settings
from sharebound.domain.errors import BadPageRequest, BadSearchQuery
from sharebound.domain.paging import PageRequest, decode_cursor
from sharebound.domain.search import words_of
from sharebound.services import disclosures, items, notices, orgs, search
from sharebound.services.disclosures import DisclosureDraft
from tests.conftest import FakeClock
from tests.integration.world import World, build_world, changes_nothing


@pytest.fixture
def world(app: App) -> World:
    return build_world(app)


def _note(world: World, title: str, body: str, topics: tuple[str, ...] = ("thermal",),
          by: str = "mia") -> str:
    return items.add_item(world.uow(), getattr(world, by).id, title=title, classification="confidential",
                          topics=list(topics), content=body.encode()).id


def _give(world: World, item_id: str, to: str = "gina@globex.example") -> str:
    return disclosures.disclose(world.uow(), world.mia.id, DisclosureDraft(
        item_id=item_id, agreement_id=world.signed().id, recipients=[to], actions=["view"])).id


def _titles(world: World, who: str, q: str) -> list[str]:
    return [h.title for h in search.search(world.uow(), getattr(world, who).id, q).page.rows]


def test_a_person_finds_their_orgs_items_by_title_text_and_topic(world: World) -> None:
    _note(world, "Thermal test results", "Drift under 0.2 K at the calibration bench")
    _note(world, "Pricing plan", "Discounts for the sensor line", topics=("pricing",))

    assert _titles(world, "mia", "drift") == ["Thermal test results"]
    assert _titles(world, "alice", "PRICING") == ["Pricing plan"]
    assert _titles(world, "sam", "sensor discounts") == ["Pricing plan"]
    assert _titles(world, "mia", "thermal pricing") == []


def test_a_phrase_matches_its_words_in_a_row_only(world: World) -> None:
    _note(world, "A", "the calibration bench drifts")
    _note(world, "B", "the bench of calibration")

    assert _titles(world, "mia", '"calibration bench"') == ["A"]
    assert sorted(_titles(world, "mia", "calibration bench")) == ["A", "B"]


def test_a_title_hit_ranks_above_a_hit_in_the_text(world: World) -> None:
    _note(world, "Notes", "something about a gasket somewhere in the text")
    _note(world, "Gasket drawing", "nothing else")

    assert _titles(world, "mia", "gasket") == ["Gasket drawing", "Notes"]


def test_another_org_finds_nothing_of_it(world: World) -> None:
    _note(world, "Thermal test results", "Drift under 0.2 K")

    assert _titles(world, "gina", "drift") == []
    assert _titles(world, "ian", "thermal") == []


def test_a_recipient_finds_what_was_disclosed_to_them_as_they_were_told_of_it(world: World) -> None:
    item_id = _note(world, "Thermal test results", "Drift under 0.2 K")
    made = _give(world, item_id)
    items.update_item(world.uow(), world.mia.id, item_id, title="Renamed later", content=b"Gasket v2")

    found = search.search(world.uow(), world.gina.id, "drift").page.rows
    assert [(h.disclosure_id, h.title, h.version) for h in found] == [(made, "Thermal test results", 1)]
    assert found[0].snippet_html == "" and found[0].found_in_text  # never a piece of its text
    assert _titles(world, "gina", "gasket") == []  # the later version was not disclosed
    assert _titles(world, "gina", "renamed") == []  # nor was the new title
    assert _titles(world, "grace", "drift") == []  # the admin reads the register, not the content
    assert _titles(world, "mia", "gasket") == ["Renamed later"]


def test_a_revoked_or_expired_disclosure_is_no_longer_found(world: World, clock: FakeClock) -> None:
    made = _give(world, _note(world, "Thermal test results", "Drift under 0.2 K"))
    assert _titles(world, "gina", "drift") == ["Thermal test results"]

    disclosures.revoke_disclosure(world.uow(), world.mia.id, made, reason="too early")

    assert _titles(world, "gina", "drift") == []


def test_each_recipient_finds_a_disclosure_made_to_several_and_no_one_else(world: World) -> None:
    item_id = _note(world, "Thermal test results", "Drift under 0.2 K")
    disclosures.disclose(world.uow(), world.mia.id, DisclosureDraft(
        item_id=item_id, agreement_id=world.signed().id,
        recipients=["gina@globex.example", "grace@globex.example"], actions=["view"]))

    assert _titles(world, "gina", "drift") == _titles(world, "grace", "drift") == ["Thermal test results"]
    assert _titles(world, "alice", "drift") == ["Thermal test results"]  # acme's own item
    assert [h.disclosure_id for h in search.search(world.uow(), world.alice.id, "drift").page.rows] == [None]


def test_a_revoked_disclosure_indexed_again_stays_unfound(world: World) -> None:
    made = _give(world, _note(world, "Thermal test results", "Drift under 0.2 K"))
    disclosures.revoke_disclosure(world.uow(), world.mia.id, made, reason="too early")

    with world.uow() as uow:  # as lowering its item out of `restricted` does
        disclosure = uow.disclosures.get(made)
        search.index_disclosure_in(uow, disclosure, uow.items.get(disclosure.item_id))
        uow.commit()

    assert _titles(world, "gina", "drift") == []


def test_the_upgrade_that_puts_the_access_terms_beside_the_documents_keeps_who_finds_what(
    world: World
) -> None:
    live = _give(world, _note(world, "Thermal test results", "Drift under 0.2 K"))
    revoked = _give(world, _note(world, "Drift, withdrawn", "Drift under 0.3 K"))
    disclosures.revoke_disclosure(world.uow(), world.mia.id, revoked, reason="too early")
    config = migrate.alembic_config(world.app.engine)

    command.downgrade(config, "0036_recipient_expiry")  # as before migration 0037
    command.upgrade(config, "head")

    assert [h.disclosure_id for h in search.search(world.uow(), world.gina.id, "drift").page.rows] == [live]
    assert _titles(world, "grace", "drift") == []
    assert sorted(_titles(world, "mia", "drift")) == ["Drift, withdrawn", "Thermal test results"]


def test_a_demand_to_return_closes_what_was_disclosed_before_it_and_not_after(
    world: World, clock: FakeClock
) -> None:
    agreement = world.signed()

    def give(item_id: str) -> None:
        disclosures.disclose(world.uow(), world.mia.id, DisclosureDraft(
            item_id=item_id, agreement_id=agreement.id, recipients=["gina@globex.example"],
            actions=["view"]))

    give(_note(world, "Thermal test results", "Drift under 0.2 K"))
    clock.advance(minutes=1)
    notices.send_notice(world.uow(), world.alice.id, agreement.id,
                        {"kind": "demand_return", "body": "Please return everything"})
    clock.advance(minutes=1)
    give(_note(world, "Drift after the demand", "Drift under 0.1 K"))

    assert _titles(world, "gina", "drift") == ["Drift after the demand"]
    assert sorted(_titles(world, "mia", "drift")) == ["Drift after the demand", "Thermal test results"]


def test_an_expired_disclosure_is_no_longer_found(world: World, clock: FakeClock) -> None:
    _give(world, _note(world, "Thermal test results", "Drift under 0.2 K"))

    clock.advance(days=400)

    assert _titles(world, "gina", "drift") == []


def test_results_page_by_rank_with_a_cursor(world: World) -> None:
    for n in range(5):
        _note(world, f"Gasket {n}", "gasket")

    first = search.search(world.uow(), world.mia.id, "gasket", PageRequest(limit=2)).page
    assert first.after is not None
    second = search.search(world.uow(), world.mia.id, "gasket",
                           PageRequest(limit=2, after=decode_cursor(first.after))).page
    third = search.search(world.uow(), world.mia.id, "gasket",
                          PageRequest(limit=2, after=decode_cursor(second.after or ""))).page

    titles = [h.title for h in first.rows + second.rows + third.rows]
    assert sorted(titles) == [f"Gasket {n}" for n in range(5)] and third.after is None


@pytest.mark.parametrize("q", ["", "   ", '"" -- * ()', "x" * 501, " ".join(f"w{n}" for n in range(13))])
def test_a_query_with_nothing_to_look_for_is_refused_naming_q_and_changes_nothing(
    world: World, q: str
) -> None:
    _note(world, "Thermal test results", "Drift")
    with changes_nothing(world), pytest.raises(BadSearchQuery) as bad:
        search.search(world.uow(), world.mia.id, q)

    assert list(bad.value.errors) == ["q"] and bad.value.status == 400


@pytest.mark.parametrize("q", ['"drift x', "drift NEAR(x y)", "drift*", "-drift", "drift:*",
                               "drift & !x", "drift OR", "(drift", "col:drift", "'drift'"])
def test_the_databases_query_syntax_means_nothing_and_never_fails(world: World, q: str) -> None:
    _note(world, "Thermal test results", "drift x y col near or")

    assert _titles(world, "mia", q) == ["Thermal test results"]


def test_a_cursor_from_elsewhere_is_a_bad_page_request(world: World) -> None:
    with pytest.raises(BadPageRequest):
        search.search(world.uow(), world.mia.id, "drift", PageRequest(after=("x", "y")))


def test_the_index_holds_no_word_of_the_text_in_clear(world: World) -> None:
    _note(world, "Thermal test results", "Drift under calibration bench")

    with world.app.engine.connect() as connection:
        rows = [dict(r._mapping) for r in connection.execute(select(search_documents))]
    stored = " ".join(str(v) for row in rows for v in row.values()).casefold()
    assert rows and not any(w in stored for w in ("drift", "calibration", "thermal", "bench"))


def test_reindex_makes_the_documents_of_items_stored_before_search(world: World) -> None:
    item_id = world.stored_before_upload_checks(world.mia, b"old gasket report", "text/plain")
    assert _titles(world, "mia", "gasket") == []

    assert search.reindex(world.uow()) == 1
    assert search.reindex(world.uow()) == 0

    assert [h.item_id for h in search.search(world.uow(), world.mia.id, "gasket").page.rows] == [item_id]


def test_the_database_finds_rows_by_its_own_index(world: World) -> None:
    """The FTS5 table (SQLite) or the generated tsvector (PostgreSQL) holds each document."""
    _note(world, "Thermal", "drift")
    with world.app.engine.connect() as connection:
        if connection.dialect.name == "sqlite":
            count = connection.execute(text("SELECT count(*) FROM search_fts")).scalar_one()
        else:
            count = connection.execute(text(
                "SELECT count(*) FROM search_documents WHERE terms IS NOT NULL")).scalar_one()
    assert count == 1 and words_of("Drift") == ["drift"]


def test_init_on_the_upgrade_that_adds_search_indexes_what_is_there(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SHAREBOUND_DATABASE_URL", raising=False)
    built = bootstrap.init(Settings(data_dir=tmp_path / "var"))
    _, alice = orgs.create_org(built.uow(), handle="acme", name="Acme", admin_name="Alice",
                               admin_email="alice@acme.example")
    made = items.add_item(built.uow(), alice.id, title="Old report", classification="internal",
                          topics=["gaskets"], content=b"the gasket drawing")
    command.downgrade(migrate.alembic_config(built.engine), "0027_folders")  # as before search

    again = bootstrap.init(Settings(data_dir=tmp_path / "var"))

    found = search.search(again.uow(), alice.id, "gasket").page.rows
    assert [(h.item_id, h.snippet_html) for h in found] == [(made.id, "the <mark>gasket</mark> drawing")]
    again.close()
    built.close()
