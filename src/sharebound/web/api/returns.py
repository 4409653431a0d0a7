"""Copies to return or destroy after an agreement ends: the receiving org's list and its
certification."""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter
from pydantic import BaseModel, Field

from sharebound.domain.returns import MAX_STATEMENT, ReturnList
from sharebound.services import returns
from sharebound.web.deps import Me, Uow
from sharebound.web.schemas import Strict

router = APIRouter(tags=["agreements"])


class CertifyRequest(Strict):
    statement: str = Field(max_length=MAX_STATEMENT, examples=[
        "Every copy was deleted from laptops and the shared drive; printouts were shredded."])


class DownloadedCopyOut(BaseModel):
    access_id: str
    disclosure_id: str
    item_title: str
    item_version: int
    person_id: str
    person_name: str
    at: datetime
    copy_id: str | None = Field(description="None for an unstamped copy (terms without watermarks)")
    sha256: str | None


class CertificationOut(BaseModel):
    person_id: str
    statement: str
    copies: int
    at: datetime


class ReturnListOut(BaseModel):
    agreement_id: str
    org: str
    ended_at: datetime | None = Field(description="None while the agreement has not ended")
    due_at: datetime | None = Field(description="The end plus the terms' return_days")
    overdue: bool
    complete: bool = Field(description="False when the caller sees only their own downloads "
                                        "(only admins and signers see the whole org's list)")
    copies: list[DownloadedCopyOut]
    certification: CertificationOut | None

    @classmethod
    def of(cls, found: ReturnList, now: datetime) -> ReturnListOut:
        cert = found.certification
        return cls(
            agreement_id=found.agreement_id, org=found.org, ended_at=found.ended_at, due_at=found.due_at,
            overdue=found.is_overdue(now), complete=found.complete,
            copies=[DownloadedCopyOut(
                access_id=c.access_id, disclosure_id=c.disclosure_id, item_title=c.item_title,
                item_version=c.item_version, person_id=c.person_id, person_name=c.person_name,
                at=c.at, copy_id=c.copy_id, sha256=c.sha256) for c in found.copies],
            certification=CertificationOut(person_id=cert.person_id, statement=cert.statement,
                                           copies=cert.copies, at=cert.at) if cert else None)


@router.get("/agreements/{agreement_id}/copies", response_model=ReturnListOut)
def copies_to_return(agreement_id: str, me: Me, uow: Uow) -> ReturnListOut:
    """The copies your org downloaded under the agreement, to return or destroy once it ends."""
    return ReturnListOut.of(returns.copies_to_return(uow, me.id, agreement_id), uow.clock())


@router.post("/agreements/{agreement_id}/copies/certify", response_model=ReturnListOut)
def certify(agreement_id: str, body: CertifyRequest, me: Me, uow: Uow) -> ReturnListOut:
    """Certify, once, that your org returned or destroyed every copy (admins and signers; 409
    before the agreement ends or when already certified)."""
    found = returns.certify_returned(uow, me.id, agreement_id, statement=body.statement)
    return ReturnListOut.of(found, uow.clock())
