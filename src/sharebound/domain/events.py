"""The audit log's events, typed: one kind per state change and a small frozen payload each.

A use case builds a payload (`DisclosureMade(...)`) and hands it to `services.common.record`,
which derives the kind from it, appends the event to its hash-linked log and passes the
payload to the listeners that `bootstrap` registered. Listeners read the typed fields; the log
stores `payload.data()`, a plain JSON object that stays exactly what it was before the events
were typed (same keys, same values), so rows written earlier still verify and read.

Field metadata says how a field is stored: `key` when the stored key is not a Python name
(`from`, `to`), `omit_if_none` for a key that is left out rather than stored as null, and
`flatten` for a group of fields stored at the top level (`RequestFacts`).
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import date, datetime
from enum import Enum, StrEnum
from typing import Any, ClassVar


class EventKind(StrEnum):
    # organizations and people
    ORG_CREATED = "org_created"
    PERSON_ADDED = "person_added"
    ROLES_CHANGED = "roles_changed"
    ORG_PROFILE_CHANGED = "org_profile_changed"
    PERSON_DEACTIVATED = "person_deactivated"
    PERSON_REACTIVATED = "person_reactivated"
    PERSON_UPDATED = "person_updated"
    PERSON_ERASED = "person_erased"
    SCIM_TOKEN_CREATED = "scim_token_created"
    SCIM_TOKEN_REVOKED = "scim_token_revoked"
    SCIM_GROUP_CHANGED = "scim_group_changed"
    # sign-in
    TOKEN_ISSUED = "token_issued"
    TOKEN_REVOKED = "token_revoked"
    SESSION_STARTED = "session_started"
    SESSION_ENDED = "session_ended"
    PASSWORD_CHANGED = "password_changed"
    INVITATION_ISSUED = "invitation_issued"
    INVITATION_ACCEPTED = "invitation_accepted"
    # second factors (docs/second-factors.md)
    SECOND_FACTOR_ENROLLED = "second_factor_enrolled"
    SECOND_FACTOR_REMOVED = "second_factor_removed"
    RECOVERY_CODE_USED = "recovery_code_used"
    RECOVERY_CODES_RENEWED = "recovery_codes_renewed"
    SECOND_FACTOR_POLICY_CHANGED = "second_factor_policy_changed"
    SECOND_FACTORS_RESET = "second_factors_reset"
    # single sign-on (docs/sso.md)
    SSO_CONFIGURED = "sso_configured"
    SSO_REMOVED = "sso_removed"
    SSO_SIGNED_IN = "sso_signed_in"
    PERSON_PROVISIONED = "person_provisioned"
    # partnerships and agreements
    PARTNERSHIP_PROPOSED = "partnership_proposed"
    PARTNERSHIP_ACCEPTED = "partnership_accepted"
    PARTNER_INVITATION_SENT = "partner_invitation_sent"
    PARTNER_INVITATION_ACCEPTED = "partner_invitation_accepted"
    PARTNER_INVITATION_REVOKED = "partner_invitation_revoked"
    AGREEMENT_DRAFTED = "agreement_drafted"
    AGREEMENT_AMENDED = "agreement_amended"
    AGREEMENT_SIGNED = "agreement_signed"
    AGREEMENT_TERMINATED = "agreement_terminated"
    NDA_UPLOADED = "nda_uploaded"
    COPIES_CERTIFIED = "copies_certified"
    EXECUTED_COPY_MADE = "executed_copy_made"
    # consent to electronic records and signatures (the person's org log)
    E_SIGN_CONSENT_GIVEN = "e_sign_consent_given"
    E_SIGN_CONSENT_WITHDRAWN = "e_sign_consent_withdrawn"
    # notices under an agreement (docs/obligations.md)
    NOTICE_SENT = "notice_sent"
    NOTICE_ACKNOWLEDGED = "notice_acknowledged"
    NOTICE_RESPONDED = "notice_responded"
    NOTICE_CLOSED = "notice_closed"
    # items and the content gate
    ITEM_ADDED = "item_added"
    ITEM_VERSION_ADDED = "item_version_added"
    ITEM_UPDATED = "item_updated"
    ITEM_MOVED = "item_moved"
    # folders of the library (docs/library.md)
    FOLDER_CREATED = "folder_created"
    FOLDER_CHANGED = "folder_changed"
    FOLDER_DELETED = "folder_deleted"
    RECLASSIFICATION_REQUESTED = "reclassification_requested"
    ITEM_RECLASSIFIED = "item_reclassified"
    CROWN_JEWEL_TERM_ADDED = "crown_jewel_term_added"
    CROWN_JEWEL_TERM_REMOVED = "crown_jewel_term_removed"
    # disclosures
    DISCLOSURE_MADE = "disclosure_made"
    DISCLOSURE_REFUSED = "disclosure_refused"
    DISCLOSURE_REVOKED = "disclosure_revoked"
    DISCLOSURE_ACCESSED = "disclosure_accessed"
    # representatives and re-shares (docs/obligations.md#representatives)
    REPRESENTATIVE_NAMED = "representative_named"
    REPRESENTATIVE_APPROVED = "representative_approved"
    REPRESENTATIVE_DECLINED = "representative_declined"
    REPRESENTATIVE_WITHDRAWN = "representative_withdrawn"
    DISCLOSURE_RESHARED = "disclosure_reshared"
    EXPORT_MADE = "export_made"  # the register or the access report exported (docs/exports.md)
    PACKAGE_DISCLOSED = "package_disclosed"
    PACKAGE_REFUSED = "package_refused"
    # the feed and requests
    MESSAGE_POSTED = "message_posted"
    REQUEST_OPENED = "request_opened"
    REQUEST_ASSIGNED = "request_assigned"
    REQUEST_ANSWERED = "request_answered"
    REQUEST_DECLINED = "request_declined"
    REQUEST_WITHDRAWN = "request_withdrawn"
    # notifications and webhooks
    NOTIFICATION_PREFERENCES_CHANGED = "notification_preferences_changed"
    WEBHOOK_CREATED = "webhook_created"
    WEBHOOK_DELETED = "webhook_deleted"
    WEBHOOK_SECRET_ROTATED = "webhook_secret_rotated"
    # witnesses of the transparency log (the witness org's log)
    WITNESS_KEY_REGISTERED = "witness_key_registered"
    CHECKPOINT_COSIGNED = "checkpoint_cosigned"
    # keys (the operator's log)
    COLUMNS_SEALED = "columns_sealed"
    BLOBS_SEALED = "blobs_sealed"
    KEK_ROTATED = "kek_rotated"


def _plain(value: Any) -> Any:
    """A field's value as the log stores it (JSON types)."""
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, tuple | list | frozenset | set):
        return [_plain(v) for v in value]
    return value


@dataclass(frozen=True, slots=True)
class Payload:
    """What an event of one kind carries; every subclass names its `kind`."""

    kind: ClassVar[EventKind]

    def data(self) -> dict[str, Any]:
        """The event's `data` as stored in the log."""
        out: dict[str, Any] = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if f.metadata.get("flatten"):
                out.update(value.data())
            elif value is None and f.metadata.get("omit_if_none"):
                continue
            else:
                out[f.metadata.get("key", f.name)] = _plain(value)
        return out


_FLAT = {"flatten": True}
_OMIT_IF_NONE = {"omit_if_none": True}


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
    passkey: str | None = field(default=None, metadata=_OMIT_IF_NONE)  # the passkey's id


@dataclass(frozen=True, slots=True)
class SecondFactorRemoved(Payload):
    kind = EventKind.SECOND_FACTOR_REMOVED
    method: str
    passkey: str | None = field(default=None, metadata=_OMIT_IF_NONE)


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


# --- partnerships and agreements -------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class PartnershipProposed(Payload):
    kind = EventKind.PARTNERSHIP_PROPOSED
    orgs: tuple[str, ...]
    purpose: str


@dataclass(frozen=True, slots=True)
class PartnershipAccepted(Payload):
    kind = EventKind.PARTNERSHIP_ACCEPTED
    org: str
    status: str


@dataclass(frozen=True, slots=True)
class PartnerInvitationSent(Payload):
    """A link to join went to an email address (the subject is the invitation; the log keeps
    no address: the partners read this log)."""

    kind = EventKind.PARTNER_INVITATION_SENT
    expires_at: datetime


@dataclass(frozen=True, slots=True)
class PartnerInvitationAccepted(Payload):
    kind = EventKind.PARTNER_INVITATION_ACCEPTED
    org: str  # the org that took it: a new one, or the invitee's own
    new_org: bool


@dataclass(frozen=True, slots=True)
class PartnerInvitationRevoked(Payload):
    kind = EventKind.PARTNER_INVITATION_REVOKED


@dataclass(frozen=True, slots=True)
class AgreementDrafted(Payload):
    kind = EventKind.AGREEMENT_DRAFTED
    version: int
    digest: str


@dataclass(frozen=True, slots=True)
class AgreementAmended(Payload):
    kind = EventKind.AGREEMENT_AMENDED
    version: int
    digest: str


@dataclass(frozen=True, slots=True)
class AgreementSigned(Payload):
    kind = EventKind.AGREEMENT_SIGNED
    org: str
    version: int
    digest: str
    status: str  # the agreement's status once signed (`in_force` when it took effect at once)
    # the signature's evidence (services/esign.py); absent from events logged before it was kept
    evidence: str | None = field(default=None, metadata=_OMIT_IF_NONE)  # its id
    methods: tuple[str, ...] | None = field(default=None, metadata=_OMIT_IF_NONE)
    consent: str | None = field(default=None, metadata=_OMIT_IF_NONE)  # the consent's id
    address: str | None = field(default=None, metadata=_OMIT_IF_NONE)
    user_agent: str | None = field(default=None, metadata=_OMIT_IF_NONE)


@dataclass(frozen=True, slots=True)
class AgreementTerminated(Payload):
    kind = EventKind.AGREEMENT_TERMINATED
    org: str


@dataclass(frozen=True, slots=True)
class ExecutedCopyMade(Payload):
    kind = EventKind.EXECUTED_COPY_MADE
    version: int
    digest: str  # the agreement document's, which every party signed
    sha256: str  # the PDF's


@dataclass(frozen=True, slots=True)
class ESignConsentGiven(Payload):
    kind = EventKind.E_SIGN_CONSENT_GIVEN
    statement_version: str
    statement_sha256: str


@dataclass(frozen=True, slots=True)
class ESignConsentWithdrawn(Payload):
    kind = EventKind.E_SIGN_CONSENT_WITHDRAWN
    statement_version: str


@dataclass(frozen=True, slots=True)
class NdaUploaded(Payload):
    kind = EventKind.NDA_UPLOADED
    org: str
    sha256: str
    media_type: str
    size: int


@dataclass(frozen=True, slots=True)
class CopiesCertified(Payload):
    kind = EventKind.COPIES_CERTIFIED
    org: str
    copies: int


@dataclass(frozen=True, slots=True)
class NoticeSent(Payload):
    """Subject: the notice. A `demand_return` names its due date in `deadline`."""

    kind = EventKind.NOTICE_SENT
    notice_kind: str
    agreement: str
    org: str  # the sender
    to: tuple[str, ...]
    deadline: datetime | None = field(default=None, metadata=_OMIT_IF_NONE)


@dataclass(frozen=True, slots=True)
class NoticeAcknowledged(Payload):
    kind = EventKind.NOTICE_ACKNOWLEDGED
    org: str


@dataclass(frozen=True, slots=True)
class NoticeResponded(Payload):
    kind = EventKind.NOTICE_RESPONDED
    org: str
    response: str  # the response's id (its text stays in the thread)


@dataclass(frozen=True, slots=True)
class NoticeClosed(Payload):
    kind = EventKind.NOTICE_CLOSED
    org: str


# --- items and the content gate --------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class ItemAdded(Payload):
    kind = EventKind.ITEM_ADDED
    version: int
    sha256: str
    classification: str


@dataclass(frozen=True, slots=True)
class ItemVersionAdded(Payload):
    kind = EventKind.ITEM_VERSION_ADDED
    version: int
    sha256: str


@dataclass(frozen=True, slots=True)
class ItemUpdated(Payload):
    kind = EventKind.ITEM_UPDATED
    fields: tuple[str, ...]  # which of title, topics changed


@dataclass(frozen=True, slots=True)
class ItemMoved(Payload):
    kind = EventKind.ITEM_MOVED
    old: str | None = field(metadata={"key": "from"})  # folder ids; None: the root
    new: str | None = field(metadata={"key": "to"})


@dataclass(frozen=True, slots=True)
class FolderCreated(Payload):
    kind = EventKind.FOLDER_CREATED
    name: str
    parent: str | None  # None: the root


@dataclass(frozen=True, slots=True)
class FolderChanged(Payload):
    kind = EventKind.FOLDER_CHANGED
    fields: tuple[str, ...]  # which of name, parent, position changed
    name: str
    parent: str | None
    position: int


@dataclass(frozen=True, slots=True)
class FolderDeleted(Payload):
    kind = EventKind.FOLDER_DELETED
    name: str


@dataclass(frozen=True, slots=True)
class ReclassificationRequested(Payload):
    kind = EventKind.RECLASSIFICATION_REQUESTED
    request: str
    old: str = field(metadata={"key": "from"})
    new: str = field(metadata={"key": "to"})


@dataclass(frozen=True, slots=True)
class ItemReclassified(Payload):
    kind = EventKind.ITEM_RECLASSIFIED
    old: str = field(metadata={"key": "from"})
    new: str = field(metadata={"key": "to"})
    request: str | None = field(default=None, metadata=_OMIT_IF_NONE)  # with the approval of a signer
    requested_by: str | None = field(default=None, metadata=_OMIT_IF_NONE)
    approved_by: str | None = field(default=None, metadata=_OMIT_IF_NONE)
    second_factor: str | None = field(default=None, metadata=_OMIT_IF_NONE)  # the approver's


@dataclass(frozen=True, slots=True)
class CrownJewelTermAdded(Payload):
    kind = EventKind.CROWN_JEWEL_TERM_ADDED


@dataclass(frozen=True, slots=True)
class CrownJewelTermRemoved(Payload):
    kind = EventKind.CROWN_JEWEL_TERM_REMOVED


# --- disclosures -----------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class DisclosureMade(Payload):
    kind = EventKind.DISCLOSURE_MADE
    item: str
    item_version: int
    item_sha256: str
    agreement: str
    agreement_version: int
    agreement_digest: str
    recipients: tuple[str, ...]  # sorted person ids
    actions: tuple[str, ...]  # sorted
    expires_at: datetime
    package: str | None = field(default=None, metadata=_OMIT_IF_NONE)  # made in a package


@dataclass(frozen=True, slots=True)
class PackageDisclosed(Payload):
    kind = EventKind.PACKAGE_DISCLOSED
    agreement: str
    disclosures: tuple[str, ...]  # the register entries it made, in number order
    left_out: tuple[str, ...]  # item ids refused and left out (with allowed_only)
    allowed_only: bool


@dataclass(frozen=True, slots=True)
class PackageRefused(Payload):
    kind = EventKind.PACKAGE_REFUSED
    agreement: str
    items: tuple[str, ...]  # the item ids the rules refused
    codes: tuple[str, ...]  # sorted, every reason's code once


@dataclass(frozen=True, slots=True)
class DisclosureRefused(Payload):
    kind = EventKind.DISCLOSURE_REFUSED
    agreement: str
    codes: tuple[str, ...]  # sorted, each once


@dataclass(frozen=True, slots=True)
class DisclosureRevoked(Payload):
    kind = EventKind.DISCLOSURE_REVOKED


@dataclass(frozen=True, slots=True)
class ExportMade(Payload):
    """Someone (the actor; none: the operator) exported the register or the access report of
    the subject (an agreement or a partnership): the filters asked and the rows written."""

    kind = EventKind.EXPORT_MADE
    report: str  # register or access
    format: str  # csv or pdf
    direction: str
    rows: int
    date_from: str | None = field(default=None, metadata={"key": "from", "omit_if_none": True})
    date_to: str | None = field(default=None, metadata={"key": "to", "omit_if_none": True})
    classification: str | None = field(default=None, metadata=_OMIT_IF_NONE)
    topic: str | None = field(default=None, metadata=_OMIT_IF_NONE)


@dataclass(frozen=True, slots=True)
class DisclosureAccessed(Payload):
    kind = EventKind.DISCLOSURE_ACCESSED
    access: str
    action: str
    copy: str | None = field(default=None, metadata=_OMIT_IF_NONE)  # a download's copy id
    # the stamped copy's digest, when it was stamped
    sha256: str | None = field(default=None, metadata=_OMIT_IF_NONE)


# --- representatives and re-shares: the partnership's log, which both parties read ----------

@dataclass(frozen=True, slots=True)
class RepresentativeNamed(Payload):
    """Subject: the representative. Names no email: the log is both parties'."""

    kind = EventKind.REPRESENTATIVE_NAMED
    agreement: str
    org: str  # the receiving org that named them
    organization: str  # the representative's organization


@dataclass(frozen=True, slots=True)
class RepresentativeApproved(Payload):
    kind = EventKind.REPRESENTATIVE_APPROVED
    agreement: str
    org: str  # the receiving org
    by_org: str  # the disclosing party that approved
    guest: str  # the guest's person id


@dataclass(frozen=True, slots=True)
class RepresentativeDeclined(Payload):
    kind = EventKind.REPRESENTATIVE_DECLINED
    agreement: str
    org: str
    by_org: str
    reason: str


@dataclass(frozen=True, slots=True)
class RepresentativeWithdrawn(Payload):
    kind = EventKind.REPRESENTATIVE_WITHDRAWN
    agreement: str
    org: str


@dataclass(frozen=True, slots=True)
class DisclosureReshared(Payload):
    """Subject: the original disclosure; the chain discloser → org → representative."""

    kind = EventKind.DISCLOSURE_RESHARED
    reshare: str
    discloser: str
    org: str
    representative: str
    actions: tuple[str, ...]  # sorted
    expires_at: datetime


# --- the feed and requests -------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class MessagePosted(Payload):
    kind = EventKind.MESSAGE_POSTED
    classification: str
    agreement: str | None
    mentions: tuple[str, ...]  # person ids
    reply_to: str | None
    disclosure: str | None


@dataclass(frozen=True, slots=True)
class RequestFacts:
    """What every request event carries: titles both parties may see, never content."""

    title: str
    asker: str  # person id
    asker_org: str
    asked_org: str
    assignee: str | None
    due_on: date
    topic: str | None

    def data(self) -> dict[str, Any]:
        return {"title": self.title, "asker": self.asker, "asker_org": self.asker_org,
                "asked_org": self.asked_org, "assignee": self.assignee,
                "due_on": self.due_on.isoformat(), "topic": self.topic}


@dataclass(frozen=True, slots=True)
class RequestOpened(Payload):
    kind = EventKind.REQUEST_OPENED
    request: RequestFacts = field(metadata=_FLAT)


@dataclass(frozen=True, slots=True)
class RequestAssigned(Payload):
    kind = EventKind.REQUEST_ASSIGNED
    request: RequestFacts = field(metadata=_FLAT)


@dataclass(frozen=True, slots=True)
class RequestWithdrawn(Payload):
    kind = EventKind.REQUEST_WITHDRAWN
    request: RequestFacts = field(metadata=_FLAT)


@dataclass(frozen=True, slots=True)
class RequestAnswered(Payload):
    kind = EventKind.REQUEST_ANSWERED
    request: RequestFacts = field(metadata=_FLAT)
    disclosures: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class RequestDeclined(Payload):
    kind = EventKind.REQUEST_DECLINED
    request: RequestFacts = field(metadata=_FLAT)
    reason: str | None = None


# --- notifications and webhooks --------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class NotificationPreferencesChanged(Payload):
    kind = EventKind.NOTIFICATION_PREFERENCES_CHANGED
    modes: tuple[tuple[str, str], ...]  # (notification kind, mode), sorted

    def data(self) -> dict[str, Any]:
        return dict(self.modes)  # why: stored as {kind: mode}, as before the events were typed


@dataclass(frozen=True, slots=True)
class WebhookCreated(Payload):
    kind = EventKind.WEBHOOK_CREATED
    url: str
    kinds: tuple[str, ...]  # sorted


@dataclass(frozen=True, slots=True)
class WebhookDeleted(Payload):
    kind = EventKind.WEBHOOK_DELETED


@dataclass(frozen=True, slots=True)
class WebhookSecretRotated(Payload):
    kind = EventKind.WEBHOOK_SECRET_ROTATED
    old_secret_until: datetime


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


# --- witnesses: the witness org's log (docs/verify-partner-log.md) ---------------------------

@dataclass(frozen=True, slots=True)
class WitnessKeyRegistered(Payload):
    """An admin registered (or replaced) the org's witness key; the subject is the org."""

    kind = EventKind.WITNESS_KEY_REGISTERED
    name: str  # the key's name
    key_hash: str  # 8 hex digits: signed-note's key hash (type 0x04)


@dataclass(frozen=True, slots=True)
class CheckpointCosigned(Payload):
    """The org's witness cosigned a checkpoint the server signed; the subject is the
    partnership (or the org) whose log it is."""

    kind = EventKind.CHECKPOINT_COSIGNED
    log: str  # partnership:<id> or org:<handle>
    size: int
    root: str  # base64, as in the checkpoint
    timestamp: int  # the cosignature's, POSIX seconds


# --- keys: the operator's log (docs/encryption.md) -------------------------------------------

@dataclass(frozen=True, slots=True)
class ColumnsSealed(Payload):
    kind = EventKind.COLUMNS_SEALED
    webhooks: int  # webhook secrets sealed that were stored in clear
    terms: int  # crown-jewel terms likewise


@dataclass(frozen=True, slots=True)
class BlobsSealed(Payload):
    kind = EventKind.BLOBS_SEALED
    blobs: int


@dataclass(frozen=True, slots=True)
class KekRotated(Payload):
    kind = EventKind.KEK_ROTATED
    old: str = field(metadata={"key": "from"})  # key-encryption key ids
    new: str = field(metadata={"key": "to"})
    data_keys: int
