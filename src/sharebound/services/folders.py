"""Folders of an org's library: create, rename, move, reorder, delete when empty; put an item
in a folder; the library as a numbered tree (one read model for the API and the pages)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from sharebound.domain.audit import org_log
from sharebound.domain.errors import Conflict, InvalidInput, NotFound
from sharebound.domain.events import FolderChanged, FolderCreated, FolderDeleted, ItemMoved
from sharebound.domain.folders import (
    Folder,
    check_move,
    check_sibling_name,
    children,
    depth,
    folder_name,
    item_numbers,
    numbers,
    placed,
)
from sharebound.domain.ids import new_id
from sharebound.domain.items import Item
from sharebound.domain.limits import MAX_FOLDER_DEPTH, MAX_FOLDERS
from sharebound.domain.orgs import Person
from sharebound.services.common import actor, record
from sharebound.services.unit_of_work import UnitOfWork

#: Given for `parent_id` when it is not to change (None means the root).
KEEP: Literal["keep"] = "keep"


@dataclass(frozen=True)
class Row:
    """One line of the tree, in reading order: a folder or an item, its number and depth."""

    kind: Literal["folder", "item"]
    id: str
    number: str
    name: str
    depth: int  # 0: in the root
    parent_id: str | None
    item: Item | None = None


@dataclass(frozen=True)
class Library:
    rows: tuple[Row, ...]
    folders: tuple[Folder, ...]

    def folder_rows(self) -> list[Row]:
        return [r for r in self.rows if r.kind == "folder"]


def create_folder(uow: UnitOfWork, actor_id: str, name: object, parent_id: str | None = None,
                  index: int | None = None) -> Folder:
    """A folder in the actor's library, in `parent_id` (None: the root), at `index` among its
    siblings (None: last)."""
    clean = folder_name(name)
    with uow:
        person = actor(uow, actor_id)
        folder = create_in(uow, person, uow.folders.of_org(person.org), clean, parent_id, index)
        uow.commit()
    return folder


def create_in(uow: UnitOfWork, person: Person, folders: list[Folder], name: str,
              parent_id: str | None, index: int | None = None) -> Folder:
    """Add a folder inside the caller's transaction (`folders`: the org's, updated in place);
    every way of making one (a ZIP import too) stops at MAX_FOLDERS."""
    if len(folders) >= MAX_FOLDERS:
        raise Conflict(f"a library holds at most {MAX_FOLDERS} folders")
    by_id = {f.id: f for f in folders}
    if parent_id is not None and parent_id not in by_id:
        raise NotFound("folder", parent_id)
    if depth(by_id, parent_id) + 1 > MAX_FOLDER_DEPTH:
        raise Conflict(f"folders nest at most {MAX_FOLDER_DEPTH} deep")
    check_sibling_name(folders, parent_id, name)
    siblings = children(folders, parent_id)
    folder = Folder(id=new_id("fld"), org=person.org, parent_id=parent_id, name=name,
                    position=(siblings[-1].position + 1) if siblings else 0, created_at=uow.clock())
    uow.folders.add(folder, person.id)
    folders.append(folder)
    if index is not None:
        _place(uow, folders, folder, index)
    record(uow, org_log(person.org), person.id, folder.id, FolderCreated(name=name, parent=parent_id))
    return folder


def update_folder(uow: UnitOfWork, actor_id: str, folder_id: str, *, name: object = None,
                  parent_id: str | Literal["keep"] | None = KEEP, index: int | None = None) -> Folder:
    """Rename, move (into another folder or the root) and reorder (`index` among the new
    siblings, from 0), any of them at once. A move into itself or one of its own subfolders
    is refused (409)."""
    clean = folder_name(name) if name is not None else None
    if clean is None and parent_id == KEEP and index is None:
        raise InvalidInput({"body": "name at least one of name, parent_id, index"})
    if index is not None and (isinstance(index, bool) or not isinstance(index, int) or index < 0):
        raise InvalidInput({"index": "must be a whole number from 0"})
    with uow:
        person = actor(uow, actor_id)
        folders = uow.folders.of_org(person.org)
        folder = _own(folders, folder_id)
        changed: list[str] = []
        target = folder.parent_id if parent_id == KEEP else parent_id
        if target is not None and target not in {f.id for f in folders}:
            raise NotFound("folder", target)
        if target != folder.parent_id:
            check_move(folders, folder.id, target)
            changed.append("parent")
        final = clean if clean is not None else folder.name
        check_sibling_name(folders, target, final, moving=folder.id)
        if clean is not None and clean != folder.name:
            uow.folders.rename(folder.id, clean)
            changed.append("name")
        if "parent" in changed:
            uow.folders.set_parent(folder.id, target)
        moved = Folder(folder.id, folder.org, target, final, folder.position, folder.created_at)
        folders = [moved if f.id == folder.id else f for f in folders]
        if (index is not None or "parent" in changed) and _place(uow, folders, moved, index):
            changed.append("position")
        now = next(f for f in uow.folders.of_org(person.org) if f.id == folder.id)
        record(uow, org_log(person.org), person.id, folder.id, FolderChanged(
            fields=tuple(changed), name=now.name, parent=now.parent_id, position=now.position))
        uow.commit()
    return now


def _place(uow: UnitOfWork, folders: list[Folder], folder: Folder, index: int | None) -> bool:
    siblings = children(folders, folder.parent_id)
    changes = placed(siblings, folder.id, index)
    for fid, position in changes:
        uow.folders.set_position(fid, position)
    return bool(changes)


def delete_folder(uow: UnitOfWork, actor_id: str, folder_id: str) -> None:
    """Delete a folder that holds nothing (no subfolder, no item): 409 otherwise."""
    with uow:
        person = actor(uow, actor_id)
        folder = _own(uow.folders.of_org(person.org), folder_id)
        if not uow.folders.is_empty(folder.id):
            raise Conflict("only an empty folder can be deleted: move or delete what is in it first")
        uow.folders.remove(folder.id)
        record(uow, org_log(person.org), person.id, folder.id, FolderDeleted(name=folder.name))
        uow.commit()


def move_item_in(uow: UnitOfWork, person: Person, item: Item, folder_id: str | None) -> None:
    """Put an item of the person's org into `folder_id` (None: the root), in their transaction."""
    if folder_id is not None:
        folder = uow.folders.get(folder_id)
        if folder is None or folder.org != person.org:
            raise NotFound("folder", folder_id)
    if folder_id == item.folder_id:
        return
    uow.items.set_folder(item.id, folder_id)
    record(uow, org_log(person.org), person.id, item.id, ItemMoved(old=item.folder_id, new=folder_id))


def library(uow: UnitOfWork, actor_id: str) -> Library:
    """The actor's library as a numbered tree: folders and items in reading order."""
    with uow.reading():
        person = actor(uow, actor_id)
        folders = uow.folders.of_org(person.org)
        items = uow.items.list_for_org(person.org)
    return build_library(folders, items)


def build_library(folders: list[Folder], items: list[Item]) -> Library:
    folder_numbers = numbers(folders)
    item_nums = item_numbers(folders, [(i.id, i.folder_id, i.title) for i in items], folder_numbers)
    held: dict[str | None, list[Item]] = {}
    for item in items:
        held.setdefault(item.folder_id if item.folder_id in folder_numbers else None, []).append(item)
    rows: list[Row] = []
    within: dict[str | None, list[Folder]] = {}  # why: one pass, not a scan of all per folder
    for folder in folders:
        within.setdefault(folder.parent_id, []).append(folder)

    def walk(parent: str | None, level: int) -> None:
        for folder in children(within.get(parent, []), parent):
            rows.append(Row("folder", folder.id, folder_numbers[folder.id], folder.name, level, parent))
            walk(folder.id, level + 1)
        for item in sorted(held.get(parent, []), key=lambda i: (i.title.casefold(), i.id)):
            rows.append(Row("item", item.id, item_nums[item.id], item.title, level, parent, item))

    walk(None, 0)
    return Library(tuple(rows), tuple(folders))


def own_folder(uow: UnitOfWork, person: Person, folder_id: str) -> Folder:
    folder = uow.folders.get(folder_id)
    if folder is None or folder.org != person.org:
        raise NotFound("folder", folder_id)
    return folder


def _own(folders: list[Folder], folder_id: str) -> Folder:
    for folder in folders:
        if folder.id == folder_id:
            return folder
    raise NotFound("folder", folder_id)
