"""Items, their versions, and requests to lower a crown jewel's classification."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from functools import cache
from typing import Any

from sqlalchemy import Connection, Select, insert, select, update

from sharebound.adapters.db.paging import keyset
from sharebound.adapters.db.tables import item_versions, items, reclassifications
from sharebound.adapters.db.where import in_list, one_of
from sharebound.domain.classification import Classification
from sharebound.domain.items import Item, ItemKind, ItemVersion, Reclassification
from sharebound.domain.paging import Page, PageRequest, cut


def _reclassification(row: Any) -> Reclassification:
    return Reclassification(
        id=row.id, item_id=row.item_id, old=Classification(row.old), new=Classification(row.new),
        requested_by=row.requested_by, requested_at=row.requested_at,
        approved_by=row.approved_by, approved_at=row.approved_at)


class ItemRepository:
    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def add(self, item: Item) -> None:
        self.connection.execute(insert(items).values(
            id=item.id, owner=item.owner, kind=item.kind.value, title=item.title,
            classification=item.classification.value, topics=json.dumps(sorted(item.topics)),
            created_at=item.created_at, trade_secret=item.trade_secret, folder_id=item.folder_id))
        for version in item.versions:
            self.add_version(item.id, version)

    def add_version(self, item_id: str, version: ItemVersion) -> None:
        self.connection.execute(insert(item_versions).values(
            item_id=item_id, number=version.number, sha256=version.sha256, size=version.size,
            media_type=version.media_type, filename=version.filename,
            created_at=version.created_at, created_by=version.created_by))

    def set_classification(self, item_id: str, classification: Classification) -> None:
        self.connection.execute(update(items).where(items.c.id == item_id)
                                .values(classification=classification.value))

    def set_metadata(self, item_id: str, *, title: str, topics: frozenset[str]) -> None:
        self.connection.execute(update(items).where(items.c.id == item_id)
                                .values(title=title, topics=json.dumps(sorted(topics))))

    def set_trade_secret(self, item_id: str, trade_secret: bool) -> None:
        self.connection.execute(update(items).where(items.c.id == item_id)
                                .values(trade_secret=trade_secret))

    def set_folder(self, item_id: str, folder_id: str | None) -> None:
        self.connection.execute(update(items).where(items.c.id == item_id).values(folder_id=folder_id))

    def placements(self, org: str) -> list[tuple[str, str | None, str]]:
        """(id, folder id, title) of every item of `org`: what the tree's numbers need."""
        rows = self.connection.execute(
            select(items.c.id, items.c.folder_id, items.c.title).where(items.c.owner == org))
        return [(r.id, r.folder_id, r.title) for r in rows]

    def in_folders(self, org: str, folder_ids: set[str]) -> list[Item]:
        rows = self.connection.execute(
            select(items).where(items.c.owner == org, items.c.folder_id.in_(sorted(folder_ids)))
            .order_by(items.c.title, items.c.id))
        return self._load_all(rows.all())

    def get(self, item_id: str) -> Item | None:
        row = self.connection.execute(select(items).where(items.c.id == item_id)).first()
        return self._load(row) if row else None

    def list_for_org(self, org: str) -> list[Item]:
        """Every item of the org, oldest first, with their versions in one more query."""
        return self._load_all(self.connection.execute(
            select(items).where(items.c.owner == org).order_by(items.c.created_at, items.c.id)).all())

    def page_for_org(self, org: str, request: PageRequest) -> Page[Item]:
        """One keyset page of the org's library, oldest first (the order `list_for_org` keeps),
        with their versions in one more query."""
        rows = self.connection.execute(keyset(select(items).where(items.c.owner == org),
                                              [items.c.created_at, items.c.id], request,
                                              newest_first=False)).all()
        return cut(self._load_all(rows), request, lambda i: (i.created_at, i.id))

    def version_facts(
        self, pairs: Iterable[tuple[str, int]]
    ) -> dict[tuple[str, int], tuple[ItemKind, bool, str]]:
        """(kind, trade secret, media type) of each (item id, version number), in one query:
        what a list of disclosures shows of their items."""
        wanted = set(pairs)
        if not wanted:
            return {}
        rows = self.connection.execute(_version_facts(self.connection.dialect.name),
                                       {"ids": sorted({i for i, _ in wanted})})
        return {(r.id, r.number): (ItemKind(r.kind), bool(r.trade_secret), r.media_type)
                for r in rows if (r.id, r.number) in wanted}

    def owns_any(self, org: str) -> bool:
        return self.connection.execute(
            select(items.c.id).where(items.c.owner == org).limit(1)).first() is not None

    def _load(self, row: Any) -> Item:
        return self._load_all([row])[0]

    def _load_all(self, rows: Sequence[Any]) -> list[Item]:
        """Items from their rows, with every version of them all in one query (not one per item)."""
        if not rows:
            return []
        held: dict[str, list[ItemVersion]] = {}
        for v in self.connection.execute(
                select(item_versions)
                .where(one_of(self.connection, item_versions.c.item_id, sorted({r.id for r in rows})))
                .order_by(item_versions.c.item_id, item_versions.c.number)):
            held.setdefault(v.item_id, []).append(
                ItemVersion(number=v.number, sha256=v.sha256, size=v.size, media_type=v.media_type,
                            filename=v.filename, created_at=v.created_at, created_by=v.created_by))
        return [self._item(row, tuple(held.get(row.id, ()))) for row in rows]

    @staticmethod
    def _item(row: Any, versions: tuple[ItemVersion, ...]) -> Item:
        return Item(id=row.id, owner=row.owner, kind=ItemKind(row.kind), title=row.title,
                    classification=Classification(row.classification),
                    topics=frozenset(json.loads(row.topics)), versions=versions,
                    created_at=row.created_at, trade_secret=bool(row.trade_secret),
                    folder_id=row.folder_id)

    def referenced_blobs(self) -> set[str]:
        """Every SHA-256 an item version refers to: the blobs that must be kept."""
        return set(self.connection.execute(select(item_versions.c.sha256).distinct()).scalars())

    def referenced_blobs_by_owner(self) -> set[tuple[str, str]]:
        """(owner, SHA-256) of every item version: the store keys an org's blobs by both."""
        rows = self.connection.execute(select(items.c.owner, item_versions.c.sha256).distinct()
                                       .join(items, items.c.id == item_versions.c.item_id))
        return {(owner, sha256) for owner, sha256 in rows}

    def add_reclassification(self, request: Reclassification) -> None:
        self.connection.execute(insert(reclassifications).values(
            id=request.id, item_id=request.item_id, old=request.old.value, new=request.new.value,
            requested_by=request.requested_by, requested_at=request.requested_at))

    def approve_reclassification(self, request: Reclassification) -> None:
        self.connection.execute(
            update(reclassifications).where(reclassifications.c.id == request.id)
            .values(approved_by=request.approved_by, approved_at=request.approved_at))

    def get_reclassification(self, request_id: str, *, lock: bool = False) -> Reclassification | None:
        query = select(reclassifications).where(reclassifications.c.id == request_id)
        row = self.connection.execute(query.with_for_update() if lock else query).first()
        return _reclassification(row) if row else None

    def pending_reclassifications(self, item_id: str) -> list[Reclassification]:
        rows = self.connection.execute(
            select(reclassifications)
            .where(reclassifications.c.item_id == item_id, reclassifications.c.approved_at.is_(None))
            .order_by(reclassifications.c.requested_at))
        return [_reclassification(r) for r in rows]


@cache
def _version_facts(dialect: str) -> Select[Any]:
    return (select(items.c.id, items.c.kind, items.c.trade_secret, item_versions.c.number,
                   item_versions.c.media_type)
            .join(item_versions, item_versions.c.item_id == items.c.id)
            .where(in_list(dialect, items.c.id, "ids")))
