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

from sharebound.domain import limits as lim
from sharebound.domain.agreements import MAX_REASON
from sharebound.domain.classification import Classification
from sharebound.domain.messages import MAX_BODY
from sharebound.domain.orgs import Role
from sharebound.domain.partnerships import Purpose
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


class TokenRequest(Strict):
    email: str = Field(max_length=lim.MAX_EMAIL, examples=["alice@acme.example"])
    password: str = Field(max_length=lim.MAX_PASSWORD, examples=["sharebound-demo"])
    name: str = Field(default="api", max_length=lim.MAX_TOKEN_NAME,
                      description="A label to recognize the token by.")
    expires_in_days: int | None = Field(default=None, ge=1, le=lim.MAX_TOKEN_DAYS,
                                        description="Omit for SHAREBOUND_TOKEN_DAYS (default 90).")


class NewAdmin(Strict):
    name: str = Field(max_length=lim.MAX_NAME, examples=["Alice Archer"])
    email: str = Field(max_length=lim.MAX_EMAIL, examples=["alice@acme.example"])
    password: str = Field(max_length=lim.MAX_PASSWORD, examples=["a long passphrase"])


class SignupRequest(Strict):
    name: str = Field(max_length=lim.MAX_NAME, examples=["Acme Sensors"])
    handle: str = Field(max_length=lim.MAX_HANDLE, examples=["acme"])
    legal_name: str | None = Field(default=None, max_length=lim.MAX_NAME,
                                   examples=["Acme Sensors, Inc."],
                                   description="As an agreement's cover page names the party.")
    address: str | None = Field(default=None, max_length=lim.MAX_ADDRESS,
                                examples=["1 Main Street, Wilmington, DE 19801, USA"])
    admin: NewAdmin


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


TERMS_EXAMPLE: dict[str, Any] = {
    "kind": "mutual", "parties": ["acme", "globex"], "disclosing_parties": [],
    "purpose": "Evaluate a joint sensor product", "effective_date": "2026-12-01",
    "term_end": "2027-12-01", "confidentiality_years": 3, "governing_law": "Delaware",
    "courts": "New Castle County, Delaware",
    "notice": {"acme": "legal@acme.example", "globex": "legal@globex.example"},
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
    notice: dict[str, str]
    schedule: ScheduleTerms

    def as_terms_json(self) -> dict[str, Any]:
        data = self.model_dump()
        recipients = {k: v for k, v in data["schedule"]["recipients"].items() if v is not None}
        data["schedule"]["recipients"] = recipients
        return data


class AgreementRequest(Strict):
    terms: Terms


class SignRequest(Strict):
    digest: str = Field(min_length=lim.DIGEST_LENGTH, max_length=lim.DIGEST_LENGTH, pattern="^[0-9a-f]{64}$",
                        description="The digest of the version you read and sign.")
    title: str = Field(max_length=lim.MAX_NAME, examples=["General Counsel"])


class ReasonRequest(Strict):
    reason: str = Field(max_length=MAX_REASON, examples=["The project has ended"])


class OptionalReasonRequest(Strict):
    reason: str = Field(default="", max_length=lim.MAX_NOTE)


class NoteRequest(Strict):
    title: str = Field(max_length=lim.MAX_TITLE, examples=["Thermal test results"])
    body: str = Field(max_length=lim.MAX_NOTE_BYTES, examples=["Drift under 0.2 K after 500 h at 85 °C."])
    classification: Classification
    topics: list[str] = Field(default_factory=list, max_length=lim.MAX_TOPICS, examples=[["thermal"]])


class ItemPatch(Strict):
    title: str | None = Field(default=None, max_length=lim.MAX_TITLE)
    topics: list[str] | None = Field(default=None, max_length=lim.MAX_TOPICS)
    classification: Classification | None = None
    body: str | None = Field(default=None, max_length=lim.MAX_NOTE_BYTES, description="A note's new version.")


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
