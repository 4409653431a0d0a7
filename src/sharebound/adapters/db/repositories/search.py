"""The search index: documents written in the item's (or disclosure's) transaction, and the
ranked query, each database with its own full-text search (tables/search.py)."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import (
    ColumnClause,
    ColumnElement,
    Connection,
    and_,
    column,
    exists,
    false,
    func,
    insert,
    literal,
    literal_column,
    or_,
    select,
    table,
    update,
)

from sharebound.adapters.db.tables import disclosure_recipients, disclosures, items, search_documents
from sharebound.adapters.keys import KeyRing
from sharebound.domain.classification import Classification
from sharebound.domain.items import ItemKind
from sharebound.domain.search import Query, Readable, fts5_match, indexable, terms, tsquery, words_of

# why these weights: a word in the title says more than one in the topics, and both more
# than one somewhere in the text (FTS5 bm25 column weights; PostgreSQL weighs A, B and D).
_FTS = table("search_fts", column("rowid"))
_SQLITE_MATCH: ColumnClause[Any] = literal_column("search_fts")
_SQLITE_RANK = func.bm25(literal_column("search_fts"), 10.0, 5.0, 1.0)
_TERMS: ColumnClause[Any] = literal_column("search_documents.terms")


@dataclass(frozen=True)
class Found:
    """One matching document: its item as it is now (a disclosure's hit shows what its
    recipients were told instead) and the text kept for snippets, in clear ("" for a
    disclosure or a restricted item: none is kept)."""

    key: str
    item_id: str
    disclosure_id: str | None
    version: int
    text: str
    owner: str
    kind: ItemKind
    title: str
    classification: Classification
    topics: frozenset[str]


class SearchIndex:
    def __init__(self, connection: Connection, keys: KeyRing | None = None) -> None:
        self.connection = connection
        self.keys = keys

    def key_of(self, org: str) -> bytes:
        """`org`'s search key; without a key ring (some tests) a public one, still per org."""
        if self.keys is not None:
            return self.keys.search_key(org)
        return hashlib.sha256(b"sharebound search terms\x00" + org.encode()).digest()

    def put(self, *, key: str, org: str, item_id: str, disclosure_id: str | None, version: int,
            title: str, topics: Sequence[str], body: str | None, keep_text: bool,
            at: datetime) -> None:
        """Index (or index again) one document: `body` is cut to what the index holds; None
        indexes no text at all (a restricted item: title and topics only). `keep_text`: the
        indexed text is kept, sealed, for snippets (an org's own item only: a recipient is
        never shown a piece of a disclosure's text, docs/library.md#search)."""
        secret = self.key_of(org)
        kept, body_words = indexable(body) if body is not None else ("", [])
        stored = kept if keep_text else ""
        sealed = self.keys.seal_text(stored, _aad(key)) if self.keys is not None and stored else stored
        values = dict(org=org, item_id=item_id, disclosure_id=disclosure_id, version=version,
                      title_terms=terms(secret, words_of(title)),
                      topics_terms=terms(secret, words_of(" ".join(sorted(topics)))),
                      body_terms=terms(secret, body_words), body=sealed, indexed_at=at)
        t = search_documents
        done = self.connection.execute(update(t).where(t.c.key == key).values(**values))
        if done.rowcount == 0:
            self.connection.execute(insert(t).values(key=key, **values))

    def drop_text(self, item_id: str) -> None:
        """Forget the text of `item_id` in every document of it (its own and its disclosures'):
        its terms and its sealed text; title and topics stay searchable."""
        t = search_documents
        self.connection.execute(update(t).where(t.c.item_id == item_id).values(body_terms="", body=""))

    def disclosures_of(self, item_id: str) -> list[str]:
        """The ids of the disclosures of `item_id` that have a document."""
        t = search_documents
        return list(self.connection.execute(
            select(t.c.disclosure_id).where(t.c.item_id == item_id, t.c.disclosure_id.is_not(None))
            .order_by(t.c.disclosure_id)).scalars())

    def set_labels(self, key: str, org: str, *, title: str, topics: Sequence[str]) -> None:
        """A new title or topics: the text's terms stay as they are."""
        secret = self.key_of(org)
        t = search_documents
        self.connection.execute(update(t).where(t.c.key == key).values(
            title_terms=terms(secret, words_of(title)),
            topics_terms=terms(secret, words_of(" ".join(sorted(topics))))))

    def search(self, query: Query, *, orgs: Sequence[str], own_org: str | None,
               readable: Readable | None, limit: int, offset: int) -> list[Found]:
        """The documents matching `query` among the items of `own_org` (None: none) and the
        disclosures `readable` names, best first. `orgs`: whose keys hashed them. One query:
        which disclosures are readable is decided inside it (never a list of every one)."""
        keys = [self.key_of(org) for org in sorted(set(orgs))]
        received = _received(readable)
        if not keys or (own_org is None and received is None):
            return []
        t = search_documents
        visible = or_(and_(t.c.disclosure_id.is_(None), t.c.org == own_org) if own_org else false(),
                      received if received is not None else false())
        columns = (t.c.key, t.c.item_id, t.c.disclosure_id, t.c.version, t.c.body, items.c.owner,
                   items.c.kind, items.c.title, items.c.classification, items.c.topics)
        if self.connection.dialect.name == "postgresql":
            match = func.to_tsquery(literal_column("'simple'"), tsquery(query, keys))
            statement = (select(*columns).join(items, items.c.id == t.c.item_id)
                         .where(_TERMS.op("@@")(match), visible)
                         .order_by(func.ts_rank(_TERMS, match).desc(), t.c.id))
        else:
            statement = (select(*columns).select_from(_FTS)
                         .join(t, t.c.id == _FTS.c.rowid).join(items, items.c.id == t.c.item_id)
                         .where(_SQLITE_MATCH.op("MATCH")(fts5_match(query, keys)), visible)
                         .order_by(_SQLITE_RANK, t.c.id))
        rows = self.connection.execute(statement.limit(limit).offset(offset))
        return [Found(key=r.key, item_id=r.item_id, disclosure_id=r.disclosure_id, version=r.version,
                      text=self._open(r.key, r.body), owner=r.owner, kind=ItemKind(r.kind),
                      title=r.title, classification=Classification(r.classification),
                      topics=frozenset(json.loads(r.topics)))
                for r in rows]

    def unindexed_items(self) -> list[str]:
        """Ids of the items that have no document of their own (the index's backfill)."""
        return self._without_document(items.c.id)

    def unindexed_disclosures(self) -> list[str]:
        return self._without_document(disclosures.c.id)

    def _without_document(self, id_: Any) -> list[str]:
        """The ids in `id_`'s table with no document keyed by them (an item's own document and
        a disclosure's are keyed by its id). why NOT EXISTS on the key's unique index, not
        NOT IN: PostgreSQL hashes a NOT IN list only while it fits in `work_mem`, and scans it
        once per row otherwise (hours for `init` at a million disclosures)."""
        t = search_documents
        return list(self.connection.execute(
            select(id_).where(~exists().where(t.c.key == id_)).order_by(id_)).scalars())

    def count(self) -> int:
        return int(self.connection.execute(select(func.count()).select_from(search_documents)).scalar_one())

    def _open(self, key: str, stored: str) -> str:
        """The text kept for snippets; "" when none was (a disclosure, a restricted item)."""
        return self.keys.open_text(stored, _aad(key)) if self.keys is not None and stored else stored


def _received(readable: Readable | None) -> ColumnElement[bool] | None:
    """The documents of the disclosures `readable` names, as a condition on `search_documents`
    (a disclosure's document is keyed by its id): its grants as the access rule's terms on
    the recipient's register index and the disclosures' rows, or None when it names none."""
    if readable is None:
        return None
    x, r, t = disclosures, disclosure_recipients, search_documents
    granted = []
    for grant in readable.grants:
        if not grant.actions:
            continue
        listed = literal(",") + x.c.actions + literal(",")  # why: "download,view", sorted
        granted.append(and_(
            x.c.agreement_id == grant.agreement_id,
            or_(*(listed.contains(f",{action},") for action in sorted(grant.actions))),
            *(~and_(x.c.discloser == discloser, x.c.created_at <= at) for discloser, at in grant.demands)))
    found = []
    if granted:
        now = readable.now
        ids = (select(r.c.disclosure_id).join(x, x.c.id == r.c.disclosure_id)
               .where(r.c.person_id == readable.person_id, x.c.expires_at > now,
                      or_(x.c.revoked_at.is_(None), x.c.revoked_at > now), or_(*granted)))
        found.append(and_(t.c.disclosure_id.is_not(None), t.c.key.in_(ids)))
    if readable.also:
        found.append(t.c.disclosure_id.in_(sorted(readable.also)))
    return or_(*found) if found else None


def _aad(key: str) -> str:
    return f"search_documents.body:{key}"
