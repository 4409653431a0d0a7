"""Request bodies: strict (unknown fields are refused), documented with examples.

Pydantic checks shapes and types; the domain and the services check meaning, naming the
same fields, so a client gets one kind of 422 for both.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

ClassificationName = Literal["public", "internal", "confidential", "restricted"]
RoleName = Literal["admin", "signer", "member"]
ActionName = Literal["view", "download"]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class TokenRequest(Strict):
    email: str = Field(max_length=254, examples=["alice@acme.example"])
    password: str = Field(max_length=1000, examples=["sharebound-demo"])
    name: str = Field(default="api", max_length=100, description="A label to recognize the token by.")
    expires_in_days: int | None = Field(default=None, ge=1, le=366,
                                        description="Omit for SHAREBOUND_TOKEN_DAYS (default 90).")


class NewAdmin(Strict):
    name: str = Field(max_length=200, examples=["Alice Archer"])
    email: str = Field(max_length=254, examples=["alice@acme.example"])
    password: str = Field(max_length=1000, examples=["a long passphrase"])


class SignupRequest(Strict):
    name: str = Field(max_length=200, examples=["Acme Sensors"])
    handle: str = Field(max_length=40, examples=["acme"])
    admin: NewAdmin


class PersonRequest(Strict):
    name: str = Field(max_length=200, examples=["Sam Stone"])
    email: str = Field(max_length=254, examples=["sam@acme.example"])
    roles: list[RoleName] = Field(min_length=1, examples=[["signer", "member"]])
    password: str | None = Field(default=None, max_length=1000,
                                 description="Omit to get an invitation link that sets it.")


class RolesRequest(Strict):
    roles: list[RoleName] = Field(min_length=1, examples=[["member"]])


class PasswordChangeRequest(Strict):
    current_password: str = Field(max_length=1000)
    new_password: str = Field(max_length=1000)
    keep_tokens: bool = Field(default=False, description="Keep your API tokens working; by default "
                              "a password change revokes them all (this request's too).")


class InvitationAcceptRequest(Strict):
    token: str = Field(max_length=200)
    password: str = Field(max_length=1000)


class PartnershipRequest(Strict):
    name: str = Field(max_length=200, examples=["Joint thermal sensor"])
    purpose: Literal["market_access", "new_product", "cost_efficiency", "other"]
    invite: list[str] = Field(min_length=1, max_length=20, examples=[["globex"]])


class RecipientsTerms(Strict):
    mode: Literal["all_members", "roles", "named"] = "all_members"
    roles: list[RoleName] | None = None
    people: list[str] | None = None


class ScheduleTerms(Strict):
    ceiling: Literal["internal", "confidential"]
    topics_allowed: list[str] = Field(default_factory=list, max_length=100)
    topics_excluded: list[str] = Field(default_factory=list, max_length=100)
    recipients: RecipientsTerms = Field(default_factory=RecipientsTerms)
    actions: list[ActionName] = Field(default=["view", "download"])
    watermark_downloads: bool = True
    max_access_days: int = Field(default=90, ge=1, le=3650)
    return_days: int = Field(default=30, ge=0, le=365)
    unreadable_files: Literal["refuse", "allow"] = "refuse"


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

    kind: Literal["mutual", "one_way"] = "mutual"
    parties: list[str] = Field(min_length=2, max_length=20)
    disclosing_parties: list[str] = Field(default_factory=list, max_length=20)
    purpose: str = Field(max_length=2000)
    effective_date: str = Field(max_length=10, examples=["2026-12-01"])
    term_end: str | None = Field(default=None, max_length=10, description="null: until terminated")
    confidentiality_years: int | None = Field(default=None, description="null: perpetual")
    governing_law: str = Field(max_length=2000)
    courts: str = Field(max_length=2000)
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
    digest: str = Field(min_length=64, max_length=64, pattern="^[0-9a-f]{64}$",
                        description="The digest of the version you read and sign.")
    title: str = Field(max_length=200, examples=["General Counsel"])


class ReasonRequest(Strict):
    reason: str = Field(max_length=2000, examples=["The project has ended"])


class OptionalReasonRequest(Strict):
    reason: str = Field(default="", max_length=2000)


class NoteRequest(Strict):
    title: str = Field(max_length=300, examples=["Thermal test results"])
    body: str = Field(max_length=1_000_000, examples=["Drift under 0.2 K after 500 h at 85 °C."])
    classification: ClassificationName
    topics: list[str] = Field(default_factory=list, max_length=20, examples=[["thermal"]])


class ItemPatch(Strict):
    title: str | None = Field(default=None, max_length=300)
    topics: list[str] | None = Field(default=None, max_length=20)
    classification: ClassificationName | None = None
    body: str | None = Field(default=None, max_length=1_000_000, description="A note's new version.")


class DisclosureRequest(Strict):
    item_id: str = Field(max_length=40)
    agreement_id: str = Field(max_length=40)
    recipients: list[str] = Field(max_length=100, examples=[["gina@globex.example"]])
    actions: list[str] = Field(max_length=2, examples=[["view"]])
    expires_at: datetime | None = Field(
        default=None, description="With a time zone. Omit for the longest window the terms allow.")
    note: str = Field(default="", max_length=2000)
    request_id: str | None = Field(default=None, max_length=40,
                                   description="An information request this disclosure answers.")


class MessageRequest(Strict):
    body: str = Field(max_length=20_000, examples=["Thanks @gina, the drift figures look good."],
                      description="`@` + an email (or its part before @) mentions a person.")
    classification: ClassificationName = "public"
    reply_to: str | None = Field(default=None, max_length=40, description="A message of this feed.")
    disclosure_id: str | None = Field(default=None, max_length=40,
                                      description="A disclosure of this partnership you can see.")
