"""Request bodies: strict (unknown fields are refused), documented with examples.

Pydantic checks shapes and types; the domain and the services check meaning, naming the
same fields, so a client gets one kind of 422 for both. Every vocabulary is a domain enum
and every limit a domain constant (`domain/limits.py`): tests/unit/test_input_rules.py
fails on a name or a number written here instead.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from sharebound.domain import cover
from sharebound.domain import limits as lim
from sharebound.domain.agreements import MAX_REASON
from sharebound.domain.classification import Classification
from sharebound.domain.messages import MAX_BODY
from sharebound.domain.orgs import Role
from sharebound.domain.partnerships import Purpose
from sharebound.domain.second_factors import FactorProof, Policy
from sharebound.domain.terms import (
    MAX_ACCESS_DAYS,
    MAX_TEXT,
    Action,
    Kind,
    RecipientMode,
    UnreadableFiles,
)

# why a Literal: a subset of an enum; the test holds it equal to `classification.CEILINGS`
CeilingName = Literal["internal", "confidential"]


class Strict(BaseModel):
    # why use_enum_values: the use cases take the plain strings the API always gave them
    model_config = ConfigDict(extra="forbid", use_enum_values=True)


class ScimTokenRequest(Strict):
    name: str = Field(max_length=lim.MAX_TOKEN_NAME, examples=["Okta"], description="What the token is for.")


class SecondFactorIn(Strict):
    """A fresh second factor: `code` (from the authenticator app, or a recovery code) or
    `webauthn` (the JSON of navigator.credentials.get() for POST /me/passkeys/assertion-options)."""

    code: str | None = Field(default=None, max_length=lim.MAX_FACTOR_CODE, examples=["123456"])
    webauthn: dict[str, Any] | None = None

    def proof(self) -> FactorProof:
        return FactorProof(code=self.code, webauthn=self.webauthn)


class SecondFactorRequest(Strict):
    second_factor: SecondFactorIn


class TotpConfirmRequest(Strict):
    code: str = Field(max_length=lim.MAX_FACTOR_CODE, examples=["123456"])


class PasskeyRequest(Strict):
    credential: dict[str, Any] = Field(description="The JSON of navigator.credentials.create().")
    name: str = Field(default="Passkey", max_length=lim.MAX_TOKEN_NAME, examples=["Work laptop"])


class PolicyRequest(Strict):
    applies_to: Policy


class ApproveRequest(Strict):
    second_factor: SecondFactorIn | None = Field(
        default=None, description="Required of a signer who has a second factor.")


class TokenRequest(Strict):
    email: str = Field(max_length=lim.MAX_EMAIL, examples=["alice@acme.example"])
    password: str = Field(max_length=lim.MAX_PASSWORD, examples=["sharebound-demo"])
    totp_code: str | None = Field(default=None, max_length=lim.MAX_FACTOR_CODE,
                                  description="Required of a person with a second factor: the code "
                                              "from the authenticator app, or a recovery code.")
    name: str = Field(default="api", max_length=lim.MAX_TOKEN_NAME,
                      description="A label to recognize the token by.")
    expires_in_days: int | None = Field(default=None, ge=1, le=lim.MAX_TOKEN_DAYS,
                                        description="Omit for SHAREBOUND_TOKEN_DAYS (default 90).")


class NewAdmin(Strict):
    name: str = Field(max_length=lim.MAX_NAME, examples=["Alice Archer"])
    email: str = Field(max_length=lim.MAX_EMAIL, examples=["alice@acme.example"])
    password: str = Field(max_length=lim.MAX_PASSWORD, examples=["a long passphrase"])


class OrgProfileRequest(Strict):
    """The org's legal profile; a field left out stays as it is, null or "" clears it."""

    legal_name: str | None = Field(default=None, max_length=cover.MAX_LEGAL_NAME,
                                   examples=["Acme Sensors, Inc."])
    address: str | None = Field(default=None, max_length=cover.MAX_ADDRESS,
                                examples=["1 Acme Way\nWilmington, DE 19801\nUnited States"])
    notice_name: str | None = Field(default=None, max_length=lim.MAX_NAME, examples=["Ada Counsel"])
    notice_email: str | None = Field(default=None, max_length=lim.MAX_EMAIL,
                                     examples=["legal@acme.example"])

    def changes(self) -> dict[str, Any]:
        return self.model_dump(exclude_unset=True)


class SignupRequest(Strict):
    name: str = Field(max_length=lim.MAX_NAME, examples=["Acme Sensors"])
    handle: str = Field(max_length=lim.MAX_HANDLE, examples=["acme"])
    legal_name: str | None = Field(default=None, max_length=lim.MAX_NAME,
                                   examples=["Acme Sensors, Inc."],
                                   description="As an agreement's cover page names the party.")
    address: str | None = Field(default=None, max_length=lim.MAX_ADDRESS,
                                examples=["1 Main Street, Wilmington, DE 19801, USA"])
    admin: NewAdmin
    profile: OrgProfileRequest | None = None


class PersonRequest(Strict):
    name: str = Field(max_length=lim.MAX_NAME, examples=["Sam Stone"])
    email: str = Field(max_length=lim.MAX_EMAIL, examples=["sam@acme.example"])
    roles: list[Role] = Field(min_length=1, examples=[["signer", "member"]])
    password: str | None = Field(default=None, max_length=lim.MAX_PASSWORD,
                                 description="Omit to get an invitation link that sets it.")


class RolesRequest(Strict):
    roles: list[Role] = Field(min_length=1, examples=[["member"]])


class PasswordChangeRequest(Strict):
    current_password: str = Field(max_length=lim.MAX_PASSWORD)
    new_password: str = Field(max_length=lim.MAX_PASSWORD)
    keep_tokens: bool = Field(default=False, description="Keep your API tokens working; by default "
                              "a password change revokes them all (this request's too).")


class InvitationAcceptRequest(Strict):
    token: str = Field(max_length=lim.MAX_NAME)
    password: str = Field(max_length=lim.MAX_PASSWORD)


class PartnershipRequest(Strict):
    name: str = Field(max_length=lim.MAX_NAME, examples=["Joint thermal sensor"])
    purpose: Purpose
    invite: list[str] = Field(default_factory=list, max_length=lim.MAX_INVITES, examples=[["globex"]],
                              description="Handles of organizations on this instance.")
    invite_emails: list[str] = Field(
        default_factory=list, max_length=lim.MAX_INVITES, examples=[["pat@initech.example"]],
        description="Email addresses of people not (known to be) on this instance: each gets a "
        "link to create their organization and take the proposal. With `invite`, 1 to 20 in all.")


class RecipientsTerms(Strict):
    mode: RecipientMode = RecipientMode.ALL_MEMBERS
    roles: list[Role] | None = None
    people: list[str] | None = None


class ScheduleTerms(Strict):
    ceiling: CeilingName
    topics_allowed: list[str] = Field(default_factory=list, max_length=lim.MAX_SCHEDULE_TOPICS)
    topics_excluded: list[str] = Field(default_factory=list, max_length=lim.MAX_SCHEDULE_TOPICS)
    recipients: RecipientsTerms = Field(default_factory=RecipientsTerms)
    actions: list[Action] = Field(default_factory=lambda: list(Action))
    watermark_downloads: bool = True
    max_access_days: int = Field(default=90, ge=1, le=MAX_ACCESS_DAYS)
    return_days: int = Field(default=30, ge=0, le=lim.MAX_RETURN_DAYS)
    unreadable_files: UnreadableFiles = UnreadableFiles.REFUSE


class NoticeContactTerms(Strict):
    name: str | None = Field(default=None, max_length=cover.MAX_LEGAL_NAME)
    email: str | None = Field(default=None, max_length=lim.MAX_EMAIL)
    address: str | None = Field(default=None, max_length=cover.MAX_ADDRESS)


class PartyDetailsTerms(Strict):
    """A party on the cover page; what is left out comes from the org's legal profile."""

    legal_name: str | None = Field(default=None, max_length=cover.MAX_LEGAL_NAME)
    address: str | None = Field(default=None, max_length=cover.MAX_ADDRESS)
    notice: NoticeContactTerms | None = None


class GoverningDocumentTerms(Strict):
    """`standard` takes id and version; `reference` name, version and url; `uploaded`
    document_id, sha256, filename and media_type (the domain names what is missing)."""

    kind: cover.GoverningKind
    id: str | None = Field(default=None, max_length=cover.MAX_STANDARD_ID, examples=["sharebound-mutual"])
    version: str | None = Field(default=None, max_length=cover.MAX_REFERENCE, examples=["1.0"])
    name: str | None = Field(default=None, max_length=cover.MAX_REFERENCE)
    url: str | None = Field(default=None, max_length=cover.MAX_REFERENCE_URL)
    document_id: str | None = Field(default=None, max_length=lim.MAX_ID)
    sha256: str | None = Field(default=None, max_length=lim.DIGEST_LENGTH)
    filename: str | None = Field(default=None, max_length=cover.MAX_FILENAME)
    media_type: str | None = Field(default=None, max_length=cover.MAX_MEDIA_TYPE)


TERMS_EXAMPLE: dict[str, Any] = {
    "kind": "mutual", "parties": ["acme", "globex"], "disclosing_parties": [],
    "purpose": "Evaluate a joint sensor product", "effective_date": "2026-12-01",
    "term_end": "2027-12-01", "confidentiality_years": 3, "governing_law": "Delaware",
    "courts": "New Castle County, Delaware",
    "governing_document": {"kind": "standard", "id": "sharebound-mutual", "version": "1.0"},
    "party_details": {
        "acme": {"legal_name": "Acme Corporation", "address": "1 Acme Way\nWilmington, DE 19801",
                 "notice": {"name": "Ada Counsel", "email": "legal@acme.example",
                            "address": "1 Acme Way\nWilmington, DE 19801"}},
        "globex": {"legal_name": "Globex Inc.", "address": "2 Globex Road\nSpringfield, OR 97477",
                   "notice": {"name": "Gus Counsel", "email": "legal@globex.example",
                              "address": "2 Globex Road\nSpringfield, OR 97477"}}},
    "modifications": "",
    "schedule": {"ceiling": "confidential", "topics_allowed": [], "topics_excluded": ["pricing"],
                 "recipients": {"mode": "all_members"}, "actions": ["view", "download"],
                 "watermark_downloads": True, "max_access_days": 90, "return_days": 30},
}


class Terms(Strict):
    """The NDA's terms; see docs/architecture.md. Dates are YYYY-MM-DD (UTC days)."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [TERMS_EXAMPLE]})

    kind: Kind = Kind.MUTUAL
    parties: list[str] = Field(min_length=2, max_length=lim.MAX_PARTIES)
    disclosing_parties: list[str] = Field(default_factory=list, max_length=lim.MAX_PARTIES)
    purpose: str = Field(max_length=MAX_TEXT)
    effective_date: str = Field(max_length=lim.DATE_LENGTH, examples=["2026-12-01"])
    term_end: str | None = Field(default=None, max_length=lim.DATE_LENGTH,
                                     description="null: until terminated")
    confidentiality_years: int | None = Field(default=None, description="null: perpetual")
    governing_law: str = Field(max_length=MAX_TEXT)
    courts: str = Field(max_length=MAX_TEXT)
    notice: dict[str, str] | None = Field(
        default=None, description="the first format's notice emails: fills party_details' emails")
    governing_document: GoverningDocumentTerms | None = Field(
        default=None, description="left out: our latest standard terms for the kind")
    party_details: dict[str, PartyDetailsTerms] | None = Field(
        default=None, description="left out, for a party or a field: from the org's legal profile")
    modifications: str = Field(default="", max_length=lim.MAX_MODIFICATIONS)
    schedule: ScheduleTerms

    def as_terms_json(self) -> dict[str, Any]:
        data = self.model_dump()
        for key in ("notice", "governing_document", "party_details"):
            if data[key] is None:
                del data[key]
        if "governing_document" in data:
            data["governing_document"] = {k: v for k, v in data["governing_document"].items()
                                          if v is not None}
        recipients = {k: v for k, v in data["schedule"]["recipients"].items() if v is not None}
        data["schedule"]["recipients"] = recipients
        return data


class AgreementRequest(Strict):
    terms: Terms


class SignRequest(Strict):
    digest: str = Field(min_length=lim.DIGEST_LENGTH, max_length=lim.DIGEST_LENGTH, pattern="^[0-9a-f]{64}$",
                        description="The digest of the version you read and sign.")
    title: str = Field(max_length=lim.MAX_NAME, examples=["General Counsel"])
    second_factor: SecondFactorIn | None = Field(
        default=None, description="Required of a signer who has a second factor.")
    password: str | None = Field(default=None, max_length=lim.MAX_PASSWORD,
                                 description="Your password: you confirm it is you for each "
                                             "signature (without it: 403).")


class ConsentRequest(Strict):
    statement_sha256: str = Field(max_length=lim.DIGEST_LENGTH, description=(
        "The SHA-256 of the consent statement you read (GET /me/e-sign-consent)."))


class ReasonRequest(Strict):
    reason: str = Field(max_length=MAX_REASON, examples=["The project has ended"])


class OptionalReasonRequest(Strict):
    reason: str = Field(default="", max_length=lim.MAX_NOTE)


class NoteRequest(Strict):
    title: str = Field(max_length=lim.MAX_TITLE, examples=["Thermal test results"])
    body: str = Field(max_length=lim.MAX_NOTE_BYTES, examples=["Drift under 0.2 K after 500 h at 85 °C."])
    classification: Classification
    topics: list[str] = Field(default_factory=list, max_length=lim.MAX_TOPICS, examples=[["thermal"]])
    trade_secret: bool = Field(default=False, description="protected as long as it remains a trade secret")


class ItemPatch(Strict):
    title: str | None = Field(default=None, max_length=lim.MAX_TITLE)
    topics: list[str] | None = Field(default=None, max_length=lim.MAX_TOPICS)
    classification: Classification | None = None
    body: str | None = Field(default=None, max_length=lim.MAX_NOTE_BYTES, description="A note's new version.")
    trade_secret: bool | None = None
    folder_id: str | None = Field(default=None, max_length=lim.MAX_ID,
                                  description="Move it into this folder; null: the library's root.")


class DisclosureRequest(Strict):
    item_id: str = Field(max_length=lim.MAX_ID)
    agreement_id: str = Field(max_length=lim.MAX_ID)
    recipients: list[str] = Field(max_length=lim.MAX_RECIPIENTS, examples=[["gina@globex.example"]])
    actions: list[str] = Field(max_length=len(Action), examples=[["view"]])
    expires_at: datetime | None = Field(
        default=None, description="With a time zone. Omit for the longest window the terms allow.")
    note: str = Field(default="", max_length=lim.MAX_NOTE)
    request_id: str | None = Field(default=None, max_length=lim.MAX_ID,
                                   description="An information request this disclosure answers.")


class MessageRequest(Strict):
    body: str = Field(max_length=MAX_BODY, examples=["Thanks @gina, the drift figures look good."],
                      description="`@` + an email (or its part before @) mentions a person.")
    classification: Classification = Classification.PUBLIC
    reply_to: str | None = Field(default=None, max_length=lim.MAX_ID, description="A message of this feed.")
    disclosure_id: str | None = Field(default=None, max_length=lim.MAX_ID,
                                      description="A disclosure of this partnership you can see.")


class WitnessKeyRequest(Strict):
    """The org's witness key, as `sharebound-verify keygen` prints it."""

    vkey: str = Field(max_length=lim.MAX_VKEY,
                      examples=["globex.example/witness+5c3d1e2f+BH0G6y0QWjV4Q0uGmQq3tO8w2k1n8ZfXy8oKc2iVbQ0a"])
