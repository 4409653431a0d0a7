"""Copies to return or destroy: the receiving org's list and its certification (after the
agreement ends or a discloser demands them back), and the discloser's view of what is owed."""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter, Request
from pydantic import BaseModel, Field

from sharebound.domain import limits as lim
from sharebound.domain.returns import MAX_STATEMENT, ReturnList
from sharebound.services import returns
from sharebound.services.returns import Evidence
from sharebound.web.deps import Me, Uow
from sharebound.web.paging import PagingOf
from sharebound.web.schemas import Strict

router = APIRouter(tags=["agreements"])


class CertifyRequest(Strict):
    statement: str = Field(max_length=MAX_STATEMENT, examples=[
        "Every copy was deleted from laptops and the shared drive; printouts were shredded."])
    password: str = Field(default="", max_length=lim.MAX_PASSWORD,
                          description="Your password again: a certification is signed like a signature")


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
    copy_list: list[str] = Field(description="The access ids of the copies certified")
    ip: str | None
    user_agent: str | None


class DemandOut(BaseModel):
    discloser: str
    notice_id: str
    demanded_by: str
    demanded_at: datetime
    due_at: datetime


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
    demands: list[DemandOut] = Field(description="Disclosers that demanded their information back")
    next: str | None = Field(default=None, description="On GET .../copies: the link to the next page of "
                                                        "`copies`, or null at the end")
    next_cursor: str | None = Field(default=None, description="The `after` of that next page")

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
            certification=CertificationOut(
                person_id=cert.person_id, statement=cert.statement, copies=cert.copies, at=cert.at,
                copy_list=list(cert.copy_list), ip=cert.ip, user_agent=cert.user_agent) if cert else None,
            demands=[DemandOut(discloser=d.discloser, notice_id=d.notice_id, demanded_by=d.demanded_by,
                               demanded_at=d.demanded_at, due_at=d.due_at) for d in found.demands])


@router.get("/agreements/{agreement_id}/copies", response_model=ReturnListOut)
def copies_to_return(agreement_id: str, me: Me, uow: Uow, paging: PagingOf) -> ReturnListOut:
    """The copies your org downloaded under the agreement, to return or destroy once it ends:
    `copies` is one page of them, oldest first (`limit`, `after`, then `next`)."""
    found = returns.copies_to_return(uow, me.id, agreement_id, paging.request)
    return ReturnListOut.of(found, uow.clock()).model_copy(update={
        "next_cursor": found.after, "next": paging.link(found.after) if found.after else None})


@router.post("/agreements/{agreement_id}/copies/certify", response_model=ReturnListOut)
def certify(agreement_id: str, body: CertifyRequest, request: Request, me: Me, uow: Uow) -> ReturnListOut:
    """Certify, once, with your password, that your org returned or destroyed every copy
    (admins and signers; 409 before the agreement ends or a demand, or when already certified)."""
    found = returns.certify_returned(uow, me.id, agreement_id, statement=body.statement,
                                     password=body.password, evidence=evidence_of(request))
    return ReturnListOut.of(found, uow.clock())


@router.get("/agreements/{agreement_id}/returns", response_model=list[ReturnListOut])
def returns_owed(agreement_id: str, me: Me, uow: Uow) -> list[ReturnListOut]:
    """The discloser's side: per other party, the copies it made of your org's disclosures,
    its due date and its certification in full (admins and signers)."""
    now = uow.clock()
    return [ReturnListOut.of(r, now) for r in returns.returns_owed(uow, me.id, agreement_id)]


def evidence_of(request: Request) -> Evidence:
    """The address and browser a certification is made from, kept as for a signature."""
    return Evidence(ip=request.client.host if request.client else None,
                    user_agent=request.headers.get("user-agent"))
