"""Notices under an agreement: give one, read them, acknowledge, respond, close."""

from __future__ import annotations

from datetime import date, datetime

from fastapi import APIRouter
from pydantic import BaseModel, Field

from sharebound.domain import limits as lim
from sharebound.domain.notices import MAX_NOTICE_BODY, MAX_RESPONSE, Notice, NoticeKind
from sharebound.services import notices
from sharebound.web.deps import Me, Uow
from sharebound.web.paging import Page, PagingOf
from sharebound.web.schemas import Strict

router = APIRouter(tags=["notices"])


class NoticeRequest(Strict):
    kind: NoticeKind = Field(description="compelled_disclosure, unauthorized_use or demand_return "
                                         "(a notice of termination is made by terminating)")
    body: str = Field(default="", max_length=MAX_NOTICE_BODY,
                      description="What happened: for a compelled disclosure, what must be disclosed",
                      examples=["A subpoena asks for the thermal test results"])
    to: str | None = Field(default=None, max_length=lim.MAX_HANDLE,
                           description="The party it is given to; omit for every other party "
                                       "(a demand names one when there are several)")
    deadline: date | None = Field(default=None, description="Compelled disclosure: by when (required); "
                                  "demand: the due date (default: the schedule's return_days)")
    to_whom: str | None = Field(default=None, max_length=lim.MAX_NAME * 2,
                                description="Compelled disclosure: who ordered the disclosure")
    order: str | None = Field(default=None, max_length=lim.MAX_NAME * 2,
                              description="Compelled disclosure: the order (court, case number)")
    copy_id: str | None = Field(default=None, max_length=lim.MAX_NAME,
                                description="Unauthorized use: a traced copy id (XXXX-XXXX-XXXX)")


class RespondRequest(Strict):
    body: str = Field(max_length=MAX_RESPONSE, examples=["We will seek a protective order."])


class NoticeOut(BaseModel):
    id: str
    agreement_id: str
    partnership_id: str
    kind: str
    title: str
    from_org: str
    sent_by: str
    to: list[str]
    body: str
    details: dict[str, str]
    deadline: datetime | None
    state: str
    created_at: datetime
    acknowledged_at: datetime | None
    acknowledged_by: str | None
    closed_at: datetime | None
    closed_by: str | None

    @classmethod
    def of(cls, n: Notice) -> NoticeOut:
        return cls(id=n.id, agreement_id=n.agreement_id, partnership_id=n.partnership_id, kind=n.kind.value,
                   title=n.title, from_org=n.from_org, sent_by=n.sent_by, to=list(n.to_orgs), body=n.body,
                   details=dict(n.details), deadline=n.deadline, state=n.state.value,
                   created_at=n.created_at, acknowledged_at=n.acknowledged_at,
                   acknowledged_by=n.acknowledged_by, closed_at=n.closed_at, closed_by=n.closed_by)


class ResponseOut(BaseModel):
    id: str
    org: str
    person_id: str
    person_name: str
    body: str
    at: datetime


class HistoryOut(BaseModel):
    kind: str
    actor: str | None
    at: datetime


class NoticeThreadOut(NoticeOut):
    responses: list[ResponseOut]
    history: list[HistoryOut]


@router.post("/agreements/{agreement_id}/notices", response_model=NoticeOut, status_code=201)
def send(agreement_id: str, body: NoticeRequest, me: Me, uow: Uow) -> NoticeOut:
    """Give a notice to the other parties (admins and signers): in the app, and by email to their
    notice contacts. A demand for return ends their access to your disclosures at once."""
    fields = body.model_dump()
    fields["deadline"] = body.deadline.isoformat() if body.deadline else None
    return NoticeOut.of(notices.send_notice(uow, me.id, agreement_id, fields))


@router.get("/agreements/{agreement_id}/notices", response_model=Page[NoticeOut])
def list_notices(agreement_id: str, me: Me, uow: Uow, paging: PagingOf) -> Page[NoticeOut]:
    """The notices your org gave or received under the agreement, newest first. Paged in SQL."""
    return paging.out(notices.list_notices(uow, me.id, agreement_id, paging.request), NoticeOut.of)


@router.get("/notices/{notice_id}", response_model=NoticeThreadOut)
def get_notice(notice_id: str, me: Me, uow: Uow) -> NoticeThreadOut:
    """A notice with its responses and its history (the audit log's events about it)."""
    thread = notices.notice_thread(uow, me.id, notice_id)
    return NoticeThreadOut(
        **NoticeOut.of(thread.notice).model_dump(),
        responses=[ResponseOut(id=r.id, org=r.org, person_id=r.person_id,
                               person_name=thread.names.get(r.person_id, ""), body=r.body, at=r.at)
                   for r in thread.responses],
        history=[HistoryOut(kind=e.kind, actor=e.actor, at=e.at) for e in thread.history])


@router.post("/notices/{notice_id}/acknowledge", response_model=NoticeOut)
def acknowledge(notice_id: str, me: Me, uow: Uow) -> NoticeOut:
    """Acknowledge receipt (an addressee's admin or signer; once)."""
    return NoticeOut.of(notices.acknowledge_notice(uow, me.id, notice_id))


@router.post("/notices/{notice_id}/respond", response_model=ResponseOut, status_code=201)
def respond(notice_id: str, body: RespondRequest, me: Me, uow: Uow) -> ResponseOut:
    """Add to the notice's thread (either side, while it is open)."""
    r = notices.respond_to_notice(uow, me.id, notice_id, body=body.body)
    return ResponseOut(id=r.id, org=r.org, person_id=r.person_id, person_name=me.name, body=r.body, at=r.at)


@router.post("/notices/{notice_id}/close", response_model=NoticeOut)
def close(notice_id: str, me: Me, uow: Uow) -> NoticeOut:
    """Close the notice (either side): its deadline is no longer reminded."""
    return NoticeOut.of(notices.close_notice(uow, me.id, notice_id))
