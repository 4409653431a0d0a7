"""Events of organizations and people: accounts, second factors, sign-in and single sign-on."""

from __future__ import annotations

from dataclasses import dataclass, field

from sharebound.domain.events.base import OMIT_IF_NONE, EventKind, Payload

# --- organizations and people ----------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class OrgCreated(Payload):
    kind = EventKind.ORG_CREATED
    admin: str


@dataclass(frozen=True, slots=True)
class PersonAdded(Payload):
    kind = EventKind.PERSON_ADDED
    roles: tuple[str, ...]  # sorted


@dataclass(frozen=True, slots=True)
class RolesChanged(Payload):
    kind = EventKind.ROLES_CHANGED
    roles: tuple[str, ...]  # sorted


@dataclass(frozen=True, slots=True)
class OrgProfileChanged(Payload):
    """The org's legal profile changed: the names of the fields, sorted (their values are on
    the org, and on the cover page of each agreement drafted after)."""

    kind = EventKind.ORG_PROFILE_CHANGED
    fields: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class PersonDeactivated(Payload):
    """The subject (a person) was deactivated: their sessions and tokens ended with it."""

    kind = EventKind.PERSON_DEACTIVATED
    sessions_ended: int
    tokens_revoked: int
    via: str  # "admin", "operator" or "scim"


@dataclass(frozen=True, slots=True)
class PersonReactivated(Payload):
    kind = EventKind.PERSON_REACTIVATED
    via: str


@dataclass(frozen=True, slots=True)
class PersonUpdated(Payload):
    """Provisioning changed the subject's name or email (the fields changed, not their values)."""

    kind = EventKind.PERSON_UPDATED
    fields: tuple[str, ...]  # sorted
    via: str


@dataclass(frozen=True, slots=True)
class PersonErased(Payload):
    """The operator replaced a deactivated person's name and email (personal data erasure)."""

    kind = EventKind.PERSON_ERASED


@dataclass(frozen=True, slots=True)
class ScimTokenCreated(Payload):
    kind = EventKind.SCIM_TOKEN_CREATED
    name: str


@dataclass(frozen=True, slots=True)
class ScimTokenRevoked(Payload):
    kind = EventKind.SCIM_TOKEN_REVOKED


@dataclass(frozen=True, slots=True)
class ScimGroupChanged(Payload):
    """A SCIM group (the subject) was created, renamed, had its members changed, or deleted."""

    kind = EventKind.SCIM_GROUP_CHANGED
    display_name: str
    change: str  # created, updated, deleted
    members: int


# --- second factors: the subject is the person (or, for the policy, the org) ----------------

@dataclass(frozen=True, slots=True)
class SecondFactorEnrolled(Payload):
    kind = EventKind.SECOND_FACTOR_ENROLLED
    method: str  # "totp" or "webauthn"
    passkey: str | None = field(default=None, metadata=OMIT_IF_NONE)  # the passkey's id


@dataclass(frozen=True, slots=True)
class SecondFactorRemoved(Payload):
    kind = EventKind.SECOND_FACTOR_REMOVED
    method: str
    passkey: str | None = field(default=None, metadata=OMIT_IF_NONE)


@dataclass(frozen=True, slots=True)
class RecoveryCodeUsed(Payload):
    kind = EventKind.RECOVERY_CODE_USED
    left: int  # unused codes remaining


@dataclass(frozen=True, slots=True)
class RecoveryCodesRenewed(Payload):
    kind = EventKind.RECOVERY_CODES_RENEWED
    codes: int


@dataclass(frozen=True, slots=True)
class SecondFactorPolicyChanged(Payload):
    kind = EventKind.SECOND_FACTOR_POLICY_CHANGED
    old: str = field(metadata={"key": "from"})
    new: str = field(metadata={"key": "to"})
    tokens_revoked: int  # live API tokens of people the policy now covers who had no factor


@dataclass(frozen=True, slots=True)
class SecondFactorsReset(Payload):
    """An admin (or the operator: no actor) removed every factor of a person who lost them."""

    kind = EventKind.SECOND_FACTORS_RESET
    passkeys: int
    totp: bool
    tokens_revoked: int


# --- sign-in: the subject names the record, nothing more is stored ---------------------------

@dataclass(frozen=True, slots=True)
class TokenIssued(Payload):
    kind = EventKind.TOKEN_ISSUED


@dataclass(frozen=True, slots=True)
class TokenRevoked(Payload):
    kind = EventKind.TOKEN_REVOKED


@dataclass(frozen=True, slots=True)
class SessionStarted(Payload):
    kind = EventKind.SESSION_STARTED


@dataclass(frozen=True, slots=True)
class SessionEnded(Payload):
    kind = EventKind.SESSION_ENDED


@dataclass(frozen=True, slots=True)
class PasswordChanged(Payload):
    kind = EventKind.PASSWORD_CHANGED
    tokens_revoked: int  # the person's tokens the change ended
    tokens_kept: bool  # the person asked to keep them


@dataclass(frozen=True, slots=True)
class InvitationIssued(Payload):
    kind = EventKind.INVITATION_ISSUED


@dataclass(frozen=True, slots=True)
class InvitationAccepted(Payload):
    kind = EventKind.INVITATION_ACCEPTED


# --- single sign-on (docs/sso.md) -----------------------------------------------------------

@dataclass(frozen=True, slots=True)
class SsoConfigured(Payload):
    """The org's identity provider set or changed (the client secret is never logged)."""

    kind = EventKind.SSO_CONFIGURED
    issuer: str
    client_id: str
    domains: tuple[str, ...]  # sorted
    role_mapping: tuple[str, ...]  # "claim=value: role,role", in order
    require_sso: bool
    jit: bool
    secret_changed: bool


@dataclass(frozen=True, slots=True)
class SsoRemoved(Payload):
    kind = EventKind.SSO_REMOVED
    issuer: str


@dataclass(frozen=True, slots=True)
class SsoSignedIn(Payload):
    """A person signed in through the org's provider; the subject is the session."""

    kind = EventKind.SSO_SIGNED_IN
    issuer: str
    reauthentication: bool  # a fresh sign-in inside an existing session (prompt=login)


@dataclass(frozen=True, slots=True)
class PersonProvisioned(Payload):
    """A person created at their first SSO sign-in (just-in-time); the subject is the person."""

    kind = EventKind.PERSON_PROVISIONED
    issuer: str
    roles: tuple[str, ...]  # sorted
