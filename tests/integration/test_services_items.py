"""Items: add, version, reclassify, read, through the use cases, on SQLite and PostgreSQL."""

from __future__ import annotations

import hashlib
from collections.abc import Callable

import pytest

from sharebound.domain.classification import Classification
from sharebound.domain.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from sharebound.domain.items import Item, ItemKind
from sharebound.services import items
from tests.conftest import FakeClock
from tests.corpus import corpus_file
from tests.integration.world import World, changes_nothing

CLASSIFICATION_ERROR = "must be one of public, internal, confidential, restricted"


def _add(world: World, **overrides: object) -> Item:
    asked: dict[str, object] = {"title": "Thermal test results", "classification": "confidential",
                                "topics": ["thermal"], "content": b"Drift under 0.2 K"}
    asked.update(overrides)
    return items.add_item(world.uow(), world.mia.id, **asked)  # type: ignore[arg-type]


def _last_acme_event(world: World) -> tuple[str, str | None, str, dict[str, object]]:
    with world.uow() as uow:
        last = list(uow.events.read("org:acme"))[-1]
    return last.kind, last.actor, last.subject, dict(last.data)


def test_a_note_is_owned_by_the_author_s_org_and_stored_by_its_sha256(world: World) -> None:
    content = b"Drift under 0.2 K"
    item = _add(world, title="  Thermal test results ", topics=[" Thermal  Tests ", "optics"],
                content=content)

    assert (item.owner, item.kind, item.title, item.classification) == (
        "acme", ItemKind.NOTE, "Thermal test results", Classification.CONFIDENTIAL)
    assert item.topics == {"thermal tests", "optics"}
    assert (item.current.number, item.current.sha256, item.current.size) == (
        1, hashlib.sha256(content).hexdigest(), len(content))
    assert items.item_content(world.uow(), world.alice.id, item.id) == content
    assert _last_acme_event(world) == ("item_added", world.mia.id, item.id, {
        "version": 1, "sha256": hashlib.sha256(content).hexdigest(), "classification": "confidential"})


def test_a_bad_item_names_each_bad_field_and_adds_nothing(world: World) -> None:
    bad_topic = "is not a topic (letters, digits, spaces, - and _)"
    cases: dict[str, tuple[dict[str, object], dict[str, str]]] = {
        "unknown classification": ({"classification": "secret"}, {"classification": CLASSIFICATION_ERROR}),
        "capitalized classification": ({"classification": "Confidential"},
                                       {"classification": CLASSIFICATION_ERROR}),
        "bad topic": ({"topics": ["thermal", "bad!"]}, {"topics": f"'bad!' {bad_topic}"}),
        "topics not a list": ({"topics": "thermal"}, {"topics": "must be a list of topics"}),
        "too many topics": ({"topics": [f"topic {n}" for n in range(21)]}, {"topics": "at most 20 topics"}),
        "empty title": ({"title": ""}, {"title": "is required"}),
        "blank title": ({"title": "   "}, {"title": "is required"}),
        "long title": ({"title": "t" * 301}, {"title": "must be at most 300 characters"}),
        "bad kind": ({"kind": "folder"}, {"kind": "must be note or file"}),
        "everything at once": ({"title": "", "classification": "top", "topics": [""]}, {
            "title": "is required", "classification": CLASSIFICATION_ERROR, "topics": f"'' {bad_topic}"}),
    }
    found = {}

    for case, (asked, _) in cases.items():
        with changes_nothing(world), pytest.raises(InvalidInput) as bad:
            _add(world, **asked)
        found[case] = bad.value.errors

    assert found == {case: errors for case, (_, errors) in cases.items()}


def test_a_new_version_increments_the_number_and_every_version_stays_readable(
    world: World, clock: FakeClock,
) -> None:
    first = _add(world, content=b"version one")
    clock.advance(minutes=5)

    second = items.add_item_version(world.uow(), world.sam.id, first.id, content=b"version two")

    assert [(v.number, v.sha256, v.created_by) for v in second.versions] == [
        (1, hashlib.sha256(b"version one").hexdigest(), world.mia.id),
        (2, hashlib.sha256(b"version two").hexdigest(), world.sam.id)]
    assert items.item_content(world.uow(), world.mia.id, first.id) == b"version two"
    assert items.item_content(world.uow(), world.mia.id, first.id, version=1) == b"version one"
    assert items.item_content(world.uow(), world.mia.id, first.id, version=2) == b"version two"
    assert _last_acme_event(world) == ("item_version_added", world.sam.id, first.id, {
        "version": 2, "sha256": hashlib.sha256(b"version two").hexdigest()})


def test_a_version_with_the_current_content_is_a_conflict_and_adds_nothing(world: World) -> None:
    item = _add(world, content=b"same bytes")

    with changes_nothing(world), pytest.raises(Conflict) as same:
        items.add_item_version(world.uow(), world.mia.id, item.id, content=b"same bytes")

    assert str(same.value) == "this content is already the current version"
    assert [v.number for v in items.get_item(world.uow(), world.mia.id, item.id).versions] == [1]


def test_a_version_number_that_does_not_exist_is_not_found(world: World) -> None:
    item = _add(world)

    with pytest.raises(NotFound) as missing:
        items.item_content(world.uow(), world.mia.id, item.id, version=2)

    assert (missing.value.kind, missing.value.ident) == ("item version", f"{item.id}@2")


def test_another_org_s_item_does_not_exist_for_its_people(world: World) -> None:
    item = _add(world)

    with changes_nothing(world):
        calls: list[Callable[[], object]] = [
            lambda: items.get_item(world.uow(), world.grace.id, item.id),
            lambda: items.item_content(world.uow(), world.gina.id, item.id),
            lambda: items.add_item_version(world.uow(), world.grace.id, item.id, content=b"mine now"),
            lambda: items.reclassify_item(world.uow(), world.grace.id, item.id, "public"),
        ]
        for call in calls:
            with pytest.raises(NotFound) as missing:
                call()
            assert (missing.value.kind, missing.value.ident) == ("item", item.id)

    assert items.list_items(world.uow(), world.grace.id) == []
    assert [i.id for i in items.list_items(world.uow(), world.alice.id)] == [item.id]


def test_any_member_reclassifies_directly_unless_it_lowers_a_crown_jewel(world: World) -> None:
    moves = [("confidential", "restricted"), ("public", "restricted"), ("confidential", "internal"),
             ("internal", "public")]
    done, expected = [], []

    for start, to in moves:
        item = _add(world, classification=start)
        result = items.reclassify_item(world.uow(), world.mia.id, item.id, to)
        done.append((result.pending, result.item.classification,
                     items.get_item(world.uow(), world.mia.id, item.id).classification,
                     _last_acme_event(world)))
        event = ("item_reclassified", world.mia.id, item.id, {"from": start, "to": to})
        expected.append((None, to, to, event))

    assert done == expected


def test_reclassifying_to_the_same_level_is_a_conflict(world: World) -> None:
    item = _add(world)

    with changes_nothing(world), pytest.raises(Conflict) as same:
        items.reclassify_item(world.uow(), world.mia.id, item.id, "confidential")

    assert str(same.value) == "the item is already confidential"


def test_reclassifying_to_an_unknown_level_is_named(world: World) -> None:
    item = _add(world)

    with changes_nothing(world), pytest.raises(InvalidInput) as bad:
        items.reclassify_item(world.uow(), world.mia.id, item.id, "top secret")

    assert bad.value.errors == {"classification": CLASSIFICATION_ERROR}


def test_a_member_without_the_signer_role_cannot_even_ask_to_lower_a_crown_jewel(world: World) -> None:
    item = _add(world, classification="restricted")

    with changes_nothing(world), pytest.raises(PermissionDenied) as denied:
        items.reclassify_item(world.uow(), world.mia.id, item.id, "confidential")

    assert str(denied.value) == "this action needs the signer role in acme"


def test_lowering_a_crown_jewel_waits_for_a_second_signer(world: World) -> None:
    item = _add(world, classification="restricted")

    asked = items.reclassify_item(world.uow(), world.sam.id, item.id, "internal")

    assert asked.pending is not None
    assert (asked.pending.old, asked.pending.new, asked.pending.requested_by) == (
        Classification.RESTRICTED, Classification.INTERNAL, world.sam.id)
    assert items.get_item(world.uow(), world.sam.id, item.id).classification is Classification.RESTRICTED
    assert _last_acme_event(world) == ("reclassification_requested", world.sam.id, item.id, {
        "request": asked.pending.id, "from": "restricted", "to": "internal"})


def test_the_signer_who_asked_cannot_approve_their_own_request(world: World) -> None:
    item = _add(world, classification="restricted")
    asked = items.reclassify_item(world.uow(), world.sam.id, item.id, "confidential")
    assert asked.pending is not None

    with changes_nothing(world), pytest.raises(PermissionDenied) as denied:
        items.approve_reclassification(world.uow(), world.sam.id, asked.pending.id)

    assert str(denied.value) == "a second signer must approve: not the one who asked"


def test_a_member_without_the_signer_role_cannot_approve(world: World) -> None:
    item = _add(world, classification="restricted")
    asked = items.reclassify_item(world.uow(), world.sam.id, item.id, "confidential")
    assert asked.pending is not None

    with changes_nothing(world), pytest.raises(PermissionDenied) as denied:
        items.approve_reclassification(world.uow(), world.mia.id, asked.pending.id)

    assert str(denied.value) == "this action needs the signer role in acme"


def test_a_signer_of_another_org_is_told_the_request_does_not_exist_and_never_sees_the_item(
    world: World,
) -> None:
    item = _add(world, classification="restricted")
    asked = items.reclassify_item(world.uow(), world.sam.id, item.id, "confidential")
    assert asked.pending is not None

    with changes_nothing(world), pytest.raises(NotFound) as missing:
        items.approve_reclassification(world.uow(), world.grace.id, asked.pending.id)

    assert (missing.value.kind, missing.value.ident) == ("reclassification", asked.pending.id)
    assert item.id not in str(missing.value)


def test_a_request_is_approved_once(world: World) -> None:
    item = _add(world, classification="restricted")
    asked = items.reclassify_item(world.uow(), world.sam.id, item.id, "confidential")
    assert asked.pending is not None
    items.approve_reclassification(world.uow(), world.alice.id, asked.pending.id)

    with changes_nothing(world), pytest.raises(Conflict) as twice:
        items.approve_reclassification(world.uow(), world.alice.id, asked.pending.id)

    assert str(twice.value) == "this reclassification is already approved"
    assert items.get_item(world.uow(), world.mia.id, item.id).classification is Classification.CONFIDENTIAL


def test_a_request_overtaken_by_another_approval_is_a_conflict(world: World) -> None:
    item = _add(world, classification="restricted")
    by_sam = items.reclassify_item(world.uow(), world.sam.id, item.id, "confidential").pending
    by_alice = items.reclassify_item(world.uow(), world.alice.id, item.id, "internal").pending
    assert by_sam is not None and by_alice is not None
    items.approve_reclassification(world.uow(), world.sam.id, by_alice.id)

    with changes_nothing(world), pytest.raises(Conflict) as stale:
        items.approve_reclassification(world.uow(), world.alice.id, by_sam.id)

    assert str(stale.value) == "the item is now internal; ask again"


def test_an_unknown_reclassification_request_is_not_found(world: World) -> None:
    with pytest.raises(NotFound) as missing:
        items.approve_reclassification(world.uow(), world.alice.id, "rcl_nonexistent")

    assert (missing.value.kind, missing.value.ident) == ("reclassification", "rcl_nonexistent")


def test_a_file_item_takes_no_note_body_and_keeps_its_version(world: World) -> None:
    item = items.add_item(world.uow(), world.mia.id, title="Spec", classification="internal", topics=[],
                          content=corpus_file("valid.pdf"), kind="file", media_type="application/pdf",
                          filename="spec.pdf")

    with changes_nothing(world), pytest.raises(InvalidInput) as bad:
        items.update_item(world.uow(), world.mia.id, item.id, content=b"hello, I am a note body")

    assert set(bad.value.errors) == {"body"}
