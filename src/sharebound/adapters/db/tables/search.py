"""The search index (docs/library.md#search): one document per item (its current version, for
its org) and per disclosure (the version disclosed, as its recipients were told of it).

Columns hold keyed hashes of words, never words (domain/search.py), and, for an org's own
item only, the indexed text sealed for its snippets (docs/encryption.md); a restricted item's
text is not indexed at all. Each database indexes them its own way, made
by the migration and left out of the schema comparison (`DIALECT_ONLY`):
SQLite an FTS5 table `search_fts` over the three term columns, kept by triggers;
PostgreSQL a generated `tsvector` column `terms`, in one GIN index with the readers
(migration 0037), so that the index itself finds what one person may read and matches.

Beside a disclosure's document, copies of what the access rule reads of the disclosure
(0037): its recipients (`readers`), agreement, actions, time, expiry and revocation, so that a
search decides visibility on the rows it ranks, with no join to the person's whole history.
All but `revoked_at` never change once the disclosure is made; its revocation writes both
rows in one transaction.
"""

from __future__ import annotations

from sqlalchemy import Column, ForeignKey, Integer, String, Table, Text

from sharebound.adapters.db.tables.base import HANDLE, ID, metadata
from sharebound.adapters.db.types import UTCDateTime

search_documents = Table(
    "search_documents", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),  # the FTS5 rowid
    Column("key", String(ID), nullable=False, unique=True),  # the item's id, or the disclosure's
    Column("org", String(HANDLE), ForeignKey("orgs.handle"), nullable=False),  # whose key hashed it
    Column("item_id", String(ID), ForeignKey("items.id"), nullable=False, index=True),
    Column("disclosure_id", String(ID), ForeignKey("disclosures.id")),  # None: the item's own
    Column("version", Integer, nullable=False),
    Column("title_terms", Text, nullable=False),
    Column("topics_terms", Text, nullable=False),
    Column("body_terms", Text, nullable=False),
    Column("body", Text, nullable=False),  # an own item's text indexed, sealed, for snippets; else ""
    Column("indexed_at", UTCDateTime, nullable=False),
    # who may search it, space separated: "org:<handle>" for an item's own document (its org's
    # people), the recipients' person ids for a disclosure's (sorted; never change); "": nobody
    Column("readers", Text, nullable=False, server_default=""),
    # a disclosure's, as the access rule reads them (None for an item's own document)
    Column("agreement_id", String(ID)),
    Column("actions", String(40)),  # sorted, comma separated
    Column("disclosed_at", UTCDateTime),
    Column("expires_at", UTCDateTime),
    Column("revoked_at", UTCDateTime),
)

# What the migration makes for one database only; the schema comparison leaves it out.
FTS_TABLE = "search_fts"
DIALECT_ONLY_TABLES = frozenset({FTS_TABLE} | {f"{FTS_TABLE}_{shadow}" for shadow in
                                               ("data", "idx", "content", "docsize", "config")})
DIALECT_ONLY_COLUMNS = frozenset({("search_documents", "terms")})
DIALECT_ONLY_INDEXES = frozenset({"ix_search_documents_readers_terms"})
