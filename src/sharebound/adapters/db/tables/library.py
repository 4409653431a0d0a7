"""Tables of an org's library: items, versions, folders, reclassification and the content gate."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
    false,
)

from sharebound.adapters.db.tables.base import DIGEST, HANDLE, ID, metadata
from sharebound.adapters.db.types import UTCDateTime

items = Table(
    "items", metadata,
    Column("id", String(ID), primary_key=True),
    Column("owner", String(HANDLE), ForeignKey("orgs.handle"), nullable=False, index=True),
    Column("kind", String(10), nullable=False),
    Column("title", String(300), nullable=False),
    Column("classification", String(20), nullable=False),
    Column("topics", Text, nullable=False),  # JSON list, sorted
    Column("created_at", UTCDateTime, nullable=False),
    Column("trade_secret", Boolean, nullable=False, server_default=false()),
    Column("folder_id", String(ID), index=True),  # None: the library's root (docs/library.md)
    Index("ix_items_page", "owner", "created_at", "id"),  # why: the library's keyset pages
)


# Folders of an org's library: a tree; numbers (1.2.3) are computed from `position`.
folders = Table(
    "folders", metadata,
    Column("id", String(ID), primary_key=True),
    Column("org", String(HANDLE), ForeignKey("orgs.handle"), nullable=False, index=True),
    Column("parent_id", String(ID), ForeignKey("folders.id"), index=True),  # None: the root
    Column("name", String(200), nullable=False),
    Column("position", Integer, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("created_by", String(ID), ForeignKey("people.id"), nullable=False),
)


item_versions = Table(
    "item_versions", metadata,
    Column("item_id", String(ID), ForeignKey("items.id"), primary_key=True),
    Column("number", Integer, primary_key=True),
    Column("sha256", String(DIGEST), nullable=False, index=True),
    Column("size", BigInteger, nullable=False),
    Column("media_type", String(100), nullable=False),
    Column("filename", String(255)),
    Column("created_at", UTCDateTime, nullable=False),
    Column("created_by", String(ID), ForeignKey("people.id"), nullable=False),
)


reclassifications = Table(
    "reclassifications", metadata,
    Column("id", String(ID), primary_key=True),
    Column("item_id", String(ID), ForeignKey("items.id"), nullable=False, index=True),
    Column("old", String(20), nullable=False),
    Column("new", String(20), nullable=False),
    Column("requested_by", String(ID), ForeignKey("people.id"), nullable=False),
    Column("requested_at", UTCDateTime, nullable=False),
    Column("approved_by", String(ID), ForeignKey("people.id")),
    Column("approved_at", UTCDateTime),
)


# The content gate. Crown-jewel terms: codenames an org's admins register (themselves secret).
crown_jewel_terms = Table(
    "crown_jewel_terms", metadata,
    Column("id", String(ID), primary_key=True),
    Column("org", String(HANDLE), ForeignKey("orgs.handle"), nullable=False),
    Column("term", Text, nullable=False),  # sealed with the data key (docs/encryption.md)
    Column("term_key", String(100), nullable=False),  # keyed hash of the case-folded term: one per org
    Column("added_by", String(ID), ForeignKey("people.id"), nullable=False),
    Column("added_at", UTCDateTime, nullable=False),
    UniqueConstraint("org", "term_key"),
    # why: keyset pages in the order added (the text is sealed: SQL cannot order by it)
    Index("ix_crown_jewel_terms_page", "org", "added_at", "id"),
)


# Word-shingle hashes of the current version of each `restricted` item, to catch copies.
restricted_fingerprints = Table(
    "restricted_fingerprints", metadata,
    Column("item_id", String(ID), ForeignKey("items.id"), primary_key=True),
    Column("hash", BigInteger, primary_key=True),  # signed 64-bit hash of 8 words: domain/shingle_hash.py
    Column("org", String(HANDLE), ForeignKey("orgs.handle"), nullable=False),
    Column("item_version", Integer, nullable=False),
    Index(None, "org", "hash"),
)


# Rebuilds a migration asked for that `bootstrap.init` has not finished (the fingerprints after
# their function changed): the row goes only when the rebuild is done, so a crash resumes it.
pending_rebuilds = Table(
    "pending_rebuilds", metadata,
    Column("name", String(40), primary_key=True),
    Column("since", UTCDateTime, nullable=False),
)
