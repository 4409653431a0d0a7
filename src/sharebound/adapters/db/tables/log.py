"""Tables of the audit log: hash chains, Merkle nodes, checkpoints, cosignatures and data keys."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Column,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Table,
    Text,
    UniqueConstraint,
    text,
)

from sharebound.adapters.db.tables.base import DIGEST, HANDLE, ID, metadata
from sharebound.adapters.db.types import UTCDateTime

# The audit log: append-only (database triggers refuse UPDATE and DELETE), one hash chain
# per log. `event_logs` holds each chain's head; locking that row serializes appenders.
events = Table(
    "events", metadata,
    Column("id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True),
    Column("log", String(60), nullable=False),
    Column("seq", Integer, nullable=False),
    Column("at", UTCDateTime, nullable=False),
    Column("kind", String(60), nullable=False),
    Column("actor", String(ID)),
    Column("subject", String(ID), nullable=False),
    Column("data", Text, nullable=False),  # canonical JSON: ids, codes, digests; never content
    Column("prev_hash", String(DIGEST), nullable=False),
    Column("hash", String(DIGEST), nullable=False),
    # The transparency log's leaf commits to SHA-256(salt ‖ body): 32 random bytes, opened with
    # the event to whoever may see it (docs/transparency-log.md). Set for every row (0022).
    Column("salt", LargeBinary),
    UniqueConstraint("log", "seq"),
    # why: an inclusion proof asked for by disclosure finds the event that made it in one probe;
    # partial, so that every other append pays nothing for it (0028_disclosure_leaf_index)
    Index("ix_events_disclosure_made", "subject", sqlite_where=text("kind = 'disclosure_made'"),
          postgresql_where=text("kind = 'disclosure_made'")),
)


event_logs = Table(
    "event_logs", metadata,
    Column("log", String(60), primary_key=True),
    Column("head_seq", Integer, nullable=False),
    Column("head_hash", String(DIGEST), nullable=False),
    # The Merkle tree's right edge at head_seq leaves: the hashes of its complete subtrees,
    # largest first, 32 bytes each (domain/merkle.Frontier). Appending needs nothing else.
    Column("frontier", LargeBinary),  # NULL: empty
)


# The Merkle tree of each log (RFC 9162): the hash of every complete subtree, (level, idx)
# covering leaves [idx << level, (idx + 1) << level). Level 0 holds the leaf hashes.
log_nodes = Table(
    "log_nodes", metadata,
    Column("log", String(60), primary_key=True),
    Column("level", Integer, primary_key=True),
    Column("idx", BigInteger, primary_key=True),
    Column("hash", LargeBinary, nullable=False),
    sqlite_with_rowid=False,  # why: clustered by (log, level, idx): a level streams in order
)


# Signed checkpoints (C2SP tlog-checkpoint): served again as signed, so forks can be shown.
log_checkpoints = Table(
    "log_checkpoints", metadata,
    Column("log", String(60), primary_key=True),
    Column("size", Integer, primary_key=True),
    Column("root", String(DIGEST), nullable=False),  # hex
    Column("note", Text, nullable=False),
    Column("at", UTCDateTime, nullable=False),
)


# Data keys (DEKs), wrapped by the key-encryption key from SHAREBOUND_KEY_FILE / SHAREBOUND_KEY.
# `sharebound keys rotate` re-wraps them under a new KEK; what they encrypt stays as it is.
data_keys = Table(
    "data_keys", metadata,
    Column("id", String(ID), primary_key=True),
    Column("kek_id", String(DIGEST), nullable=False),
    Column("wrapped", LargeBinary, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
)


# An org's witness of the transparency log (docs/verify-partner-log.md): its Ed25519 cosigner
# key (tlog-cosignature), one per org; registering another replaces it.
witness_keys = Table(
    "witness_keys", metadata,
    Column("org", String(HANDLE), ForeignKey("orgs.handle"), primary_key=True),
    Column("name", String(300), nullable=False),
    Column("public_key", LargeBinary, nullable=False),  # 32 bytes
    Column("registered_by", String(ID), ForeignKey("people.id"), nullable=False),
    Column("registered_at", UTCDateTime, nullable=False),
)


# Cosignatures of signed checkpoints (log_checkpoints), the latest per witness org and size.
log_cosignatures = Table(
    "log_cosignatures", metadata,
    Column("log", String(60), primary_key=True),
    Column("size", Integer, primary_key=True),
    Column("org", String(HANDLE), ForeignKey("orgs.handle"), primary_key=True),
    Column("name", String(300), nullable=False),  # the witness key's name when it cosigned
    Column("timestamp", BigInteger, nullable=False),  # the cosignature's (POSIX seconds)
    Column("line", Text, nullable=False),  # the signature line, served after the instance's
    Column("received_at", UTCDateTime, nullable=False),
)
