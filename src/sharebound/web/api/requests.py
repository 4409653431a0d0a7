"""Information requests: ask a partner org, answer with disclosures, decline, withdraw, assign."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from sharebound.domain import limits as lim
from sharebound.domain.classification import Classification
from sharebound.domain.requests import MAX_ANSWERS, MAX_DETAILS, MAX_REASON, InformationRequest, RequestState
from sharebound.services import requests
from sharebound.services.requests import RequestView
from sharebound.web.deps import Me, Uow
from sharebound.web.paging import Page, PagingOf
from sharebound.web.schemas import ReasonRequest, Strict
from sharebound.web.views import EventOut

router = APIRouter(tags=["requests"])

class RequestCreate(Strict):
    title: str = Field(max_length=lim.MAX_TITLE, examples=["Thermal test results"])
    details: str = Field(default="", max_length=MAX_DETAILS,
                         examples=["Drift at 85 °C over 500 h, raw data."])
    # why text: the request's parser (services/requests.py) reads the day, in the words the page gets
    due_on: str = Field(examples=["2026-12-15"], json_schema_extra={"format": "date"},
                        description="A UTC day, today or later.")
    asked_org: str | None = Field(default=None, max_length=lim.MAX_HANDLE, examples=["acme"],
                                  description="The partner org to ask; omit when there is only one.")
    topic: str | None = Field(default=None, max_length=lim.MAX_TOPIC, examples=["thermal"])
    assignee: str | None = Field(default=None, max_length=lim.MAX_EMAIL,
                                 description="A person of the asked org (email or id) to handle it.")
    classification: Classification = Field(
        default=Classification.PUBLIC, description="The level of the title and details: above public, the "
                                      "agreement in force must cover it.")


class AnswerRequest(Strict):
    disclosure_ids: list[str] = Field(min_length=1, max_length=MAX_ANSWERS,
                                      description="Disclosures your org made in this partnership "
                                                  "to someone of the asking org.")
    note: str = Field(default="", max_length=MAX_REASON,
                      description="A note to the asking org, at the request's classification.")


class AssignRequest(Strict):
    assignee: str = Field(max_length=lim.MAX_EMAIL, examples=["sam@acme.example"],
                          description="A person of the asked org (email or id).")


class RequestOut(BaseModel):
    id: str
    partnership_id: str
    state: str  # open, answered, declined, withdrawn, or overdue (open past its due date)
    title: str
    details: str
    topic: str | None
    due_on: date
    asker_org: str
    asked_by: str
    asked_org: str
    assignee: str | None
    decline_reason: str | None
    answer_note: str | None
    classification: str  # the level the title and details were sent at
    agreement_id: str | None  # the agreement in force that covered them (None: public)
    withheld: bool  # details, reason and note hidden: that agreement is no longer in force
    disclosures: list[str]  # the answering disclosures you may see
    created_at: datetime
    closed_at: datetime | None
    history: list[EventOut] | None = None  # on GET /requests/{id}: the request's events

    @classmethod
    def of(cls, r: InformationRequest, now: datetime, view: RequestView | None = None) -> RequestOut:
        return cls(
            id=r.id, partnership_id=r.partnership_id, state=r.state_at(now).value, title=r.title,
            details=r.details, topic=r.topic, due_on=r.due_on, asker_org=r.asker_org,
            asked_by=r.asked_by, asked_org=r.asked_org, assignee=r.assignee_id,
            decline_reason=r.decline_reason, answer_note=r.answer_note,
            classification=r.classification.value, agreement_id=r.agreement_id, withheld=r.withheld,
            created_at=r.created_at, closed_at=r.closed_at,
            disclosures=[d.id for d in view.disclosures] if view else list(r.disclosures),
            history=[EventOut.of(e) for e in view.history] if view else None)


def _detail(uow: Uow, me: Me, request_id: str) -> RequestOut:
    view = requests.get_request(uow, me.id, request_id)
    return RequestOut.of(view.request, uow.clock(), view)


@router.get("/partnerships/{partnership_id}/requests", response_model=Page[RequestOut])
def list_requests(
    partnership_id: str, me: Me, uow: Uow, paging: PagingOf,
    direction: Annotated[Literal["asked", "received"] | None, Query()] = None,
    state: Annotated[RequestState | None, Query()] = None,
) -> Page[RequestOut]:
    """Requests your org asked (`direction=asked`) or was asked (`received`): open ones by due
    date (the overdue first), then closed ones, most recently closed first. Paged in SQL."""
    found = requests.list_requests(uow, me.id, partnership_id, direction=direction, state=state,
                                   request=paging.request)
    now = uow.clock()
    return paging.out(found, lambda r: RequestOut.of(r, now))


@router.post("/partnerships/{partnership_id}/requests", response_model=RequestOut, status_code=201)
def open_request(partnership_id: str, body: RequestCreate, me: Me, uow: Uow) -> RequestOut:
    """Ask a partner org of the partnership for information, by a due date."""
    made = requests.open_request(
        uow, me.id, partnership_id, title=body.title, details=body.details, due_on=body.due_on,
        asked_org=body.asked_org, topic=body.topic, assignee=body.assignee,
        classification=body.classification)
    return _detail(uow, me, made.id)


@router.get("/requests/{request_id}", response_model=RequestOut)
def get_request(request_id: str, me: Me, uow: Uow) -> RequestOut:
    """A request of your org (asked or received), with its history."""
    return _detail(uow, me, request_id)


@router.post("/requests/{request_id}/answer", response_model=RequestOut)
def answer(request_id: str, body: AnswerRequest, me: Me, uow: Uow) -> RequestOut:
    """The asked org answers with disclosures it made to the asking org (the request closes)."""
    requests.answer_request(uow, me.id, request_id, body.disclosure_ids, note=body.note)
    return _detail(uow, me, request_id)


@router.post("/requests/{request_id}/decline", response_model=RequestOut)
def decline(request_id: str, body: ReasonRequest, me: Me, uow: Uow) -> RequestOut:
    """The asked org declines, saying why."""
    requests.decline_request(uow, me.id, request_id, reason=body.reason)
    return _detail(uow, me, request_id)


@router.post("/requests/{request_id}/withdraw", response_model=RequestOut)
def withdraw(request_id: str, me: Me, uow: Uow) -> RequestOut:
    """The asking org withdraws its request."""
    requests.withdraw_request(uow, me.id, request_id)
    return _detail(uow, me, request_id)


@router.post("/requests/{request_id}/assign", response_model=RequestOut)
def assign(request_id: str, body: AssignRequest, me: Me, uow: Uow) -> RequestOut:
    """The asked org names who on its side handles the request."""
    requests.assign_request(uow, me.id, request_id, assignee=body.assignee)
    return _detail(uow, me, request_id)
