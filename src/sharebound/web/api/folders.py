"""Folders of the library: the numbered tree, create, rename / move / reorder, delete."""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter, Response
from pydantic import BaseModel, Field

from sharebound.domain import limits as lim
from sharebound.domain.folders import Folder
from sharebound.services import folders
from sharebound.web.deps import Me, Uow
from sharebound.web.schemas import Strict
from sharebound.web.views import ItemOut

router = APIRouter(tags=["folders"])


class FolderRequest(Strict):
    name: str = Field(max_length=lim.MAX_FOLDER_NAME)
    parent_id: str | None = Field(default=None, max_length=lim.MAX_ID, description="None: the root.")
    index: int | None = Field(default=None, ge=0, le=lim.MAX_FOLDERS,
                              description="Place among its siblings, from 0; omit: last.")


class FolderPatch(Strict):
    name: str | None = Field(default=None, max_length=lim.MAX_FOLDER_NAME)
    parent_id: str | None = Field(default=None, max_length=lim.MAX_ID,
                                  description="Move it here; null: the root; omit: stays.")
    index: int | None = Field(default=None, ge=0, le=lim.MAX_FOLDERS,
                              description="Its place among its (new) siblings, from 0.")


class FolderOut(BaseModel):
    id: str
    name: str
    parent_id: str | None
    position: int
    created_at: datetime

    @classmethod
    def of(cls, folder: Folder) -> FolderOut:
        return cls(id=folder.id, name=folder.name, parent_id=folder.parent_id,
                   position=folder.position, created_at=folder.created_at)


class TreeRowOut(BaseModel):
    kind: str  # folder or item
    id: str
    number: str
    name: str
    depth: int
    parent_id: str | None
    item: ItemOut | None = None


class TreeOut(BaseModel):
    rows: list[TreeRowOut]


@router.get("/folders", response_model=TreeOut)
def library_tree(me: Me, uow: Uow) -> TreeOut:
    """Your library as a tree in reading order: each folder and item with its index number."""
    found = folders.library(uow, me.id)
    return TreeOut(rows=[TreeRowOut(kind=r.kind, id=r.id, number=r.number, name=r.name, depth=r.depth,
                                    parent_id=r.parent_id, item=ItemOut.of(r.item) if r.item else None)
                         for r in found.rows])


@router.post("/folders", response_model=FolderOut, status_code=201)
def create_folder(body: FolderRequest, me: Me, uow: Uow) -> FolderOut:
    return FolderOut.of(folders.create_folder(uow, me.id, body.name, body.parent_id, body.index))


@router.patch("/folders/{folder_id}", response_model=FolderOut)
def update_folder(folder_id: str, body: FolderPatch, me: Me, uow: Uow) -> FolderOut:
    """Rename, move (never into itself or its own subfolder: 409) and reorder, at once."""
    parent = body.parent_id if "parent_id" in body.model_fields_set else folders.KEEP
    return FolderOut.of(folders.update_folder(uow, me.id, folder_id, name=body.name,
                                              parent_id=parent, index=body.index))


@router.delete("/folders/{folder_id}", status_code=204)
def delete_folder(folder_id: str, me: Me, uow: Uow) -> Response:
    """Only an empty folder (409 otherwise)."""
    folders.delete_folder(uow, me.id, folder_id)
    return Response(status_code=204)
