"""Response bodies, and how domain values become them."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, TypeVar

from pydantic import BaseModel, Field

from sharebound.domain.agreements import Agreement
from sharebound.domain.audit import Event
from sharebound.domain.cover import StandardDocument
from sharebound.domain.decisions import Decision
from sharebound.domain.esign import SignatureEvidence
from sharebound.domain.items import Item, Reclassification
from sharebound.domain.messages import Message
from sharebound.domain.orgs import Org, Person
from sharebound.domain.partner_invitations import PartnerInvitation
from sharebound.domain.partnerships import Partnership
from sharebound.domain.scim import ScimTokenRecord
from sharebound.domain.standard_terms import StandardTerms, StandardTermsCatalog
from sharebound.domain.witnesses import Cosignature, WitnessKey
from sharebound.services.register import DisclosureView

T = TypeVar("T")


class ReasonOut(BaseModel):
    code: str
    term: str
    message: str


class ProblemOut(BaseModel):
    """An RFC 9457 problem document (served as application/problem+json)."""

    type: str
    title: str
    status: int
    detail: str
    errors: dict[str, str] | None = None  # 422: each bad field and what is wrong with it
    reasons: list[ReasonOut] | None = None  # 403 refusals by the rules: every failing reason
    items: list[dict[str, Any]] | None = None  # 403 refusal of a package: each item's decision


def _problem(description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/problem+json": {
        "schema": {"$ref": "#/components/schemas/ProblemOut"}}}}


#: What a download may be: the stored media type of the item version.
DOWNLOAD_TYPES = ["application/pdf", "image/png", "image/jpeg", "text/plain", "text/markdown", "text/csv",
                  "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                  "application/octet-stream"]
DOWNLOAD_RESPONSES: dict[int | str, dict[str, Any]] = {200: {
    "description": "The bytes, as their stored media type",
    "content": {kind: {"schema": {"type": "string", "format": "binary"}} for kind in DOWNLOAD_TYPES}}}

#: The problems any route may answer with, declared once for the OpenAPI document.
PROBLEM_RESPONSES: dict[int | str, dict[str, Any]] = {
    400: _problem("Bad paging parameters of a list (`limit`, `after`), each named in `errors`"),
    401: _problem("Not authenticated"),
    403: _problem("Permission denied, or refused by the agreement (with `reasons`)"),
    404: _problem("Not found, or not visible to you"),
    409: _problem("Conflict with the current state"),
    413: _problem("Request body too large"),
    422: _problem("Invalid input (with `errors` naming each field)"),
    429: _problem("Too many attempts: failed sign-ins, sign-ups (see Retry-After)"),
}


class DecisionOut(BaseModel):
    allowed: bool
    reasons: list[ReasonOut]

    @classmethod
    def of(cls, decision: Decision) -> DecisionOut:
        return cls(allowed=decision.allowed, reasons=[ReasonOut(**r.as_dict()) for r in decision.reasons])


class OrgOut(BaseModel):
    handle: str
    name: str
    legal_name: str | None
    address: str | None
    notice_name: str | None
    notice_email: str | None

    @classmethod
    def of(cls, org: Org) -> OrgOut:
        p = org.profile
        return cls(handle=org.handle, name=org.name, legal_name=p.legal_name, address=p.address,
                   notice_name=p.notice_name, notice_email=p.notice_email)


class PartnerInvitationOut(BaseModel):
    """A partnership proposed to an email address; `state` is pending, accepted, expired or revoked."""

    id: str
    partnership_id: str
    email: str
    state: str
    created_at: datetime
    expires_at: datetime
    accepted_at: datetime | None
    accepted_org: str | None
    revoked_at: datetime | None

    @classmethod
    def of(cls, invitation: PartnerInvitation, now: datetime) -> PartnerInvitationOut:
        return cls(id=invitation.id, partnership_id=invitation.partnership_id, email=invitation.email,
                   state=invitation.state(now).value, created_at=invitation.created_at,
                   expires_at=invitation.expires_at, accepted_at=invitation.accepted_at,
                   accepted_org=invitation.accepted_org, revoked_at=invitation.revoked_at)


class PersonOut(BaseModel):
    id: str
    org: str
    name: str
    email: str
    roles: list[str]
    active: bool = Field(description="False once deactivated: no sign-in, no access, no new "
                                     "disclosures to them.")

    @classmethod
    def of(cls, person: Person) -> PersonOut:
        return cls(id=person.id, org=person.org, name=person.name, email=person.email,
                   roles=sorted(person.roles), active=person.active)


class PersonCreatedOut(BaseModel):
    person: PersonOut
    invitation_url: str | None = None


class SignupOut(BaseModel):
    org: OrgOut
    admin: PersonOut


class TokenOut(BaseModel):
    token: str
    id: str
    expires_at: datetime | None


class ScimTokenOut(BaseModel):
    id: str
    org: str
    name: str
    created_at: datetime
    revoked_at: datetime | None

    @classmethod
    def of(cls, record: ScimTokenRecord) -> ScimTokenOut:
        return cls(id=record.id, org=record.org, name=record.name, created_at=record.created_at,
                   revoked_at=record.revoked_at)


class ScimTokenCreatedOut(ScimTokenOut):
    token: str = Field(description="The bearer for /scim/v2: shown this once, stored only as a hash.")


class TokenInfoOut(BaseModel):
    id: str
    name: str
    created_at: datetime
    expires_at: datetime | None
    revoked_at: datetime | None


class MemberOut(BaseModel):
    org: str
    accepted_at: datetime | None


class PartnershipOut(BaseModel):
    id: str
    name: str
    purpose: str
    status: str
    proposer: str
    members: list[MemberOut]
    created_at: datetime

    @classmethod
    def of(cls, p: Partnership) -> PartnershipOut:
        return cls(id=p.id, name=p.name, purpose=p.purpose.value, status=p.status.value,
                   proposer=p.proposer, created_at=p.created_at,
                   members=[MemberOut(org=m.org, accepted_at=m.accepted_at) for m in p.members])


class EvidenceOut(BaseModel):
    """What a signature proves (None on a signature given before evidence was kept)."""

    id: str
    email: str
    org_legal_name: str
    methods: list[str]  # how the signer confirmed it was them: "password" (later "totp"...)
    consent_id: str
    consent_version: str
    consent_at: datetime
    address: str
    user_agent: str

    @classmethod
    def of(cls, e: SignatureEvidence) -> EvidenceOut:
        return cls(id=e.id, email=e.email, org_legal_name=e.org_legal_name, methods=list(e.methods),
                   consent_id=e.consent_id, consent_version=e.consent_version, consent_at=e.consent_at,
                   address=e.address, user_agent=e.user_agent)


class SignatureOut(BaseModel):
    version: int
    digest: str
    org: str
    person_id: str
    name: str
    title: str
    signed_at: datetime
    evidence: EvidenceOut | None


class VersionOut(BaseModel):
    number: int
    digest: str
    created_at: datetime
    fully_signed: bool


class TerminationOut(BaseModel):
    org: str
    reason: str
    at: datetime


class StandardTermsOut(BaseModel):
    id: str
    version: str
    title: str
    kind: str
    sha256: str

    @classmethod
    def of(cls, entry: StandardTerms) -> StandardTermsOut:
        return cls(**entry.summary())


class AgreementOut(BaseModel):
    id: str
    partnership_id: str
    status: str
    version: int
    digest: str
    terms: dict[str, Any]
    text: str
    in_force_version: int | None
    signatures: list[SignatureOut]
    versions: list[VersionOut]
    termination: TerminationOut | None
    document: str | None  # the agreement document's exact text (null for first-format versions)
    document_format: int  # 1: signed over the terms JSON; 2: signed over `document`
    governing_document: dict[str, Any] | None
    standard_terms: StandardTermsOut | None
    confidential_until: date | None  # null: perpetual, or an open-ended NDA still running
    confidentiality: str  # the same in words

    @classmethod
    def of(cls, a: Agreement, now: datetime,
           catalog: StandardTermsCatalog | None = None) -> AgreementOut:
        signed = a.in_force_version(now)
        ended = a.termination
        governing = a.terms.governing_document
        standard = (catalog.get(governing.id, governing.version)
                    if catalog is not None and isinstance(governing, StandardDocument) else None)
        return cls(
            id=a.id, partnership_id=a.partnership_id, status=a.status(now).value,
            version=a.current.number, digest=a.current.digest, terms=a.terms.to_json(),
            text=a.current.text,
            in_force_version=signed.number if signed else None,
            signatures=[SignatureOut(version=s.version, digest=s.digest, org=s.org,
                                     person_id=s.person_id, name=s.name, title=s.title,
                                     signed_at=s.signed_at,
                                     evidence=EvidenceOut.of(s.evidence) if s.evidence else None)
                        for s in a.signatures],
            versions=[VersionOut(number=v.number, digest=v.digest, created_at=v.created_at,
                                 fully_signed=a.is_fully_signed(v)) for v in a.versions],
            termination=TerminationOut(org=ended.org, reason=ended.reason, at=ended.at) if ended else None,
            document=a.current.document.decode("utf-8") if a.current.document is not None else None,
            document_format=a.current.document_format,
            governing_document=governing.to_json() if governing is not None else None,
            standard_terms=StandardTermsOut.of(standard) if standard is not None else None,
            confidential_until=a.confidential_until(now), confidentiality=a.confidentiality(now),
        )


class ItemVersionOut(BaseModel):
    number: int
    sha256: str
    size: int
    media_type: str
    filename: str | None
    created_at: datetime


class ReclassificationOut(BaseModel):
    id: str
    item_id: str
    old: str
    new: str
    requested_by: str
    requested_at: datetime
    approved_by: str | None
    approved_at: datetime | None

    @classmethod
    def of(cls, r: Reclassification) -> ReclassificationOut:
        return cls(id=r.id, item_id=r.item_id, old=r.old.value, new=r.new.value,
                   requested_by=r.requested_by, requested_at=r.requested_at,
                   approved_by=r.approved_by, approved_at=r.approved_at)


class ItemOut(BaseModel):
    id: str
    owner: str
    kind: str
    title: str
    classification: str
    topics: list[str]
    version: int
    versions: list[ItemVersionOut]
    created_at: datetime
    pending_reclassification: ReclassificationOut | None = None
    trade_secret: bool = False
    folder_id: str | None = None

    @classmethod
    def of(cls, item: Item, pending: Reclassification | None = None) -> ItemOut:
        return cls(
            id=item.id, owner=item.owner, kind=item.kind.value, title=item.title,
            trade_secret=item.trade_secret, folder_id=item.folder_id,
            classification=item.classification.value, topics=sorted(item.topics),
            version=item.current.number, created_at=item.created_at,
            versions=[ItemVersionOut(number=v.number, sha256=v.sha256, size=v.size,
                                     media_type=v.media_type, filename=v.filename,
                                     created_at=v.created_at) for v in item.versions],
            pending_reclassification=ReclassificationOut.of(pending) if pending else None)


class RecipientOut(BaseModel):
    id: str
    name: str
    email: str
    org: str


class DisclosureOut(BaseModel):
    id: str
    partnership_id: str
    state: str
    discloser: str
    item_id: str
    item_version: int
    item_sha256: str
    item_title: str
    item_kind: str
    classification: str
    media_type: str
    agreement_id: str
    agreement_version: int
    agreement_digest: str
    recipients: list[RecipientOut]
    actions: list[str]
    created_at: datetime
    expires_at: datetime
    note: str
    revoked_at: datetime | None
    confidentiality: str  # "confidential until ...", or "protected as long as it remains a trade secret"
    body: str | None = None
    access_refused: list[ReasonOut] | None = None
    copies: int = 0
    demanded_at: datetime | None = None
    # "witnessed by globex, 2026-12-07 09:14" once a partner's witness cosigned a checkpoint
    # of the partnership's log covering it ("" before); docs/verify-partner-log.md
    witnessed: str = ""

    @classmethod
    def of(cls, v: DisclosureView) -> DisclosureOut:
        d = v.disclosure
        return cls(
            id=d.id, partnership_id=d.partnership_id, state=v.state.value, discloser=d.discloser,
            item_id=d.item_id, item_version=d.item_version, item_sha256=d.item_sha256,
            item_title=v.item_title, item_kind=v.item_kind.value, classification=v.classification.value,
            media_type=v.media_type, agreement_id=d.agreement_id, agreement_version=d.agreement_version,
            agreement_digest=d.agreement_digest,
            recipients=[RecipientOut(id=p.id, name=p.name, email=p.email, org=p.org) for p in v.recipients],
            actions=sorted(d.actions), created_at=d.created_at, expires_at=d.expires_at, note=d.note,
            revoked_at=d.revocation.at if d.revocation else None, body=v.body,
            confidentiality=v.confidentiality,
            access_refused=[ReasonOut(**r.as_dict()) for r in v.refusal] if v.refusal else None,
            copies=v.copies, demanded_at=v.demanded_at, witnessed=v.witnessed)


class MessageOut(BaseModel):
    id: str
    partnership_id: str
    org: str
    author_id: str
    body: str
    classification: str
    agreement_id: str | None
    created_at: datetime
    withheld: bool = False  # the body is hidden: the agreement it was posted under has ended
    reply_to: str | None = None  # the message this one answers
    disclosure_id: str | None = None  # a linked disclosure (shown only to whoever may see it)
    mentions: list[str] = []  # the ids of the people mentioned
    unread: bool = False  # posted by someone else after your feed's read marker

    @classmethod
    def of(cls, m: Message, unread: bool = False) -> MessageOut:
        return cls(id=m.id, partnership_id=m.partnership_id, org=m.org, author_id=m.author_id,
                   body=m.body, classification=m.classification.value, agreement_id=m.agreement_id,
                   created_at=m.created_at, withheld=m.withheld, reply_to=m.reply_to,
                   disclosure_id=m.disclosure_id, mentions=list(m.mentions), unread=unread)


class FeedReadOut(BaseModel):
    partnership_id: str
    read_up_to: datetime
    unread: int


class EventOut(BaseModel):
    seq: int
    at: datetime
    kind: str
    actor: str | None
    subject: str
    data: dict[str, Any]
    prev_hash: str
    hash: str

    @classmethod
    def of(cls, e: Event) -> EventOut:
        return cls(seq=e.seq, at=e.at, kind=e.kind, actor=e.actor, subject=e.subject,
                   data=dict(e.data), prev_hash=e.prev_hash, hash=e.hash)


class WitnessKeyOut(BaseModel):
    org: str
    name: str
    vkey: str
    registered_at: datetime

    @classmethod
    def of(cls, key: WitnessKey) -> WitnessKeyOut:
        return cls(org=key.org, name=key.name, vkey=key.vkey, registered_at=key.registered_at)


class CosignatureOut(BaseModel):
    witness: str  # the org's handle
    size: int
    timestamp: int

    @classmethod
    def of(cls, cosignature: Cosignature) -> CosignatureOut:
        return cls(witness=cosignature.org, size=cosignature.size, timestamp=cosignature.timestamp)
