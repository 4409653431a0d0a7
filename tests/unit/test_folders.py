"""The folder tree's rules: index numbers, moves that keep a tree, names, reordering."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sharebound.domain.errors import Conflict, InvalidInput
from sharebound.domain.folders import (
    Folder,
    check_move,
    check_sibling_name,
    descendants,
    folder_name,
    item_numbers,
    numbers,
    placed,
)
from sharebound.domain.limits import MAX_FOLDER_DEPTH

AT = datetime(2026, 12, 1, tzinfo=UTC)


def f(fid: str, parent: str | None, position: int = 0, name: str | None = None) -> Folder:
    return Folder(id=fid, org="acme", parent_id=parent, name=name or fid, position=position, created_at=AT)


TREE = [f("specs", None, 0), f("mech", "specs", 0), f("elec", "specs", 1), f("pcb", "elec", 0),
        f("reports", None, 1)]


def test_numbers_follow_the_position_among_siblings() -> None:
    assert numbers(TREE) == {"specs": "1", "mech": "1.1", "elec": "1.2", "pcb": "1.2.1", "reports": "2"}


def test_reordering_siblings_renumbers_them() -> None:
    swapped = [*TREE[:1], f("mech", "specs", 5), *TREE[2:]]
    assert numbers(swapped)["elec"] == "1.1" and numbers(swapped)["mech"] == "1.2"


def test_items_follow_their_folders_subfolders_by_title() -> None:
    found = item_numbers(TREE, [("i1", "specs", "Zeta"), ("i2", "specs", "alpha"), ("i3", None, "Readme"),
                                ("i4", "pcb", "Gerbers")])
    assert found == {"i2": "1.3", "i1": "1.4", "i3": "3", "i4": "1.2.1.1"}


def test_a_folder_cannot_move_into_itself() -> None:
    with pytest.raises(Conflict, match="into itself"):
        check_move(TREE, "elec", "elec")


def test_a_folder_cannot_move_into_its_own_descendant() -> None:
    with pytest.raises(Conflict, match="own subfolders"):
        check_move(TREE, "specs", "pcb")


def test_a_folder_moves_anywhere_else_and_to_the_root() -> None:
    check_move(TREE, "elec", "reports")
    check_move(TREE, "pcb", None)


def test_folders_nest_no_deeper_than_the_limit() -> None:
    chain = [f(f"f{i}", f"f{i - 1}" if i else None) for i in range(MAX_FOLDER_DEPTH)]
    with pytest.raises(Conflict, match="nest at most"):
        check_move([*chain, f("x", None)], "x", chain[-1].id)


def test_two_siblings_never_share_a_name_in_any_case() -> None:
    with pytest.raises(Conflict, match="already a folder named"):
        check_sibling_name(TREE, "specs", "MECH")
    check_sibling_name(TREE, "reports", "mech")
    check_sibling_name(TREE, "specs", "mech", moving="mech")


@pytest.mark.parametrize("bad", ["", "  ", "a/b", "a\\b", "..", ".", "x" * 201, "tab\x07"])
def test_a_bad_folder_name_is_refused_naming_the_field(bad: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        folder_name(bad)
    assert "name" in refused.value.errors


def test_placing_a_folder_returns_only_the_positions_that_change() -> None:
    siblings = [f("a", None, 0), f("b", None, 1), f("c", None, 2)]
    assert placed(siblings, "c", 0) == [("c", 0), ("a", 1), ("b", 2)]
    assert placed(siblings, "a", None) == [("b", 0), ("c", 1), ("a", 2)]
    assert placed(siblings, "b", 1) == []


@st.composite
def trees(draw: st.DrawFn) -> list[Folder]:
    count = draw(st.integers(min_value=0, max_value=25))
    folders: list[Folder] = []
    for i in range(count):
        parent = draw(st.one_of(st.none(), st.sampled_from([x.id for x in folders]))) if folders else None
        folders.append(f(f"f{i}", parent, draw(st.integers(min_value=0, max_value=3))))
    return folders


def _is_tree(folders: list[Folder]) -> bool:
    by_id = {x.id: x for x in folders}
    for folder in folders:
        seen, current = set(), folder.parent_id
        while current is not None:
            if current in seen or current not in by_id:
                return False
            seen.add(current)
            current = by_id[current].parent_id
    return True


@settings(max_examples=200, deadline=None)
@given(trees())
def test_numbering_is_a_bijection_onto_the_tree(folders: list[Folder]) -> None:
    found = numbers(folders)
    assert set(found) == {x.id for x in folders}
    assert len(set(found.values())) == len(folders)
    for folder in folders:  # a number is its parent's number and a rank
        prefix, _, rank = found[folder.id].rpartition(".")
        assert prefix == (found[folder.parent_id] if folder.parent_id else "")
        assert rank.isdigit() and int(rank) >= 1


@settings(max_examples=200, deadline=None)
@given(trees(), st.data())
def test_a_move_that_is_allowed_keeps_a_tree_and_every_item(
    folders: list[Folder], data: st.DataObject,
) -> None:
    if not folders:
        return
    moving = data.draw(st.sampled_from(folders))
    target = data.draw(st.one_of(st.none(), st.sampled_from([x.id for x in folders])))
    items = [(f"i{i}", data.draw(st.sampled_from([x.id for x in folders])), "t") for i in range(5)]
    try:
        check_move(folders, moving.id, target)
    except Conflict:
        assert target == moving.id or target in descendants(folders, moving.id) or target is not None
        return
    moved = [Folder(x.id, x.org, target, x.name, x.position, AT) if x.id == moving.id else x for x in folders]
    assert _is_tree(moved)
    assert set(item_numbers(moved, items)) == {i for i, _, _ in items}
    assert set(numbers(moved)) == {x.id for x in folders}
