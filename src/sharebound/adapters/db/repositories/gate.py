"""The content gate's storage: crown-jewel terms, and fingerprints of restricted items."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import Connection, delete, func, insert, select

from sharebound.adapters.db.tables import crown_jewel_terms, items, restricted_fingerprints
from sharebound.domain.gate import CrownJewelTerm

# why: well under every database's limit on bound parameters in one statement
BATCH = 500


def _term(row: Any) -> CrownJewelTerm:
    return CrownJewelTerm(id=row.id, org=row.org, term=row.term, added_by=row.added_by,
                          added_at=row.added_at)


class GateRepository:
    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    # --- crown-jewel terms ---

    def add_term(self, term: CrownJewelTerm) -> None:
        self.connection.execute(insert(crown_jewel_terms).values(
            id=term.id, org=term.org, term=term.term, term_key=term.term.casefold(),
            added_by=term.added_by, added_at=term.added_at))

    def terms(self, org: str) -> list[CrownJewelTerm]:
        rows = self.connection.execute(
            select(crown_jewel_terms).where(crown_jewel_terms.c.org == org)
            .order_by(crown_jewel_terms.c.term_key))
        return [_term(r) for r in rows]

    def term_exists(self, org: str, term: str) -> bool:
        return self.connection.execute(
            select(crown_jewel_terms.c.id).where(crown_jewel_terms.c.org == org,
                                                 crown_jewel_terms.c.term_key == term.casefold())
        ).first() is not None

    def get_term(self, org: str, term_id: str) -> CrownJewelTerm | None:
        row = self.connection.execute(select(crown_jewel_terms).where(
            crown_jewel_terms.c.org == org, crown_jewel_terms.c.id == term_id)).first()
        return _term(row) if row else None

    def remove_term(self, term_id: str) -> None:
        self.connection.execute(delete(crown_jewel_terms).where(crown_jewel_terms.c.id == term_id))

    # --- fingerprints of restricted items ---

    def set_fingerprints(self, org: str, item_id: str, version: int, hashes: Iterable[int]) -> None:
        """Replace the item's fingerprints with `hashes` (of its version `version`)."""
        self.remove_fingerprints(item_id)
        rows = [{"item_id": item_id, "hash": h, "org": org, "item_version": version}
                for h in sorted(set(hashes))]
        for start in range(0, len(rows), BATCH):
            self.connection.execute(insert(restricted_fingerprints), rows[start:start + BATCH])

    def remove_fingerprints(self, item_id: str) -> None:
        self.connection.execute(delete(restricted_fingerprints)
                                .where(restricted_fingerprints.c.item_id == item_id))

    def owners_of(self, org: str, hashes: Iterable[int]) -> dict[int, list[str]]:
        """For each of `hashes` found among `org`'s fingerprints, the items it belongs to."""
        wanted = set(hashes)
        if not wanted:
            return {}
        found: dict[int, list[str]] = {}
        query = select(restricted_fingerprints.c.hash, restricted_fingerprints.c.item_id).where(
            restricted_fingerprints.c.org == org)
        # why: a long text has more distinct shingles than the org has fingerprints: reading
        # them all once is then cheaper than asking for the text's shingles batch by batch.
        if len(wanted) > BATCH and len(wanted) > self.fingerprint_count(org):
            for value, item_id in self.connection.execute(query):
                if value in wanted:
                    found.setdefault(value, []).append(item_id)
            return found
        ordered = sorted(wanted)
        for start in range(0, len(ordered), BATCH):
            rows = self.connection.execute(
                query.where(restricted_fingerprints.c.hash.in_(ordered[start:start + BATCH])))
            for value, item_id in rows:
                found.setdefault(value, []).append(item_id)
        return found

    def fingerprint_count(self, org: str | None = None) -> int:
        query = select(func.count()).select_from(restricted_fingerprints)
        if org is not None:
            query = query.where(restricted_fingerprints.c.org == org)
        return int(self.connection.execute(query).scalar_one())

    def titles(self, item_ids: Iterable[str]) -> dict[str, str]:
        ids = sorted(set(item_ids))
        if not ids:
            return {}
        return dict(self.connection.execute(
            select(items.c.id, items.c.title).where(items.c.id.in_(ids))).all())

    def restricted_item_ids(self) -> list[str]:
        query = select(items.c.id).where(items.c.classification == "restricted")
        return list(self.connection.execute(query.order_by(items.c.id)).scalars())
