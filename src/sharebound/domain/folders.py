"""Folders of an org's library: a tree, each folder numbered by its place among its siblings.

    1  Specifications            a folder's number is its parent's number, a dot, and its
    1.1  Mechanical              rank (from 1) among its siblings, in the order their
    1.2  Electrical              `position` gives (then name, then id: never a tie);
    1.2.1  bom.csv               items follow their folder's subfolders, by title then id
    2  Test reports

Numbers are computed, never stored: reordering, moving or deleting a folder renumbers what
follows it. A folder never moves into itself or one of its descendants (`check_move`), so the
folders always form a tree. Pure: the services load an org's folders and ask these functions.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from sharebound.domain.errors import Conflict, InvalidInput
from sharebound.domain.limits import MAX_FOLDER_DEPTH, MAX_FOLDER_NAME

ROOT = None  # the library's root: not a folder, a folder's `parent_id` when it has none


@dataclass(frozen=True, slots=True)
class Folder:
    id: str
    org: str
    parent_id: str | None
    name: str
    position: int  # the order among siblings; numbers are ranks, so gaps do not matter
    created_at: datetime


def folder_name(value: object, field: str = "name") -> str:
    """A folder's name: one line, no slash (a slash separates folders in a path), not `.` or
    `..`, at most MAX_FOLDER_NAME characters."""
    if not isinstance(value, str) or not value.strip():
        raise InvalidInput({field: "is required"})
    name = " ".join(value.split())
    if "/" in name or "\\" in name:
        raise InvalidInput({field: "must not contain / or \\ (they separate folders in a path)"})
    if name in {".", ".."}:
        raise InvalidInput({field: "must not be . or .."})
    if not all(c.isprintable() for c in name):
        raise InvalidInput({field: "must not contain control characters"})
    if len(name) > MAX_FOLDER_NAME:
        raise InvalidInput({field: f"must be at most {MAX_FOLDER_NAME} characters"})
    return name


def _sort_key(folder: Folder) -> tuple[int, str, str]:
    return folder.position, folder.name.casefold(), folder.id


def children(folders: Iterable[Folder], parent_id: str | None) -> list[Folder]:
    """The folders directly in `parent_id` (None: the root), in their numbering order."""
    return sorted((f for f in folders if f.parent_id == parent_id), key=_sort_key)


def numbers(folders: Sequence[Folder]) -> dict[str, str]:
    """Every folder's index number (`1`, `1.2`, `1.2.3`), by id."""
    by_parent: dict[str | None, list[Folder]] = {}
    for folder in folders:
        by_parent.setdefault(folder.parent_id, []).append(folder)
    found: dict[str, str] = {}
    stack: list[tuple[str | None, str]] = [(ROOT, "")]
    while stack:
        parent, prefix = stack.pop()
        for rank, folder in enumerate(sorted(by_parent.get(parent, []), key=_sort_key), start=1):
            number = f"{prefix}{rank}"
            found[folder.id] = number
            stack.append((folder.id, f"{number}."))
    return found


def item_numbers(folders: Sequence[Folder], items: Iterable[tuple[str, str | None, str]],
                 folder_numbers: Mapping[str, str] | None = None) -> dict[str, str]:
    """Every item's number: `items` are (id, folder id or None, title); an item follows its
    folder's subfolders, by title then id."""
    known = folder_numbers if folder_numbers is not None else numbers(folders)
    subfolders: dict[str | None, int] = {}
    for folder in folders:
        subfolders[folder.parent_id] = subfolders.get(folder.parent_id, 0) + 1
    by_folder: dict[str | None, list[tuple[str, str]]] = {}
    for item_id, folder_id, title in items:
        by_folder.setdefault(folder_id, []).append((title.casefold(), item_id))
    found: dict[str, str] = {}
    for folder_id, members in by_folder.items():
        prefix = f"{known[folder_id]}." if folder_id is not None and folder_id in known else ""
        start = subfolders.get(folder_id, 0) + 1
        for rank, (_, item_id) in enumerate(sorted(members), start=start):
            found[item_id] = f"{prefix}{rank}"
    return found


def descendants(folders: Iterable[Folder], folder_id: str) -> set[str]:
    """The ids of every folder under `folder_id` (not itself)."""
    by_parent: dict[str | None, list[str]] = {}
    for folder in folders:
        by_parent.setdefault(folder.parent_id, []).append(folder.id)
    found: set[str] = set()
    stack = [folder_id]
    while stack:
        for child in by_parent.get(stack.pop(), []):
            if child not in found:
                found.add(child)
                stack.append(child)
    return found


def depth(folders: Mapping[str, Folder], folder_id: str | None) -> int:
    """How deep `folder_id` is: 0 for the root, 1 for a folder in the root."""
    level = 0
    while folder_id is not None:
        level += 1
        folder_id = folders[folder_id].parent_id
    return level


def height(folders: Iterable[Folder], folder_id: str) -> int:
    """How many levels `folder_id` and what is under it take: 1 for a folder with no subfolder."""
    listed = list(folders)
    by_parent: dict[str | None, list[str]] = {}
    for folder in listed:
        by_parent.setdefault(folder.parent_id, []).append(folder.id)
    best, stack = 0, [(folder_id, 1)]
    while stack:
        current, level = stack.pop()
        best = max(best, level)
        stack.extend((child, level + 1) for child in by_parent.get(current, []))
    return best


def check_move(folders: Sequence[Folder], folder_id: str, new_parent_id: str | None) -> None:
    """Refuse a move that would break the tree: into itself, into one of its own descendants,
    or deeper than MAX_FOLDER_DEPTH levels."""
    if new_parent_id is None:
        return
    if new_parent_id == folder_id:
        raise Conflict("a folder cannot be moved into itself")
    if new_parent_id in descendants(folders, folder_id):
        raise Conflict("a folder cannot be moved into one of its own subfolders")
    by_id = {f.id: f for f in folders}
    if depth(by_id, new_parent_id) + height(folders, folder_id) > MAX_FOLDER_DEPTH:
        raise Conflict(f"folders nest at most {MAX_FOLDER_DEPTH} deep")


def check_sibling_name(folders: Iterable[Folder], parent_id: str | None, name: str,
                       moving: str | None = None) -> None:
    """Two folders side by side never share a name (in any case): a path names one folder."""
    if any(f.parent_id == parent_id and f.name.casefold() == name.casefold() and f.id != moving
           for f in folders):
        raise Conflict(f"there is already a folder named {name!r} there")


def placed(siblings: Sequence[Folder], folder_id: str, index: int | None) -> list[tuple[str, int]]:
    """The positions that put `folder_id` at `index` (from 0; None: last) among `siblings`
    (in order, without it), as (id, position) for each folder whose position changes."""
    order = [f.id for f in siblings if f.id != folder_id]
    at = len(order) if index is None else max(0, min(index, len(order)))
    order.insert(at, folder_id)
    current = {f.id: f.position for f in siblings}
    return [(fid, pos) for pos, fid in enumerate(order) if current.get(fid) != pos]


def path_of(folders: Mapping[str, Folder], folder_id: str | None) -> tuple[str, ...]:
    """The names from the root down to `folder_id`."""
    names: list[str] = []
    while folder_id is not None:
        folder = folders[folder_id]
        names.append(folder.name)
        folder_id = folder.parent_id
    return tuple(reversed(names))
