"""Tables of partnerships, agreements, signatures, executed copies and notices."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Column,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    LargeBinary,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from sharebound.adapters.db.tables.base import DIGEST, HANDLE, ID, metadata
from sharebound.adapters.db.types import UTCDateTime

partnerships = Table(
    "partnerships", metadata,
    Column("id", String(ID), primary_key=True),
    Column("name", String(200), nullable=False),
    Column("purpose", String(40), nullable=False),
    Column("proposer", String(HANDLE), ForeignKey("orgs.handle"), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("ended_at", UTCDateTime),
)


partnership_members = Table(
    "partnership_members", metadata,
    Column("partnership_id", String(ID), ForeignKey("partnerships.id"), primary_key=True),
    Column("org", String(HANDLE), ForeignKey("orgs.handle"), primary_key=True, index=True),
    Column("position", Integer, nullable=False),
    Column("accepted_at", UTCDateTime),
)


agreements = Table(
    "agreements", metadata,
    Column("id", String(ID), primary_key=True),
    Column("partnership_id", String(ID), ForeignKey("partnerships.id"), nullable=False, index=True),
    Column("created_at", UTCDateTime, nullable=False),
    Column("terminated_at", UTCDateTime),
    Column("terminated_by_org", String(HANDLE)),
    Column("terminated_by", String(ID)),
    Column("termination_reason", Text),
)


agreement_versions = Table(
    "agreement_versions", metadata,
    Column("agreement_id", String(ID), ForeignKey("agreements.id"), primary_key=True),
    Column("number", Integer, primary_key=True),
    Column("terms", Text, nullable=False),  # canonical JSON (format 1: its SHA-256 is `digest`)
    Column("digest", String(DIGEST), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("created_by", String(ID), ForeignKey("people.id"), nullable=False),
    # 1: signed over the terms JSON; 2: signed over `document`, the agreement document's bytes
    Column("document_format", Integer, nullable=False, server_default="1"),
    Column("document", LargeBinary),
)


signatures = Table(
    "signatures", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("agreement_id", String(ID), nullable=False),
    Column("version", Integer, nullable=False),
    Column("digest", String(DIGEST), nullable=False),
    Column("org", String(HANDLE), ForeignKey("orgs.handle"), nullable=False),
    Column("person_id", String(ID), ForeignKey("people.id"), nullable=False),
    Column("name", String(200), nullable=False),
    Column("title", String(200), nullable=False),
    Column("signed_at", UTCDateTime, nullable=False),
    ForeignKeyConstraint(["agreement_id", "version"],
                         ["agreement_versions.agreement_id", "agreement_versions.number"]),
    UniqueConstraint("agreement_id", "version", "org"),  # one signature per party and version
)


# Consent to electronic records and signatures (domain/esign.py): one row per consent given;
# withdrawing sets withdrawn_at, and a later consent is a new row.
e_sign_consents = Table(
    "e_sign_consents", metadata,
    Column("id", String(ID), primary_key=True),
    Column("person_id", String(ID), ForeignKey("people.id"), nullable=False, index=True),
    Column("statement_version", String(20), nullable=False),
    Column("statement_sha256", String(DIGEST), nullable=False),
    Column("at", UTCDateTime, nullable=False),
    Column("address", String(64), nullable=False),
    Column("user_agent", String(500), nullable=False),
    Column("withdrawn_at", UTCDateTime, nullable=True),
)


# What each signature proves, written with it and never changed (no update path): signatures
# given before evidence was kept have no row here.
signature_evidence = Table(
    "signature_evidence", metadata,
    Column("id", String(ID), primary_key=True),
    Column("agreement_id", String(ID), nullable=False),
    Column("version", Integer, nullable=False),
    Column("org", String(HANDLE), ForeignKey("orgs.handle"), nullable=False),
    Column("org_legal_name", String(200), nullable=False),
    Column("person_id", String(ID), ForeignKey("people.id"), nullable=False),
    Column("name", String(200), nullable=False),
    Column("email", String(254), nullable=False),
    Column("title", String(200), nullable=False),
    Column("digest", String(DIGEST), nullable=False),
    Column("signed_at", UTCDateTime, nullable=False),
    Column("methods", String(200), nullable=False),  # space-separated, in the order used
    Column("consent_id", String(ID), ForeignKey("e_sign_consents.id"), nullable=False),
    Column("consent_version", String(20), nullable=False),
    Column("consent_at", UTCDateTime, nullable=False),
    Column("address", String(64), nullable=False),
    Column("user_agent", String(500), nullable=False),
    ForeignKeyConstraint(["agreement_id", "version"],
                         ["agreement_versions.agreement_id", "agreement_versions.number"]),
    UniqueConstraint("agreement_id", "version", "org"),  # one per signature
)


# The executed copy (PDF) of a version every party signed: kept in the blob store, sealed for
# `blob_org`; `sha256` is the PDF's, by which `sharebound agreement verify` finds it.
executed_copies = Table(
    "executed_copies", metadata,
    Column("agreement_id", String(ID), ForeignKey("agreements.id"), primary_key=True),
    Column("version", Integer, primary_key=True),
    Column("digest", String(DIGEST), nullable=False),
    Column("sha256", String(DIGEST), nullable=False, unique=True),
    Column("blob_org", String(HANDLE), ForeignKey("orgs.handle"), nullable=False),
    Column("size", Integer, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    ForeignKeyConstraint(["agreement_id", "version"],
                         ["agreement_versions.agreement_id", "agreement_versions.number"]),
)


agreement_documents = Table(  # executed NDAs uploaded to a partnership: never altered
    "agreement_documents", metadata,
    Column("id", String(ID), primary_key=True),
    Column("partnership_id", String(ID), ForeignKey("partnerships.id"), nullable=False, index=True),
    Column("org", String(HANDLE), ForeignKey("orgs.handle"), nullable=False),  # the uploader's blobs
    Column("filename", String(255), nullable=False),
    Column("media_type", String(100), nullable=False),
    Column("size", BigInteger, nullable=False),
    Column("sha256", String(DIGEST), nullable=False),  # with `org`, the blob store's key
    Column("uploaded_by", String(ID), ForeignKey("people.id"), nullable=False),
    Column("uploaded_at", UTCDateTime, nullable=False),
)


# Partners invited by email (services/partner_invitations.py): the link's token only as a hash.
partner_invitations = Table(
    "partner_invitations", metadata,
    Column("id", String(ID), primary_key=True),
    Column("partnership_id", String(ID), ForeignKey("partnerships.id"), nullable=False, index=True),
    Column("proposer", String(HANDLE), ForeignKey("orgs.handle"), nullable=False),
    Column("email", String(254), nullable=False),
    Column("token_hash", String(DIGEST), nullable=False, unique=True),
    Column("invited_by", String(ID), ForeignKey("people.id"), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("expires_at", UTCDateTime, nullable=False),
    Column("accepted_at", UTCDateTime),
    Column("accepted_org", String(HANDLE), ForeignKey("orgs.handle")),
    Column("revoked_at", UTCDateTime),
    Column("revoked_by", String(ID), ForeignKey("people.id")),
)


# A receiving org's statement that the copies it downloaded under an ended agreement were
# returned or destroyed (DESIGN: the list of copies to return or destroy and certify).
return_certifications = Table(
    "return_certifications", metadata,
    Column("agreement_id", String(ID), ForeignKey("agreements.id"), primary_key=True),
    Column("org", String(HANDLE), ForeignKey("orgs.handle"), primary_key=True),
    Column("certified_by", String(ID), ForeignKey("people.id"), nullable=False),
    Column("statement", Text, nullable=False),
    Column("copies", Integer, nullable=False),
    Column("certified_at", UTCDateTime, nullable=False),
    # evidence, as for a signature, and the list as certified (JSON: the access ids)
    Column("ip", String(64)),
    Column("user_agent", String(500)),
    Column("copy_list", Text),
)


# Notices under an agreement to the other parties' notice contacts (docs/obligations.md).
notices = Table(
    "notices", metadata,
    Column("id", String(ID), primary_key=True),
    Column("agreement_id", String(ID), ForeignKey("agreements.id"), nullable=False, index=True),
    Column("partnership_id", String(ID), ForeignKey("partnerships.id"), nullable=False),
    Column("kind", String(30), nullable=False),
    Column("from_org", String(HANDLE), ForeignKey("orgs.handle"), nullable=False),
    Column("sent_by", String(ID), ForeignKey("people.id"), nullable=False),
    Column("to_orgs", Text, nullable=False),  # JSON list of handles
    Column("body", Text, nullable=False),
    Column("details", Text, nullable=False),  # JSON object
    Column("deadline", UTCDateTime),
    Column("state", String(20), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("acknowledged_at", UTCDateTime),
    Column("acknowledged_by", String(ID), ForeignKey("people.id")),
    Column("closed_at", UTCDateTime),
    Column("closed_by", String(ID), ForeignKey("people.id")),
    Index(None, "state", "deadline"),
    Index("ix_notices_page", "agreement_id", "created_at", "id"),  # why: keyset pages, newest first
)


notice_responses = Table(
    "notice_responses", metadata,
    Column("id", String(ID), primary_key=True),
    Column("notice_id", String(ID), ForeignKey("notices.id"), nullable=False, index=True),
    Column("org", String(HANDLE), ForeignKey("orgs.handle"), nullable=False),
    Column("person_id", String(ID), ForeignKey("people.id"), nullable=False),
    Column("body", Text, nullable=False),
    Column("at", UTCDateTime, nullable=False),
)


# A discloser's demand that a receiving org return or destroy what it received under an
# agreement: one per (agreement, discloser, org); made by a `demand_return` notice.
return_demands = Table(
    "return_demands", metadata,
    Column("agreement_id", String(ID), ForeignKey("agreements.id"), primary_key=True),
    Column("discloser", String(HANDLE), ForeignKey("orgs.handle"), primary_key=True),
    Column("org", String(HANDLE), ForeignKey("orgs.handle"), primary_key=True),
    Column("notice_id", String(ID), ForeignKey("notices.id"), nullable=False),
    Column("demanded_by", String(ID), ForeignKey("people.id"), nullable=False),
    Column("demanded_at", UTCDateTime, nullable=False),
    Column("due_at", UTCDateTime, nullable=False),
)
