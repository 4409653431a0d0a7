"""The content gate's storage: crown-jewel terms, and fingerprints of restricted items."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import Connection, delete, func, insert, select, update

from sharebound.adapters.db.engine import READ_ONLY
from sharebound.adapters.db.paging import keyset
from sharebound.adapters.db.tables import crown_jewel_terms, items, pending_rebuilds, restricted_fingerprints
from sharebound.adapters.keys import KeyRing, is_sealed_text
from sharebound.domain.copies import ShingleRun
from sharebound.domain.gate import CrownJewelTerm
from sharebound.domain.paging import Page, PageRequest, cut

# why: well under every database's limit on bound parameters in one statement
BATCH = 500


class GateRepository:
    """Crown-jewel terms are sealed in their column with the data key (the row as AAD) and
    opened on read, since the gate needs them in clear; their uniqueness key is a keyed hash
    per org (docs/encryption.md). A term from before encryption reads as it is."""

    def __init__(self, connection: Connection, keys: KeyRing | None = None) -> None:
        self.connection = connection
        self.keys = keys
        self._terms: dict[str, list[CrownJewelTerm]] = {}  # by org, in a transaction that only reads

    # --- crown-jewel terms ---

    def _term(self, row: Any) -> CrownJewelTerm:
        term = row.term if self.keys is None else self.keys.open_text(row.term, _aad(row.id))
        return CrownJewelTerm(id=row.id, org=row.org, term=term, added_by=row.added_by,
                              added_at=row.added_at)

    def _key(self, org: str, term: str) -> str:
        return term.casefold() if self.keys is None else self.keys.term_key(org, term)

    def add_term(self, term: CrownJewelTerm) -> None:
        sealed = term.term if self.keys is None else self.keys.seal_text(term.term, _aad(term.id))
        self.connection.execute(insert(crown_jewel_terms).values(
            id=term.id, org=term.org, term=sealed, term_key=self._key(term.org, term.term),
            added_by=term.added_by, added_at=term.added_at))

    def terms(self, org: str) -> list[CrownJewelTerm]:
        """The org's terms, by their text. Read once per transaction that only reads (a dry run
        checks the item, its title and the message against the same terms)."""
        if not self.connection.info.get(READ_ONLY, False):
            return self._read_terms(org)
        if org not in self._terms:
            self._terms[org] = self._read_terms(org)
        return list(self._terms[org])

    def _read_terms(self, org: str) -> list[CrownJewelTerm]:
        rows = self.connection.execute(
            select(crown_jewel_terms).where(crown_jewel_terms.c.org == org))
        return sorted((self._term(r) for r in rows), key=lambda t: (t.term.casefold(), t.id))

    def terms_page(self, org: str, request: PageRequest) -> Page[CrownJewelTerm]:
        """One keyset page of the org's terms in the order they were added (`added_at`, then
        `id`): their text is sealed at rest, so SQL cannot order by it."""
        rows = self.connection.execute(keyset(
            select(crown_jewel_terms).where(crown_jewel_terms.c.org == org),
            [crown_jewel_terms.c.added_at, crown_jewel_terms.c.id], request, newest_first=False))
        return cut([self._term(r) for r in rows], request, lambda t: (t.added_at, t.id))

    def term_exists(self, org: str, term: str) -> bool:
        # why: a term from before encryption keeps its plain key until `init` seals it
        keys = {self._key(org, term), term.casefold()}
        return self.connection.execute(
            select(crown_jewel_terms.c.id).where(crown_jewel_terms.c.org == org,
                                                 crown_jewel_terms.c.term_key.in_(sorted(keys)))
        ).first() is not None

    def get_term(self, org: str, term_id: str) -> CrownJewelTerm | None:
        row = self.connection.execute(select(crown_jewel_terms).where(
            crown_jewel_terms.c.org == org, crown_jewel_terms.c.id == term_id)).first()
        return self._term(row) if row else None

    def seal_plaintext_terms(self) -> int:
        """Seal the terms stored before encryption; how many were sealed now."""
        assert self.keys is not None
        sealed = 0
        for row in self.connection.execute(select(crown_jewel_terms)).all():
            if is_sealed_text(row.term):
                continue
            self.connection.execute(update(crown_jewel_terms).where(crown_jewel_terms.c.id == row.id)
                                    .values(term=self.keys.seal_text(row.term, _aad(row.id)),
                                            term_key=self.keys.term_key(row.org, row.term)))
            sealed += 1
        return sealed

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

    def owners_in(self, org: str, text: ShingleRun) -> dict[int, list[str]]:
        """`owners_of` the shingles of `text`: a long text (more shingles than the org has
        fingerprints) is probed against all of the org's fingerprints at once, read as bare
        numbers, and only the owners of those it contains are asked for."""
        if len(text) > BATCH and len(text) > self.fingerprint_count(org):
            stored = self.connection.execute(select(restricted_fingerprints.c.hash).where(
                restricted_fingerprints.c.org == org)).scalars().all()
            return self.owners_of(org, {value for _, value in text.hits(stored)})
        return self.owners_of(org, text.distinct())

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

    def rebuild_pending(self, name: str) -> bool:
        """Whether a migration asked for the rebuild `name` and it has not been finished."""
        found = self.connection.execute(
            select(pending_rebuilds.c.name).where(pending_rebuilds.c.name == name)).first()
        return found is not None

    def finish_rebuild(self, name: str) -> None:
        self.connection.execute(delete(pending_rebuilds).where(pending_rebuilds.c.name == name))

    def restricted_item_ids(self) -> list[str]:
        query = select(items.c.id).where(items.c.classification == "restricted")
        return list(self.connection.execute(query.order_by(items.c.id)).scalars())


def _aad(term_id: str) -> str:
    return f"crown_jewel_terms.term:{term_id}"
