"""The schema as SQLAlchemy Core tables. Alembic migrations create it; a test checks they agree."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Date,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    false,
)

from sharebound.adapters.db.types import UTCDateTime

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

ID = 40  # why: a 3-4 letter prefix, "_" and 32 hex digits
HANDLE = 40
DIGEST = 64

orgs = Table(
    "orgs", metadata,
    Column("handle", String(HANDLE), primary_key=True),
    Column("name", String(200), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    # the org's legal profile: fills a new agreement's cover page when a draft leaves it out
    Column("legal_name", String(300)),
    Column("address", Text),
    Column("notice_name", String(200)),
    Column("notice_email", String(254)),
)

people = Table(
    "people", metadata,
    Column("id", String(ID), primary_key=True),
    Column("org", String(HANDLE), ForeignKey("orgs.handle"), nullable=False, index=True),
    Column("name", String(200), nullable=False),
    Column("email", String(254), nullable=False, unique=True),
    Column("roles", String(100), nullable=False),  # sorted, comma separated
    Column("password_hash", String(200)),
    Column("created_at", UTCDateTime, nullable=False),
    Column("deactivated_at", UTCDateTime),  # null while active
    # SCIM: the identity provider's userName (unique in the org) and externalId, when it set them
    Column("scim_user_name", String(254)),
    Column("external_id", String(200)),
    Column("scim_data", Text),  # the name, displayName and emails the provider sent, as JSON
    Column("scim_deleted_at", UTCDateTime),  # deleted through SCIM: deactivated, and hidden there
    UniqueConstraint("org", "scim_user_name"),
)

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
    ForeignKeyConstraint(["item_id", "item_version"], ["item_versions.item_id", "item_versions.number"]),
    ForeignKeyConstraint(["agreement_id", "agreement_version"],
                         ["agreement_versions.agreement_id", "agreement_versions.number"]),
)

disclosure_recipients = Table(
    "disclosure_recipients", metadata,
    Column("disclosure_id", String(ID), ForeignKey("disclosures.id"), primary_key=True),
    Column("person_id", String(ID), ForeignKey("people.id"), primary_key=True, index=True),
)

access_records = Table(
    "access_records", metadata,
    Column("id", String(ID), primary_key=True),
    Column("disclosure_id", String(ID), ForeignKey("disclosures.id"), nullable=False, index=True),
    Column("person_id", String(ID), ForeignKey("people.id"), nullable=False),
    Column("action", String(20), nullable=False),
    Column("at", UTCDateTime, nullable=False),
)

messages = Table(
    "messages", metadata,
    Column("id", String(ID), primary_key=True),
    Column("partnership_id", String(ID), ForeignKey("partnerships.id"), nullable=False),
    Column("org", String(HANDLE), ForeignKey("orgs.handle"), nullable=False),
    Column("author_id", String(ID), ForeignKey("people.id"), nullable=False),
    Column("body", Text, nullable=False),
    Column("classification", String(20), nullable=False),
    Column("agreement_id", String(ID), ForeignKey("agreements.id")),
    Column("agreement_digest", String(DIGEST)),
    Column("created_at", UTCDateTime, nullable=False),
    Column("reply_to", String(ID), ForeignKey("messages.id")),  # one level of threading
    Column("disclosure_id", String(ID), ForeignKey("disclosures.id")),  # a disclosure it points to
    Index(None, "partnership_id", "created_at"),
)

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

# Authentication: only hashes of secrets are stored.
api_tokens = Table(
    "api_tokens", metadata,
    Column("id", String(ID), primary_key=True),
    Column("person_id", String(ID), ForeignKey("people.id"), nullable=False, index=True),
    Column("token_hash", String(DIGEST), nullable=False, unique=True),
    Column("name", String(100), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("expires_at", UTCDateTime),
    Column("revoked_at", UTCDateTime),
)

invitations = Table(
    "invitations", metadata,
    Column("id", String(ID), primary_key=True),
    Column("person_id", String(ID), ForeignKey("people.id"), nullable=False, index=True),
    Column("token_hash", String(DIGEST), nullable=False, unique=True),
    Column("created_at", UTCDateTime, nullable=False),
    Column("expires_at", UTCDateTime, nullable=False),
    Column("used_at", UTCDateTime),
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

# Failed sign-ins, by key ("account:<email>" or "address:<ip>"), for rate limiting.
login_failures = Table(
    "login_failures", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("key", String(300), nullable=False),
    Column("at", UTCDateTime, nullable=False),
    Index(None, "key", "at"),
)

# Browser sessions (pages): the cookie's SHA-256, and the session's CSRF secret.
web_sessions = Table(
    "web_sessions", metadata,
    Column("id", String(ID), primary_key=True),
    Column("token_hash", String(DIGEST), nullable=False, unique=True),
    Column("person_id", String(ID), ForeignKey("people.id"), nullable=False, index=True),
    Column("csrf", String(DIGEST), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("expires_at", UTCDateTime, nullable=False),
    Column("ended_at", UTCDateTime),
    # active; second_factor (password checked, a factor still to give); enrol (the org requires
    # a factor the person has not set up: only the enrolment pages answer)
    Column("stage", String(20), nullable=False, server_default="active"),
    # how the person proved who they are (password | sso), and when (for SSO: the provider's
    # auth_time); signing may take a fresh SSO sign-in as re-authentication (docs/sso.md)
    Column("method", String(10), nullable=False, server_default="password"),
    Column("authenticated_at", UTCDateTime),
)

# Second factors (docs/second-factors.md). The TOTP secret is sealed like webhook secrets.
totp_factors = Table(
    "totp_factors", metadata,
    Column("person_id", String(ID), ForeignKey("people.id"), primary_key=True),
    Column("secret", Text, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("confirmed_at", UTCDateTime),
    Column("last_step", BigInteger),  # the time step of the code last accepted: never again
)

recovery_codes = Table(
    "recovery_codes", metadata,
    Column("id", String(ID), primary_key=True),
    Column("person_id", String(ID), ForeignKey("people.id"), nullable=False, index=True),
    Column("code_hash", String(DIGEST), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("used_at", UTCDateTime),
)

passkeys = Table(
    "passkeys", metadata,
    Column("id", String(ID), primary_key=True),
    Column("person_id", String(ID), ForeignKey("people.id"), nullable=False, index=True),
    Column("credential_id", String(1400), nullable=False, unique=True),  # why: 1023 bytes, base64url
    Column("public_key", LargeBinary, nullable=False),
    Column("sign_count", BigInteger, nullable=False),
    Column("name", String(100), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("last_used_at", UTCDateTime),
)

webauthn_challenges = Table(
    "webauthn_challenges", metadata,
    Column("id", String(ID), primary_key=True),
    Column("person_id", String(ID), ForeignKey("people.id"), nullable=False, index=True),
    Column("purpose", String(20), nullable=False),
    Column("challenge", String(100), nullable=False, unique=True),
    Column("created_at", UTCDateTime, nullable=False),
    Column("expires_at", UTCDateTime, nullable=False),
    Column("used_at", UTCDateTime),
)

second_factor_policies = Table(
    "second_factor_policies", metadata,
    Column("org", String(HANDLE), ForeignKey("orgs.handle"), primary_key=True),
    Column("applies_to", String(30), nullable=False),
    Column("changed_by", String(ID), ForeignKey("people.id"), nullable=False),
    Column("changed_at", UTCDateTime, nullable=False),
)

# Forms already handled, by their one-time id: a double submit finds the first result.
form_submissions = Table(
    "form_submissions", metadata,
    Column("form_id", String(64), primary_key=True),
    Column("person_id", String(ID), ForeignKey("people.id"), nullable=False),
    Column("result", String(500), nullable=False),  # where the first submit led
    Column("created_at", UTCDateTime, nullable=False),
)

# API POSTs sent with an Idempotency-Key, by caller + method + path + key: the answer to replay.
# `status` is null while the first request is in flight (its claim holds until `lease_until`).
idempotency_keys = Table(
    "idempotency_keys", metadata,
    Column("person_id", String(ID), ForeignKey("people.id"), primary_key=True),
    Column("method", String(10), primary_key=True),
    Column("path", String(500), primary_key=True),
    Column("key", String(255), primary_key=True),
    Column("claim", String(ID), nullable=False),  # which request holds it (a random id)
    Column("lease_until", UTCDateTime),
    Column("fingerprint", String(DIGEST)),  # SHA-256 of the request body (multipart: no boundary)
    Column("status", Integer),
    Column("headers", Text),  # JSON [[name, value], ...]: the ones that matter
    Column("body", LargeBinary),  # null for an answer that carried a secret: never kept
    Column("created_at", UTCDateTime, nullable=False),
    Index("ix_idempotency_keys_created_at", "created_at"),
)

# Information requests: an org asks a partner org for information. `state` is what was last
# done (open, answered, declined, withdrawn); "overdue" is computed from `due_on`, never stored.
requests = Table(
    "requests", metadata,
    Column("id", String(ID), primary_key=True),
    Column("partnership_id", String(ID), ForeignKey("partnerships.id"), nullable=False),
    Column("asker_org", String(HANDLE), ForeignKey("orgs.handle"), nullable=False),
    Column("asked_by", String(ID), ForeignKey("people.id"), nullable=False),
    Column("asked_org", String(HANDLE), ForeignKey("orgs.handle"), nullable=False),
    Column("assignee_id", String(ID), ForeignKey("people.id")),
    Column("title", String(300), nullable=False),
    Column("details", Text, nullable=False),
    Column("topic", String(100)),
    Column("due_on", Date, nullable=False),
    Column("state", String(20), nullable=False),
    Column("decline_reason", Text),
    Column("created_at", UTCDateTime, nullable=False),
    Column("closed_at", UTCDateTime),
    Column("closed_by", String(ID), ForeignKey("people.id")),
    # The level its text was sent at and the agreement in force that covered it (as messages).
    Column("classification", String(20), nullable=False, server_default="public"),
    Column("agreement_id", String(ID), ForeignKey("agreements.id")),
    Column("agreement_digest", String(DIGEST)),
    Column("answer_note", Text),
    Index(None, "partnership_id", "created_at"),
    Index(None, "asked_org", "state"),
    Index(None, "state", "due_on"),
)

# The disclosures that answer a request.
request_disclosures = Table(
    "request_disclosures", metadata,
    Column("request_id", String(ID), ForeignKey("requests.id"), primary_key=True),
    Column("disclosure_id", String(ID), ForeignKey("disclosures.id"), primary_key=True),
    Column("linked_at", UTCDateTime, nullable=False),
)

# The people a message mentions (resolved when it was posted).
message_mentions = Table(
    "message_mentions", metadata,
    Column("message_id", String(ID), ForeignKey("messages.id"), primary_key=True),
    Column("person_id", String(ID), ForeignKey("people.id"), primary_key=True, index=True),
    Column("position", Integer, nullable=False),  # the order of first mention
)

# How far each person has read each partnership's feed: later messages by others are new.
feed_reads = Table(
    "feed_reads", metadata,
    Column("person_id", String(ID), ForeignKey("people.id"), primary_key=True),
    Column("partnership_id", String(ID), ForeignKey("partnerships.id"), primary_key=True),
    Column("read_up_to", UTCDateTime, nullable=False),
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
)

# Word-shingle hashes of the current version of each `restricted` item, to catch copies.
restricted_fingerprints = Table(
    "restricted_fingerprints", metadata,
    Column("item_id", String(ID), ForeignKey("items.id"), primary_key=True),
    Column("hash", BigInteger, primary_key=True),  # signed 64-bit BLAKE2b of 8 words
    Column("org", String(HANDLE), ForeignKey("orgs.handle"), nullable=False),
    Column("item_version", Integer, nullable=False),
    Index(None, "org", "hash"),
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

# Notifications: one row per person told of something; in-app, whatever their preferences.
notifications = Table(
    "notifications", metadata,
    Column("id", String(ID), primary_key=True),
    Column("person_id", String(ID), ForeignKey("people.id"), nullable=False),
    Column("kind", String(40), nullable=False),
    Column("title", String(500), nullable=False),  # only what the person may already see
    Column("link", String(300), nullable=False),  # a path in the app
    Column("event_kind", String(60), nullable=False),
    Column("subject", String(ID), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("read_at", UTCDateTime),
    Index(None, "person_id", "created_at"),
)

# How each person wants each kind (instant, daily, weekly, off); no row means instant.
notification_preferences = Table(
    "notification_preferences", metadata,
    Column("person_id", String(ID), ForeignKey("people.id"), primary_key=True),
    Column("kind", String(40), primary_key=True),
    Column("mode", String(10), nullable=False),
)

# An org's webhooks. The secret is kept (it signs each delivery); after a rotation the old
# one keeps signing beside the new one until `old_secret_until`.
webhooks = Table(
    "webhooks", metadata,
    Column("id", String(ID), primary_key=True),
    Column("org", String(HANDLE), ForeignKey("orgs.handle"), nullable=False, index=True),
    Column("url", String(2000), nullable=False),
    Column("kinds", Text, nullable=False),  # sorted, comma separated; empty = every kind
    Column("secret", Text, nullable=False),  # sealed with the data key (docs/encryption.md)
    Column("old_secret", Text),
    Column("old_secret_until", UTCDateTime),
    Column("created_by", String(ID), ForeignKey("people.id"), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("deleted_at", UTCDateTime),  # deleted webhooks keep their delivery log
)

# The outbox: what the worker must deliver, written in the same transaction as its event.
# A worker claims a row (state `sending`, claimed_by, lease_until) and commits before it
# sends; a row whose lease ran out is claimed again.
outbox = Table(
    "outbox", metadata,
    Column("id", String(ID), primary_key=True),
    Column("channel", String(10), nullable=False),  # email | webhook
    Column("notification_id", String(ID), ForeignKey("notifications.id")),
    Column("person_id", String(ID), ForeignKey("people.id")),  # an email's addressee
    Column("webhook_id", String(ID), ForeignKey("webhooks.id")),
    Column("payload", Text, nullable=False),  # JSON: a webhook's body, or a digest's email
    Column("state", String(10), nullable=False),  # pending | sending | sent | failed | skipped
    Column("attempts", Integer, nullable=False),
    Column("next_attempt_at", UTCDateTime, nullable=False),
    Column("claimed_by", String(100)),
    Column("lease_until", UTCDateTime),
    Column("last_error", Text),
    Column("created_at", UTCDateTime, nullable=False),
    Column("sent_at", UTCDateTime),
    Index(None, "state", "next_attempt_at"),
)

# Every attempt to deliver to a webhook: the delivery log admins read.
webhook_deliveries = Table(
    "webhook_deliveries", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("webhook_id", String(ID), ForeignKey("webhooks.id"), nullable=False),
    Column("outbox_id", String(ID), ForeignKey("outbox.id"), nullable=False),
    Column("attempt", Integer, nullable=False),
    Column("at", UTCDateTime, nullable=False),
    Column("status_code", Integer),
    Column("error", Text),
    Column("duration_ms", Integer, nullable=False),
    Index(None, "webhook_id", "at"),
)

# Reminders and digests already sent: the key makes a second pass or worker a no-op.
reminders_sent = Table(
    "reminders_sent", metadata,
    Column("kind", String(40), primary_key=True),
    Column("subject", String(ID), primary_key=True),
    Column("person_id", String(ID), ForeignKey("people.id"), primary_key=True),
    Column("period", String(40), primary_key=True),
    Column("sent_at", UTCDateTime, nullable=False),
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

# Data keys (DEKs), wrapped by the key-encryption key from SHAREBOUND_KEY_FILE / SHAREBOUND_KEY.
# `sharebound keys rotate` re-wraps them under a new KEK; what they encrypt stays as it is.
data_keys = Table(
    "data_keys", metadata,
    Column("id", String(ID), primary_key=True),
    Column("kek_id", String(DIGEST), nullable=False),
    Column("wrapped", LargeBinary, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
)

scim_tokens = Table(
    "scim_tokens", metadata,
    Column("id", String(ID), primary_key=True),
    Column("org", String(HANDLE), ForeignKey("orgs.handle"), nullable=False, index=True),
    Column("token_hash", String(DIGEST), nullable=False, unique=True),
    Column("name", String(100), nullable=False),
    Column("created_by", String(ID), ForeignKey("people.id")),  # null: the operator
    Column("created_at", UTCDateTime, nullable=False),
    Column("revoked_at", UTCDateTime),
)

scim_groups = Table(
    "scim_groups", metadata,
    Column("id", String(ID), primary_key=True),
    Column("org", String(HANDLE), ForeignKey("orgs.handle"), nullable=False, index=True),
    Column("display_name", String(200), nullable=False),
    Column("external_id", String(200)),
    Column("created_at", UTCDateTime, nullable=False),
    UniqueConstraint("org", "display_name"),
)

scim_group_members = Table(
    "scim_group_members", metadata,
    Column("group_id", String(ID), ForeignKey("scim_groups.id"), primary_key=True),
    Column("person_id", String(ID), ForeignKey("people.id"), primary_key=True, index=True),
)

# An org's OpenID Connect identity provider (docs/sso.md): what discovery found at its issuer,
# the client the org registered there (the secret sealed with the data key), who gets which
# roles, and whether the org's domains must sign in through it.
sso_providers = Table(
    "sso_providers", metadata,
    Column("org", String(HANDLE), ForeignKey("orgs.handle"), primary_key=True),
    Column("issuer", String(500), nullable=False),
    Column("client_id", String(255), nullable=False),
    Column("client_secret", Text, nullable=False),  # sealed (docs/encryption.md)
    Column("authorization_endpoint", String(2000), nullable=False),
    Column("token_endpoint", String(2000), nullable=False),
    Column("jwks_uri", String(2000), nullable=False),
    Column("role_map", Text, nullable=False),  # JSON [{"claim", "value", "roles"}]
    Column("require_sso", Boolean, nullable=False),
    Column("jit", Boolean, nullable=False),
    Column("updated_by", String(ID), ForeignKey("people.id"), nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
)

# The email domains an org's provider answers for: a domain belongs to one org at most.
sso_domains = Table(
    "sso_domains", metadata,
    Column("domain", String(253), primary_key=True),
    Column("org", String(HANDLE), ForeignKey("sso_providers.org"), nullable=False, index=True),
)

# SSO sign-ins under way: the state (its SHA-256), bound to the browser that started it by the
# SHA-256 of a cookie, with the nonce and PKCE verifier the callback needs. Used once; short-lived.
sso_logins = Table(
    "sso_logins", metadata,
    Column("state_hash", String(DIGEST), primary_key=True),
    Column("browser_hash", String(DIGEST), nullable=False),
    Column("org", String(HANDLE), ForeignKey("orgs.handle"), nullable=False),
    Column("nonce", String(100), nullable=False),
    Column("verifier", String(200), nullable=False),
    Column("next_url", String(2000), nullable=False),
    Column("session_id", String(ID)),  # a re-authentication: the session it refreshes
    Column("created_at", UTCDateTime, nullable=False),
    Column("expires_at", UTCDateTime, nullable=False, index=True),
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
