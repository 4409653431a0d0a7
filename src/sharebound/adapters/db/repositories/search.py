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
    ARRAY,
    ColumnClause,
    ColumnElement,
    Connection,
    Text,
    and_,
    column,
    exists,
    func,
    insert,
    literal,
    literal_column,
    or_,
    select,
    table,
    update,
)

from sharebound.adapters.db.tables import disclosures, items, search_documents
from sharebound.adapters.keys import KeyRing
from sharebound.domain.classification import Classification
from sharebound.domain.disclosures import Disclosure
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

    def put(self, *, key: str, org: str, item_id: str, disclosure: Disclosure | None, version: int,
            title: str, topics: Sequence[str], body: str | None, keep_text: bool,
            at: datetime) -> None:
        """Index (or index again) one document: an item's own (`disclosure` None), or a
        disclosure's, with its readers and what the access rule reads of it beside it
        (tables/search.py). `body` is cut to what the index holds; None
        indexes no text at all (a restricted item: title and topics only). `keep_text`: the
        indexed text is kept, sealed, for snippets (an org's own item only: a recipient is
        never shown a piece of a disclosure's text, docs/library.md#search)."""
        secret = self.key_of(org)
        kept, body_words = indexable(body) if body is not None else ("", [])
        stored = kept if keep_text else ""
        sealed = self.keys.seal_text(stored, _aad(key)) if self.keys is not None and stored else stored
        values = dict(org=org, item_id=item_id, version=version,
                      disclosure_id=disclosure.id if disclosure is not None else None,
                      title_terms=terms(secret, words_of(title)),
                      topics_terms=terms(secret, words_of(" ".join(sorted(topics)))),
                      body_terms=terms(secret, body_words), body=sealed, indexed_at=at,
                      **_access(org, disclosure))
        t = search_documents
        done = self.connection.execute(update(t).where(t.c.key == key).values(**values))
        if done.rowcount == 0:
            self.connection.execute(insert(t).values(key=key, **values))

    def revoke(self, disclosure_id: str, at: datetime) -> None:
        """The disclosure was revoked at `at`: its document says so (in the revocation's
        transaction, so that no search finds it from then on)."""
        t = search_documents
        self.connection.execute(update(t).where(t.c.key == disclosure_id).values(revoked_at=at))

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
        which disclosures are readable is decided inside it, on the documents' own rows
        (their readers and the access rule's terms beside them), never a list of every one;
        each page's items are read for the page's rows only."""
        keys = [self.key_of(org) for org in sorted(set(orgs))]
        postgres = self.connection.dialect.name == "postgresql"
        visible = _visible(own_org, readable, postgres)
        if not keys or visible is None:
            return []
        t = search_documents
        if postgres:
            match = func.to_tsquery(literal_column("'simple'"), tsquery(query, keys))
            rank = func.ts_rank(_TERMS, match).label("rank")
            best = (select(t.c.id, t.c.key, t.c.item_id, t.c.disclosure_id, t.c.version, t.c.body, rank)
                    .where(_TERMS.op("@@")(match), visible).order_by(rank.desc(), t.c.id))
        else:
            rank = _SQLITE_RANK.label("rank")  # why ascending: bm25 is lower for a better match
            best = (select(t.c.id, t.c.key, t.c.item_id, t.c.disclosure_id, t.c.version, t.c.body, rank)
                    .select_from(_FTS).join(t, t.c.id == _FTS.c.rowid)
                    .where(_SQLITE_MATCH.op("MATCH")(fts5_match(query, keys)), visible)
                    .order_by(rank, t.c.id))
        page = best.limit(limit).offset(offset).subquery()
        statement = (select(page.c.key, page.c.item_id, page.c.disclosure_id, page.c.version,
                            page.c.body, items.c.owner, items.c.kind, items.c.title,
                            items.c.classification, items.c.topics)
                     .join(items, items.c.id == page.c.item_id)
                     .order_by(page.c.rank.desc() if postgres else page.c.rank, page.c.id))
        rows = self.connection.execute(statement)
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


_ORG_READERS = "org:"  # why a prefix: an org's handle and a person's id never clash


def _access(org: str, disclosure: Disclosure | None) -> dict[str, Any]:
    """A document's readers and, for a disclosure's, what the access rule reads of it."""
    if disclosure is None:
        return dict(readers=_ORG_READERS + org, agreement_id=None, actions=None, disclosed_at=None,
                    expires_at=None, revoked_at=None)
    revocation = disclosure.revocation
    return dict(readers=" ".join(sorted(disclosure.recipients)), agreement_id=disclosure.agreement_id,
                actions=",".join(sorted(a.value for a in disclosure.actions)),
                disclosed_at=disclosure.created_at, expires_at=disclosure.expires_at,
                revoked_at=revocation.at if revocation is not None else None)


def _read_by(readers: Sequence[str], postgres: bool) -> ColumnElement[bool]:
    """Whether a document's readers include any of `readers`: on PostgreSQL as the readers'
    GIN index reads it (migration 0037, the same expression), on SQLite word by word."""
    t = search_documents
    if postgres:
        listed = func.string_to_array(t.c.readers, literal_column("' '"), type_=ARRAY(Text))
        return listed.op("&&")(literal(list(readers), ARRAY(Text)))
    spaced = literal(" ") + t.c.readers + literal(" ")
    return or_(*(func.instr(spaced, f" {reader} ") > 0 for reader in readers))


def _visible(own_org: str | None, readable: Readable | None, postgres: bool) -> ColumnElement[bool] | None:
    """The documents a person may search, as a condition on `search_documents`' own rows (None:
    none): the items of `own_org`, and the disclosures `readable` names: those to the person
    that its grants (the access rule's terms per agreement) leave open now, decided on the
    copies of each disclosure's terms beside its document; and `readable.also`, by id."""
    t = search_documents
    arms: list[ColumnElement[bool]] = []
    readers: list[str] = []
    if own_org is not None:
        readers.append(_ORG_READERS + own_org)
        arms.append(and_(t.c.disclosure_id.is_(None), t.c.org == own_org))
    granted = []
    for grant in readable.grants if readable is not None else ():
        if not grant.actions:
            continue
        listed = literal(",") + t.c.actions + literal(",")  # why: "download,view", sorted
        granted.append(and_(
            t.c.agreement_id == grant.agreement_id,
            or_(*(listed.contains(f",{action},") for action in sorted(grant.actions))),
            *(~and_(t.c.org == discloser, t.c.disclosed_at <= at) for discloser, at in grant.demands)))
    if readable is not None and granted:
        now = readable.now
        readers.append(readable.person_id)
        arms.append(and_(t.c.disclosure_id.is_not(None), _read_by([readable.person_id], postgres),
                         t.c.expires_at > now, or_(t.c.revoked_at.is_(None), t.c.revoked_at > now),
                         or_(*granted)))
    found = [and_(_read_by(readers, postgres), or_(*arms))] if arms else []
    if readable is not None and readable.also:
        found.append(and_(t.c.disclosure_id.is_not(None), t.c.key.in_(sorted(readable.also))))
    return or_(*found) if found else None


def _aad(key: str) -> str:
    return f"search_documents.body:{key}"
