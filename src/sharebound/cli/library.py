"""Commands over an org's library, acting as one of its people (`--as email`): folders
(create, list, move, rename, delete) and package disclosures (docs/library.md).

A folder is named by its number in the library (`1.2`, as `folder list` shows it) or by its id
(`fld_…`); `root` is the top of the library where a place is asked for.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import typer

from sharebound.cli.base import app, err, open_app, out, reported_errors
from sharebound.domain.errors import InvalidInput, NotFound
from sharebound.services import folders, packages, people
from sharebound.services.packages import PackageDraft
from sharebound.services.unit_of_work import UnitOfWork

folder_app = typer.Typer(help="Folders of an org's library (docs/library.md).", no_args_is_help=True)
package_app = typer.Typer(help="Package disclosures: several items under one agreement at once "
                               "(docs/library.md).", no_args_is_help=True)
app.add_typer(folder_app, name="folder")
app.add_typer(package_app, name="package")

ROOT = "root"

AsOption = Annotated[str, typer.Option("--as", help="Act as this person (their email): their org's library.")]
IndexOption = Annotated[int | None, typer.Option(
    "--at", min=0, help="The place among the folders beside it, from 0 (default: last).")]
InOption = Annotated[str | None, typer.Option(
    "--in", help="The folder to make it in (number or id; default: the root).")]
ItemsOption = Annotated[bool, typer.Option("--items/--no-items", help="Show the items in each folder too.")]
ItemOption = Annotated[list[str] | None, typer.Option(
    "--item", help="An item id (repeat for each); or --folder.")]
FolderOption = Annotated[str | None, typer.Option(
    help="Every item in this folder and its subfolders (number or id).")]
ActionOption = Annotated[list[str] | None, typer.Option(
    "--action", help="view or download (repeat for both; default: view).")]
ExpiresOption = Annotated[str | None, typer.Option(
    help="When access ends, ISO 8601 with a time zone (default: the longest the agreement allows).")]
AllowedOnlyOption = Annotated[bool, typer.Option(
    "--allowed-only", help="Disclose the allowed items and leave the refused ones out "
                           "(default: all or nothing).")]


def _folder_id(uow: UnitOfWork, actor_id: str, ref: str) -> str:
    """The id of the folder `ref` names: its number in the library, or its id."""
    wanted = ref.strip()
    for row in folders.library(uow, actor_id).folder_rows():
        if wanted in (row.number, row.id):
            return row.id
    raise NotFound("folder", wanted)


def _place(uow: UnitOfWork, actor_id: str, ref: str | None) -> str | None:
    """A folder to put something in; None (or `root`) for the top of the library."""
    if ref is None or ref.strip().lower() == ROOT:
        return None
    return _folder_id(uow, actor_id, ref)


@folder_app.command("create")
def folder_create(
    name: Annotated[str, typer.Argument(help="The folder's name.")], as_person: AsOption,
    inside: InOption = None,
    index: IndexOption = None,
) -> None:
    """Make a folder; prints its number and id."""
    core = open_app()
    with reported_errors():
        actor_id = people.find_person(core.uow(), as_person).id
        made = folders.create_folder(core.uow(), actor_id, name, _place(core.uow(), actor_id, inside), index)
        rows = folders.library(core.uow(), actor_id).folder_rows()
        number = next(r.number for r in rows if r.id == made.id)
    core.close()
    out.print(f"created folder {number} {made.name} ({made.id})", highlight=False)


@folder_app.command("list")
def folder_list(as_person: AsOption, items: ItemsOption = True) -> None:
    """The library as a numbered tree: each folder (and item) with its number, indented."""
    core = open_app()
    with reported_errors():
        actor_id = people.find_person(core.uow(), as_person).id
        shown = folders.library(core.uow(), actor_id)
    core.close()
    rows = [r for r in shown.rows if items or r.kind == "folder"]
    if not rows:
        out.print("the library is empty", highlight=False)
    for row in rows:
        indent = "  " * row.depth
        if row.kind == "folder":
            out.print(f"{indent}{row.number} {row.name}/  ({row.id})", highlight=False, markup=False)
        else:
            assert row.item is not None
            out.print(f"{indent}{row.number} {row.name}  [{row.item.classification.value}]  ({row.id})",
                      highlight=False, markup=False)


@folder_app.command("move")
def folder_move(
    folder: Annotated[str, typer.Argument(help="The folder (number or id).")], as_person: AsOption,
    into: Annotated[str, typer.Option("--into", help="Where to: a folder (number or id), or `root`.")],
    index: IndexOption = None,
) -> None:
    """Move a folder (with all it holds) into another folder or to the root; numbers change,
    ids do not."""
    core = open_app()
    with reported_errors():
        actor_id = people.find_person(core.uow(), as_person).id
        moved = folders.update_folder(core.uow(), actor_id, _folder_id(core.uow(), actor_id, folder),
                                      parent_id=_place(core.uow(), actor_id, into), index=index)
    core.close()
    out.print(f"moved folder {moved.name} ({moved.id})", highlight=False)


@folder_app.command("rename")
def folder_rename(
    folder: Annotated[str, typer.Argument(help="The folder (number or id).")],
    name: Annotated[str, typer.Argument(help="Its new name.")], as_person: AsOption,
) -> None:
    """Rename a folder."""
    core = open_app()
    with reported_errors():
        actor_id = people.find_person(core.uow(), as_person).id
        renamed = folders.update_folder(core.uow(), actor_id, _folder_id(core.uow(), actor_id, folder),
                                        name=name)
    core.close()
    out.print(f"renamed folder {renamed.id} to {renamed.name}", highlight=False)


@folder_app.command("delete")
def folder_delete(
    folder: Annotated[str, typer.Argument(help="The folder (number or id).")], as_person: AsOption,
) -> None:
    """Delete an empty folder (exit 5 when it holds a folder or an item)."""
    core = open_app()
    with reported_errors():
        actor_id = people.find_person(core.uow(), as_person).id
        folder_id = _folder_id(core.uow(), actor_id, folder)
        folders.delete_folder(core.uow(), actor_id, folder_id)
    core.close()
    out.print(f"deleted folder {folder_id}", highlight=False)


@package_app.command("disclose")
def package_disclose(
    as_person: AsOption,
    agreement: Annotated[str, typer.Option(help="The agreement (id) it is disclosed under.")],
    to: Annotated[list[str], typer.Option("--to", help="A recipient's email (repeat for each).")],
    item: ItemOption = None, folder: FolderOption = None, action: ActionOption = None,
    expires: ExpiresOption = None, allowed_only: AllowedOnlyOption = False,
) -> None:
    """Disclose several items as one package: each is its own register entry. Refused (exit 6)
    listing every refused item with its reasons; with --allowed-only those are left out."""
    core = open_app()
    with reported_errors():
        actor_id = people.find_person(core.uow(), as_person).id
        expires_at = _when(expires)
        folder_id = _folder_id(core.uow(), actor_id, folder) if folder else None
        done = packages.disclose_package(core.uow(), actor_id, PackageDraft(
            agreement_id=agreement, recipients=to, actions=action or ["view"],
            item_ids=item or (), folder_id=folder_id, expires_at=expires_at,
            allowed_only=allowed_only))
    core.close()
    out.print(f"disclosed package {done.package.name} ({done.package.id}): "
              f"{len(done.entries)} items", highlight=False)
    for entry, disclosure in done.entries:
        out.print(f"  {entry.number} {disclosure.item_title}  ({disclosure.id})", highlight=False,
                  markup=False)
    for left in (d for d in done.decisions if not d.decision.allowed):
        err.print(f"left out: {left.number} {left.title}: "
                  + "; ".join(r.message for r in left.decision.reasons), highlight=False, markup=False)


def _when(text: str | None) -> datetime | None:
    if text is None:
        return None
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        raise InvalidInput({"expires": "must be an ISO 8601 date and time, e.g. "
                                       "2027-01-31T17:00:00+00:00"}) from None
