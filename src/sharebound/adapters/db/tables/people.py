"""Tables of organizations, people, sign-in, second factors, SCIM and single sign-on."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    ForeignKey,
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
    Index("ix_people_page", "org", "name", "email"),  # why: an org's people page by name
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


# How each person wants each kind (instant, daily, weekly, off); no row means instant.
notification_preferences = Table(
    "notification_preferences", metadata,
    Column("person_id", String(ID), ForeignKey("people.id"), primary_key=True),
    Column("kind", String(40), primary_key=True),
    Column("mode", String(10), nullable=False),
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
