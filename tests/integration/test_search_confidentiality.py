"""What search gives away, on both databases: a received disclosure's hit never carries a
piece of its text (H1), and a restricted item's text is never in the index (M3), through a
reclassification either way (docs/library.md#search, docs/encryption.md#search-index)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from sharebound.adapters.db.tables import search_documents
from sharebound.bootstrap import App
from sharebound.domain.search import words_of
from sharebound.services import disclosures, items, search
from sharebound.services.disclosures import DisclosureDraft
from tests.integration.world import World, build_world

BODY = "Drift under 0.2 K after 500 hours at the calibration bench of plant seven"


@pytest.fixture
def world(app: App) -> World:
    return build_world(app)


def _note(world: World, classification: str = "confidential", body: str = BODY) -> str:
    return items.add_item(world.uow(), world.mia.id, title="Thermal test results",
                          classification=classification, topics=["sensors"], content=body.encode()).id


def _give(world: World, item_id: str) -> str:
    return disclosures.disclose(world.uow(), world.mia.id, DisclosureDraft(
        item_id=item_id, agreement_id=world.signed().id, recipients=["gina@globex.example"],
        actions=["view"])).id


def _hits(world: World, who: str, q: str) -> list[search.Hit]:
    return list(search.search(world.uow(), getattr(world, who).id, q).page.rows)


def _documents(world: World) -> dict[str, tuple[str, str]]:
    """Each document's (body_terms, body), by key."""
    with world.app.engine.connect() as connection:
        return {r.key: (r.body_terms, r.body) for r in connection.execute(select(search_documents))}


def test_a_view_only_recipient_gets_no_word_of_the_text_whatever_they_search(world: World) -> None:
    made = _give(world, _note(world))
    shown: list[str] = []
    for word in words_of(BODY):  # word after word, as one rebuilding the text would
        for hit in _hits(world, "gina", word):
            assert hit.disclosure_id == made and hit.snippet_html == "" and hit.found_in_text
            shown += [hit.title, hit.title_html, " ".join(hit.topics), hit.snippet_html]

    assert len(shown) == 4 * len(set(words_of(BODY)))  # each word found it
    seen = set(words_of(" ".join(shown)))
    assert seen <= set(words_of("Thermal test results sensors mark"))  # title, topics, <mark>


def test_a_recipient_is_told_whether_the_words_were_in_the_title_or_the_text(world: World) -> None:
    _give(world, _note(world))

    [title] = _hits(world, "gina", '"test results"')
    [topic] = _hits(world, "gina", "sensors thermal")
    [text] = _hits(world, "gina", "thermal bench")

    assert (title.found_in_text, topic.found_in_text, text.found_in_text) == (False, False, True)
    assert title.title_html == "Thermal <mark>test</mark> <mark>results</mark>"
    assert text.title_html == "<mark>Thermal</mark> test results"  # the title's words only
    assert title.snippet_html == topic.snippet_html == text.snippet_html == ""


def test_the_owners_org_still_sees_a_snippet_of_its_own_item(world: World) -> None:
    _give(world, _note(world))

    [own] = _hits(world, "mia", "bench")

    assert own.disclosure_id is None and "calibration <mark>bench</mark>" in own.snippet_html


def test_the_index_keeps_no_text_of_a_disclosure(world: World) -> None:
    made = _give(world, _note(world))

    body_terms, body = _documents(world)[made]

    assert body_terms and body == ""  # its words are found; nothing to cut a snippet from


def test_a_restricted_items_text_is_never_indexed_its_title_and_topics_are(world: World) -> None:
    item_id = _note(world, classification="restricted")

    assert _documents(world)[item_id] == ("", "")
    assert _hits(world, "mia", "drift") == []
    [hit] = _hits(world, "mia", "thermal sensors")
    assert hit.item_id == item_id and not hit.found_in_text and hit.snippet_html == ""


def test_a_new_version_of_a_restricted_item_is_not_indexed_either(world: World) -> None:
    item_id = _note(world, classification="restricted")

    items.add_item_version(world.uow(), world.mia.id, item_id, content=b"gasket layout v2")

    assert _documents(world)[item_id] == ("", "") and _hits(world, "mia", "gasket") == []


def test_raising_to_restricted_drops_the_text_of_the_item_and_its_disclosures_and_lowering_restores_it(
    world: World,
) -> None:
    item_id = _note(world)
    made = _give(world, item_id)
    assert [h.disclosure_id for h in _hits(world, "gina", "calibration")] == [made]

    items.reclassify_item(world.uow(), world.mia.id, item_id, "restricted")

    assert _documents(world) == {item_id: ("", ""), made: ("", "")}
    assert _hits(world, "mia", "calibration") == [] and _hits(world, "gina", "calibration") == []
    assert [h.disclosure_id for h in _hits(world, "gina", "thermal")] == [made]  # its title stays

    pending = items.reclassify_item(world.uow(), world.sam.id, item_id, "confidential").pending
    assert pending is not None and _hits(world, "mia", "calibration") == []  # not until approved
    items.approve_reclassification(world.uow(), world.alice.id, pending.id)

    assert [h.item_id for h in _hits(world, "mia", "calibration")] == [item_id]
    assert [h.disclosure_id for h in _hits(world, "gina", "calibration")] == [made]
    documents = _documents(world)
    assert documents[item_id][0] and documents[item_id][1] and documents[made] == (
        documents[made][0], "") and documents[made][0]


def test_new_content_and_restricted_at_once_leave_no_text_in_the_index(world: World) -> None:
    item_id = _note(world)

    items.update_item(world.uow(), world.mia.id, item_id, content=b"gasket layout v2",
                      classification="restricted")

    assert _documents(world)[item_id] == ("", "")
    assert _hits(world, "mia", "gasket") == [] and _hits(world, "mia", "drift") == []
