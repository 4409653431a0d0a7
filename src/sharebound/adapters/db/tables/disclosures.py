"""Tables of disclosures, their recipients, accesses, stamped copies (and the watermark
templates they are stamped with), packages and re-shares."""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    Float,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
)

from sharebound.adapters.db.engine import QUEUE_SCHEMA
from sharebound.adapters.db.tables.base import DIGEST, HANDLE, ID, metadata
from sharebound.adapters.db.types import UTCDateTime

disclosures = Table(
    "disclosures", metadata,
    Column("id", String(ID), primary_key=True),
    Column("partnership_id", String(ID), ForeignKey("partnerships.id"), nullable=False, index=True),
    Column("item_id", String(ID), nullable=False, index=True),
    Column("item_version", Integer, nullable=False),
    Column("item_sha256", String(DIGEST), nullable=False),
    Column("discloser", String(HANDLE), ForeignKey("orgs.handle"), nullable=False, index=True),
    Column("disclosed_by", String(ID), ForeignKey("people.id"), nullable=False),
    Column("agreement_id", String(ID), nullable=False, index=True),
    Column("agreement_version", Integer, nullable=False),
    Column("agreement_digest", String(DIGEST), nullable=False),
    Column("actions", String(40), nullable=False),  # sorted, comma separated
    Column("note", Text, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("expires_at", UTCDateTime, nullable=False),
    Column("revoked_at", UTCDateTime),
    Column("revoked_by", String(ID), ForeignKey("people.id")),
    Column("revoke_reason", Text),
    # what the recipients were told about the item, as it was when disclosed
    Column("item_title", String(300), nullable=False),
    Column("item_classification", String(20), nullable=False),
    Column("item_topics", Text, nullable=False),  # JSON list, sorted
    Column("package_id", String(ID), index=True),  # the package it was disclosed in, if any
    ForeignKeyConstraint(["item_id", "item_version"], ["item_versions.item_id", "item_versions.number"]),
    ForeignKeyConstraint(["agreement_id", "agreement_version"],
                         ["agreement_versions.agreement_id", "agreement_versions.number"]),
    # why: exports read the register in keyset batches (0022_exports)
    Index(None, "agreement_id", "created_at", "id"),
    Index(None, "partnership_id", "created_at", "id"),
)


# The register's keyset indexes (0022_list_indexes): every list reads one page of them,
# newest first, whatever the history.
Index("ix_disclosures_given_page", disclosures.c.discloser, disclosures.c.created_at, disclosures.c.id)
Index("ix_disclosures_given_partnership_page", disclosures.c.discloser, disclosures.c.partnership_id,
      disclosures.c.created_at, disclosures.c.id)

# A recipient of a disclosure, with copies of the disclosure's sort key and the person's org
# (both never change) so that "received" reads one index page, per person or per org.
disclosure_recipients = Table(
    "disclosure_recipients", metadata,
    Column("disclosure_id", String(ID), ForeignKey("disclosures.id"), primary_key=True),
    Column("person_id", String(ID), ForeignKey("people.id"), primary_key=True, index=True),
    Column("org", String(HANDLE), nullable=False),  # the person's org
    Column("partnership_id", String(ID), nullable=False),  # the disclosure's
    Column("created_at", UTCDateTime, nullable=False),  # the disclosure's
    Column("expires_at", UTCDateTime, nullable=False),  # the disclosure's (it never changes)
    Index("ix_recipients_person_page", "person_id", "created_at", "disclosure_id"),
    # why: "expiring soon" (home) is one range of it, not every disclosure the person received
    Index("ix_recipients_person_expiry", "person_id", "expires_at", "disclosure_id"),
    Index("ix_recipients_person_partnership_page", "person_id", "partnership_id", "created_at",
          "disclosure_id"),
    Index("ix_recipients_org_page", "org", "created_at", "disclosure_id"),
    Index("ix_recipients_org_partnership_page", "org", "partnership_id", "created_at", "disclosure_id"),
)


# Disclosures counted by UTC day, kept by `DisclosureRepository.add` in the disclosure's own
# transaction (migration 0035 counted those made before), so that the give-and-take charts
# and the health card read a few rows a day, whatever the history. `audience`: "" counts what
# `discloser` gave; "org:<handle>" what reached that org (any of its people, once per
# disclosure); "person:<id>" what reached that person. (Disclosures are never deleted.)
disclosure_days = Table(
    "disclosure_days", metadata,
    Column("audience", String(ID + 8), primary_key=True),  # why + 8: "person:" and an id
    Column("partnership_id", String(ID), primary_key=True),
    Column("day", Date, primary_key=True),
    Column("discloser", String(HANDLE), primary_key=True),
    Column("classification", String(20), primary_key=True),
    Column("topics", Text, primary_key=True),  # JSON list, sorted (as `item_topics`)
    Column("n", Integer, nullable=False),
)


access_records = Table(
    "access_records", metadata,
    Column("id", String(ID), primary_key=True),
    Column("disclosure_id", String(ID), ForeignKey("disclosures.id"), nullable=False, index=True),
    Column("person_id", String(ID), ForeignKey("people.id"), nullable=False),
    Column("action", String(20), nullable=False),
    Column("at", UTCDateTime, nullable=False),
    Index(None, "at", "id"),  # why: the access report's export reads it in keyset batches
    Index("ix_access_records_page", "disclosure_id", "at", "id"),
)


# Accesses on their way into `access_records` (services/accesses.py): a recipient's view of a
# note is appended here, outside the read's transaction, and the worker moves it, in order and
# exactly once, into `access_records` with its audit event. In a metadata of its own: on
# SQLite it is in a side file (adapters/db/engine.py), on PostgreSQL in the schema `accesses`
# (migration 0028); reads see it with `access_records` (repositories/accesses.py).
queue_metadata = MetaData()
access_queue = Table(
    "access_queue", queue_metadata,
    Column("seq", Integer, primary_key=True, autoincrement=True),  # the order of arrival
    Column("access_id", String(ID), nullable=False, unique=True),
    Column("disclosure_id", String(ID), nullable=False),
    Column("partnership_id", String(ID), nullable=False),  # the disclosure's: its event's log
    Column("person_id", String(ID), nullable=False),
    Column("action", String(20), nullable=False),
    Column("at", UTCDateTime, nullable=False),
    schema=QUEUE_SCHEMA,
)


# Every stamped copy a recipient received (a download, or the pages of a view), by copy id:
# what `sharebound trace` looks up. `sha256` is of the stamped file; a view has none.
copies = Table(
    "copies", metadata,
    Column("copy_id", String(14), primary_key=True),  # why: XXXX-XXXX-XXXX
    Column("access_id", String(ID), ForeignKey("access_records.id"), nullable=False, unique=True),
    Column("disclosure_id", String(ID), ForeignKey("disclosures.id"), nullable=False, index=True),
    Column("person_id", String(ID), ForeignKey("people.id"), nullable=False),
    Column("kind", String(20), nullable=False),  # download or view
    Column("media_type", String(100), nullable=False),
    Column("sha256", String(DIGEST)),
    Column("at", UTCDateTime, nullable=False),
)


# View-only page analytics (domain/page_views.py): per recipient and page of a disclosure, the
# page images sent and the seconds on screen the reader's browser reported. Not an audit record
# (the view itself is, with its copy): a counter, so it records no event.
page_views = Table(
    "page_views", metadata,
    Column("disclosure_id", String(ID), ForeignKey("disclosures.id"), primary_key=True),
    Column("person_id", String(ID), ForeignKey("people.id"), primary_key=True),
    Column("page", Integer, primary_key=True),
    Column("first_seen", UTCDateTime, nullable=False),
    Column("last_seen", UTCDateTime, nullable=False),
    Column("views", Integer, nullable=False),
    Column("seconds", Float, nullable=False),
)

# Watermark templates (docs/watermarks.md): an org's default (scope "org") and its overrides
# for one agreement (scope = the agreement's id), each for the copies the org discloses.
watermark_templates = Table(
    "watermark_templates", metadata,
    Column("org", String(HANDLE), ForeignKey("orgs.handle"), primary_key=True),
    Column("scope", String(ID), primary_key=True),
    Column("template", Text, nullable=False),  # JSON: fields, position, size, opacity, custom_text
    Column("set_by", String(ID), ForeignKey("people.id"), nullable=False),
    Column("set_at", UTCDateTime, nullable=False),
)


# Representatives a receiving org named under an agreement, and re-shares to them
# (docs/obligations.md#representatives).
representatives = Table(
    "representatives", metadata,
    Column("id", String(ID), primary_key=True),
    Column("agreement_id", String(ID), ForeignKey("agreements.id"), nullable=False, index=True),
    Column("partnership_id", String(ID), ForeignKey("partnerships.id"), nullable=False),
    Column("org", String(HANDLE), ForeignKey("orgs.handle"), nullable=False),
    Column("organization", String(200), nullable=False),
    Column("name", String(200), nullable=False),
    Column("email", String(254), nullable=False),
    Column("reason", Text, nullable=False),
    Column("state", String(20), nullable=False),
    Column("named_by", String(ID), ForeignKey("people.id"), nullable=False),
    Column("named_at", UTCDateTime, nullable=False),
    Column("decided_org", String(HANDLE), ForeignKey("orgs.handle")),
    Column("decided_by", String(ID), ForeignKey("people.id")),
    Column("decided_at", UTCDateTime),
    Column("decision_reason", Text, nullable=False),
    Column("withdrawn_by", String(ID), ForeignKey("people.id")),
    Column("withdrawn_at", UTCDateTime),
    Column("person_id", String(ID), ForeignKey("people.id"), index=True),  # the guest
    Index("ix_representatives_page", "agreement_id", "named_at", "id"),  # why: keyset pages, newest first
)


reshares = Table(
    "reshares", metadata,
    Column("id", String(ID), primary_key=True),
    Column("disclosure_id", String(ID), ForeignKey("disclosures.id"), nullable=False, index=True),
    Column("representative_id", String(ID), ForeignKey("representatives.id"), nullable=False,
           index=True),
    Column("org", String(HANDLE), ForeignKey("orgs.handle"), nullable=False),
    Column("shared_by", String(ID), ForeignKey("people.id"), nullable=False),
    Column("actions", String(100), nullable=False),  # sorted, comma separated
    Column("created_at", UTCDateTime, nullable=False),
    Column("expires_at", UTCDateTime, nullable=False),
    Column("note", Text, nullable=False),
    Index("ix_reshares_page", "disclosure_id", "created_at", "id"),  # why: keyset pages, newest first
)


# Package disclosures: one act disclosing several items; each item is its own disclosure
# (`disclosures.package_id`), and its entry keeps its number and folder path as disclosed.
packages = Table(
    "packages", metadata,
    Column("id", String(ID), primary_key=True),
    Column("partnership_id", String(ID), ForeignKey("partnerships.id"), nullable=False, index=True),
    Column("discloser", String(HANDLE), ForeignKey("orgs.handle"), nullable=False, index=True),
    Column("disclosed_by", String(ID), ForeignKey("people.id"), nullable=False),
    Column("agreement_id", String(ID), nullable=False),
    Column("name", String(300), nullable=False),
    Column("allowed_only", Boolean, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
)


package_entries = Table(
    "package_entries", metadata,
    Column("disclosure_id", String(ID), ForeignKey("disclosures.id"), primary_key=True),
    Column("package_id", String(ID), ForeignKey("packages.id"), nullable=False, index=True),
    Column("number", String(100), nullable=False),  # e.g. 1.2.3, as it was when disclosed
    Column("path", Text, nullable=False),  # JSON list: the folder names above the item
)
