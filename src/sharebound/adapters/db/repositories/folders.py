"""Folders of an org's library, and package disclosures' entries."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import Connection, delete, func, insert, select, update

from sharebound.adapters.db.tables import folders, items, package_entries, packages
from sharebound.domain.folders import Folder
from sharebound.domain.packages import Package, PackageEntry


def _folder(row: Any) -> Folder:
    return Folder(id=row.id, org=row.org, parent_id=row.parent_id, name=row.name,
                  position=row.position, created_at=row.created_at)


class FolderRepository:
    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def add(self, folder: Folder, created_by: str) -> None:
        self.connection.execute(insert(folders).values(
            id=folder.id, org=folder.org, parent_id=folder.parent_id, name=folder.name,
            position=folder.position, created_at=folder.created_at, created_by=created_by))

    def of_org(self, org: str) -> list[Folder]:
        return [_folder(r) for r in self.connection.execute(
            select(folders).where(folders.c.org == org).order_by(folders.c.id))]

    def get(self, folder_id: str) -> Folder | None:
        row = self.connection.execute(select(folders).where(folders.c.id == folder_id)).first()
        return _folder(row) if row else None

    def rename(self, folder_id: str, name: str) -> None:
        self.connection.execute(update(folders).where(folders.c.id == folder_id).values(name=name))

    def set_parent(self, folder_id: str, parent_id: str | None) -> None:
        self.connection.execute(update(folders).where(folders.c.id == folder_id)
                                .values(parent_id=parent_id))

    def set_position(self, folder_id: str, position: int) -> None:
        self.connection.execute(update(folders).where(folders.c.id == folder_id)
                                .values(position=position))

    def is_empty(self, folder_id: str) -> bool:
        sub = self.connection.execute(
            select(func.count()).select_from(folders).where(folders.c.parent_id == folder_id)).scalar_one()
        held = self.connection.execute(
            select(func.count()).select_from(items).where(items.c.folder_id == folder_id)).scalar_one()
        return not sub and not held

    def remove(self, folder_id: str) -> None:
        self.connection.execute(delete(folders).where(folders.c.id == folder_id))


class PackageRepository:
    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def add(self, package: Package) -> None:
        p = package
        self.connection.execute(insert(packages).values(
            id=p.id, partnership_id=p.partnership_id, discloser=p.discloser,
            disclosed_by=p.disclosed_by, agreement_id=p.agreement_id, name=p.name,
            allowed_only=p.allowed_only, created_at=p.created_at))

    def add_entries(self, entries: list[PackageEntry]) -> None:
        if entries:
            self.connection.execute(insert(package_entries), [
                {"package_id": e.package_id, "disclosure_id": e.disclosure_id, "number": e.number,
                 "path": json.dumps(list(e.path))} for e in entries])

    def get(self, package_id: str) -> Package | None:
        row = self.connection.execute(select(packages).where(packages.c.id == package_id)).first()
        if row is None:
            return None
        return Package(id=row.id, partnership_id=row.partnership_id, discloser=row.discloser,
                       disclosed_by=row.disclosed_by, agreement_id=row.agreement_id, name=row.name,
                       allowed_only=bool(row.allowed_only), created_at=row.created_at)

    def entries(self, package_id: str) -> list[PackageEntry]:
        rows = self.connection.execute(
            select(package_entries).where(package_entries.c.package_id == package_id))
        return [PackageEntry(package_id=r.package_id, disclosure_id=r.disclosure_id, number=r.number,
                             path=tuple(json.loads(r.path))) for r in rows]
