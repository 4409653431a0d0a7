"""Events of partnerships and agreements: proposals, invitations, NDAs, signatures and notices."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sharebound.domain.events.base import OMIT_IF_NONE, EventKind, Payload

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
    evidence: str | None = field(default=None, metadata=OMIT_IF_NONE)  # its id
    methods: tuple[str, ...] | None = field(default=None, metadata=OMIT_IF_NONE)
    consent: str | None = field(default=None, metadata=OMIT_IF_NONE)  # the consent's id
    address: str | None = field(default=None, metadata=OMIT_IF_NONE)
    user_agent: str | None = field(default=None, metadata=OMIT_IF_NONE)


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
    deadline: datetime | None = field(default=None, metadata=OMIT_IF_NONE)


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
