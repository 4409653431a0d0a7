"""Folders of the library through the use cases: numbered tree, move, reorder, rename, delete."""

from __future__ import annotations

import pytest

from sharebound.domain.errors import Conflict, InvalidInput, NotFound
from sharebound.services import folders, items
from tests.integration.world import World, changes_nothing


def _tree(world: World, by: str | None = None) -> list[tuple[str, str]]:
    return [(r.number, r.name) for r in folders.library(world.uow(), by or world.mia.id).rows]


def test_folders_and_items_form_a_numbered_tree_that_renumbers_as_they_move(world: World) -> None:
    specs = folders.create_folder(world.uow(), world.mia.id, "Specs")
    mech = folders.create_folder(world.uow(), world.mia.id, "Mechanical", specs.id)
    elec = folders.create_folder(world.uow(), world.mia.id, "Electrical", specs.id)
    reports = folders.create_folder(world.uow(), world.mia.id, "Reports")
    note = world.note()
    items.update_item(world.uow(), world.mia.id, note, folder_id=elec.id)

    assert _tree(world) == [("1", "Specs"), ("1.1", "Mechanical"), ("1.2", "Electrical"),
                            ("1.2.1", "Thermal test results"), ("2", "Reports")]

    folders.update_folder(world.uow(), world.mia.id, elec.id, index=0)
    folders.update_folder(world.uow(), world.mia.id, mech.id, parent_id=reports.id, name="Mech")

    assert _tree(world) == [("1", "Specs"), ("1.1", "Electrical"), ("1.1.1", "Thermal test results"),
                            ("2", "Reports"), ("2.1", "Mech")]
    with world.uow() as uow:
        kinds = [e.kind for e in uow.events.read("org:acme")]
    assert {"folder_created", "folder_changed", "item_moved"} <= set(kinds)


def test_a_folder_moved_into_itself_or_its_own_subfolder_is_refused_and_nothing_changes(
    world: World,
) -> None:
    top = folders.create_folder(world.uow(), world.mia.id, "Top")
    child = folders.create_folder(world.uow(), world.mia.id, "Child", top.id)

    with changes_nothing(world), pytest.raises(Conflict, match="own subfolders"):
        folders.update_folder(world.uow(), world.mia.id, top.id, parent_id=child.id)
    with changes_nothing(world), pytest.raises(Conflict, match="into itself"):
        folders.update_folder(world.uow(), world.mia.id, top.id, parent_id=top.id)


def test_only_an_empty_folder_is_deleted(world: World) -> None:
    box = folders.create_folder(world.uow(), world.mia.id, "Box")
    note = world.note()
    items.update_item(world.uow(), world.mia.id, note, folder_id=box.id)

    with changes_nothing(world), pytest.raises(Conflict, match="only an empty folder"):
        folders.delete_folder(world.uow(), world.mia.id, box.id)
    items.update_item(world.uow(), world.mia.id, note, folder_id=None)
    folders.delete_folder(world.uow(), world.mia.id, box.id)

    assert _tree(world) == [("1", "Thermal test results")]


def test_another_orgs_folder_does_not_exist_for_you(world: World) -> None:
    box = folders.create_folder(world.uow(), world.mia.id, "Box")
    theirs = world.note(by=world.grace)

    with changes_nothing(world):
        for attempt in (lambda: folders.update_folder(world.uow(), world.grace.id, box.id, name="Mine"),
                        lambda: folders.delete_folder(world.uow(), world.grace.id, box.id),
                        lambda: folders.create_folder(world.uow(), world.grace.id, "In", box.id),
                        lambda: items.update_item(world.uow(), world.grace.id,
                                                  theirs, folder_id=box.id)):
            with pytest.raises(NotFound):
                attempt()
    assert _tree(world, world.grace.id) == [("1", "Thermal test results")]


def test_sibling_folders_never_share_a_name_and_bad_names_are_named(world: World) -> None:
    folders.create_folder(world.uow(), world.mia.id, "Box")

    with changes_nothing(world):
        with pytest.raises(Conflict, match="already a folder named"):
            folders.create_folder(world.uow(), world.mia.id, "box")
        with pytest.raises(InvalidInput) as bad:
            folders.create_folder(world.uow(), world.mia.id, "a/b")
    assert "name" in bad.value.errors
