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

from dataclasses import dataclass, fields
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
    WATERMARK_TEMPLATE_SET = "watermark_template_set"
    WATERMARK_TEMPLATE_CLEARED = "watermark_template_cleared"
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


FLAT = {"flatten": True}  # field metadata: stored at the top level
OMIT_IF_NONE = {"omit_if_none": True}  # field metadata: left out when None
