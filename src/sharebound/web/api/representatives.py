"""Representatives under an agreement (name, approve, decline, withdraw) and re-shares of a
received disclosure to them (docs/obligations.md#representatives)."""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter
from pydantic import BaseModel, Field

from sharebound.domain import limits as lim
from sharebound.domain.representatives import Representative
from sharebound.domain.terms import Action
from sharebound.services import representatives, reshares
from sharebound.services.reshares import ReshareView
from sharebound.web.deps import Me, Uow
from sharebound.web.paging import Page, PagingOf
from sharebound.web.schemas import Strict

router = APIRouter(tags=["representatives"])


class RepresentativeRequest(Strict):
    organization: str = Field(max_length=lim.MAX_NAME, examples=["Precision Parts Ltd"],
                              description="The representative's own organization")
    name: str = Field(max_length=lim.MAX_NAME, examples=["Jo Smith"])
    email: str = Field(max_length=lim.MAX_EMAIL, examples=["jo@precision.example"],
                       description="Not the address of a person of a party: they are recipients")
    reason: str = Field(max_length=lim.MAX_NOTE, examples=["Machines the housing from the drawing"],
                        description="Why they need to know")


class DeclineRequest(Strict):
    reason: str = Field(max_length=lim.MAX_NOTE, examples=["Not covered by our NDA"])


class ReshareRequest(Strict):
    representative_id: str = Field(max_length=lim.MAX_ID)
    actions: list[str] = Field(max_length=len(Action), examples=[["view"]],
                               description="Within the original disclosure's actions")
    expires_at: datetime | None = Field(default=None, description="No later than the original's "
                                        "end; omitted: the original's end")
    note: str = Field(default="", max_length=lim.MAX_NOTE)


class RepresentativeOut(BaseModel):
    id: str
    agreement_id: str
    org: str
    organization: str
    name: str
    email: str
    reason: str
    state: str
    named_by: str
    named_at: datetime
    decided_org: str | None
    decided_by: str | None
    decided_at: datetime | None
    decision_reason: str
    withdrawn_at: datetime | None

    @classmethod
    def of(cls, r: Representative) -> RepresentativeOut:
        return cls(id=r.id, agreement_id=r.agreement_id, org=r.org, organization=r.organization,
                   name=r.name, email=r.email, reason=r.reason, state=r.state.value,
                   named_by=r.named_by, named_at=r.named_at, decided_org=r.decided_org,
                   decided_by=r.decided_by, decided_at=r.decided_at,
                   decision_reason=r.decision_reason, withdrawn_at=r.withdrawn_at)


class ReshareOut(BaseModel):
    id: str
    disclosure_id: str
    chain: list[str] = Field(description="discloser → receiving org → representative")
    representative: RepresentativeOut
    actions: list[str]
    created_at: datetime
    expires_at: datetime
    shared_by: str
    note: str

    @classmethod
    def of(cls, v: ReshareView) -> ReshareOut:
        s = v.reshare
        return cls(id=s.id, disclosure_id=s.disclosure_id,
                   chain=[v.discloser, s.org, v.representative.label],
                   representative=RepresentativeOut.of(v.representative), actions=sorted(s.actions),
                   created_at=s.created_at, expires_at=s.expires_at, shared_by=s.shared_by,
                   note=s.note)


@router.post("/agreements/{agreement_id}/representatives", response_model=RepresentativeOut,
             status_code=201)
def name(agreement_id: str, body: RepresentativeRequest, me: Me, uow: Uow) -> RepresentativeOut:
    """Name a representative (a receiving party's admin or signer, under an agreement in force);
    a disclosing party approves or declines."""
    return RepresentativeOut.of(representatives.name_representative(uow, me.id, agreement_id,
                                                                     body.model_dump()))


@router.get("/agreements/{agreement_id}/representatives", response_model=Page[RepresentativeOut])
def list_representatives(agreement_id: str, me: Me, uow: Uow,
                         paging: PagingOf) -> Page[RepresentativeOut]:
    """Every representative named under the agreement, newest first (its parties only). Paged in SQL."""
    return paging.out(representatives.list_representatives(uow, me.id, agreement_id, paging.request),
                      RepresentativeOut.of)


@router.post("/agreements/{agreement_id}/representatives/{representative_id}/approve",
             response_model=RepresentativeOut)
def approve(agreement_id: str, representative_id: str, me: Me, uow: Uow) -> RepresentativeOut:
    """Approve another party's representative (a disclosing party's admin or signer): they are
    invited by email to a guest account."""
    return RepresentativeOut.of(representatives.approve_representative(
        uow, me.id, representative_id, agreement_id=agreement_id))


@router.post("/agreements/{agreement_id}/representatives/{representative_id}/decline",
             response_model=RepresentativeOut)
def decline(agreement_id: str, representative_id: str, body: DeclineRequest, me: Me,
            uow: Uow) -> RepresentativeOut:
    """Decline another party's representative, with a reason."""
    return RepresentativeOut.of(representatives.decline_representative(
        uow, me.id, representative_id, body.reason, agreement_id=agreement_id))


@router.post("/agreements/{agreement_id}/representatives/{representative_id}/withdraw",
             response_model=RepresentativeOut)
def withdraw(agreement_id: str, representative_id: str, me: Me, uow: Uow) -> RepresentativeOut:
    """Withdraw your org's representative: their access to every re-share ends at once."""
    return RepresentativeOut.of(representatives.withdraw_representative(
        uow, me.id, representative_id, agreement_id=agreement_id))


@router.get("/disclosures/{disclosure_id}/reshares", response_model=Page[ReshareOut])
def list_reshares(disclosure_id: str, me: Me, uow: Uow, paging: PagingOf) -> Page[ReshareOut]:
    """Every re-share of a disclosure, newest first: for its discloser and the receiving org.
    Paged in SQL."""
    return paging.out(reshares.list_reshares(uow, me.id, disclosure_id, paging.request), ReshareOut.of)


@router.post("/disclosures/{disclosure_id}/reshares", response_model=ReshareOut, status_code=201)
def reshare(disclosure_id: str, body: ReshareRequest, me: Me, uow: Uow) -> ReshareOut:
    """Re-share a received disclosure to your org's approved representative, never wider than
    the original; refused with 403 and every reason otherwise."""
    fields = body.model_dump()
    fields["expires_at"] = body.expires_at.isoformat() if body.expires_at else None
    made = reshares.reshare_disclosure(uow, me.id, disclosure_id, fields)
    return ReshareOut.of(next(v for v in reshares.list_reshares(uow, me.id, disclosure_id).rows  # the newest
                              if v.reshare.id == made.id))
