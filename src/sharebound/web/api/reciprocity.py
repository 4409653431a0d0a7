"""Give and take: a partnership's reciprocity and health, and the same across the caller's
partnerships (docs/reciprocity.md defines each number)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import BaseModel

from sharebound.domain.limits import DATE_LENGTH, MAX_ID
from sharebound.domain.reciprocity import GiveAndTake, Pair, RequestFlow
from sharebound.services import reciprocity
from sharebound.web.deps import Me, Uow

router = APIRouter(tags=["reciprocity"])

From = Annotated[str | None, Query(alias="from", max_length=DATE_LENGTH,
                                   description="first day counted, YYYY-MM-DD (default: 12 periods back)")]
To = Annotated[str | None, Query(max_length=DATE_LENGTH, description="last day counted (default: today)")]
PeriodQuery = Annotated[str | None, Query(max_length=MAX_ID, description="week (default) or month")]


class PairOut(BaseModel):
    given: int
    received: int

    @classmethod
    def of(cls, pair: Pair) -> PairOut:
        return cls(given=pair.given, received=pair.received)


class BucketOut(PairOut):
    start: date
    label: str


class NamedPairOut(PairOut):
    name: str


class GiveAndTakeOut(BaseModel):
    start: date
    end: date
    period: str
    total: PairOut
    weighted: PairOut  # each disclosure counted at its classification's weight
    index: float | None  # given / (given + received); null when nothing was shared
    weighted_index: float | None
    periods: list[BucketOut]
    by_classification: list[NamedPairOut]
    by_topic: list[NamedPairOut]

    @classmethod
    def of(cls, g: GiveAndTake) -> GiveAndTakeOut:
        return cls(start=g.window.start, end=g.window.end, period=g.window.period.value,
                   total=PairOut.of(g.total), weighted=PairOut.of(g.weighted), index=g.index,
                   weighted_index=g.weighted_index,
                   periods=[BucketOut(start=b.start, label=b.label, given=b.pair.given,
                                      received=b.pair.received) for b in g.buckets],
                   by_classification=[NamedPairOut(name=c.value, given=p.given, received=p.received)
                                      for c, p in g.by_classification],
                   by_topic=[NamedPairOut(name=t, given=p.given, received=p.received) for t, p in g.by_topic])


class RequestFlowOut(BaseModel):
    asked: int
    answered: int
    declined: int
    open: int
    overdue: int
    median_days_to_answer: float | None

    @classmethod
    def of(cls, r: RequestFlow) -> RequestFlowOut:
        median = None if r.median_to_answer is None else round(r.median_to_answer.total_seconds() / 86400, 2)
        return cls(asked=r.asked, answered=r.answered, declined=r.declined, open=r.open,
                   overdue=r.overdue, median_days_to_answer=median)


class ReciprocityOut(BaseModel):
    partnership_id: str
    org: str
    received_scope: str  # "org": what reached anyone of the org; "person": what reached the caller
    disclosures: GiveAndTakeOut
    requests_asked_by_us: RequestFlowOut
    requests_asked_of_us: RequestFlowOut


class HealthOut(BaseModel):
    partnership_id: str
    last_given_at: datetime | None
    last_received_at: datetime | None
    requests_asked_by_us: RequestFlowOut
    requests_asked_of_us: RequestFlowOut
    nda_in_force: str | None  # the agreement's id
    nda_ends_on: date | None  # null: until terminated, or no NDA in force
    confidentiality: str
    copies_due: int
    copies_due_on: date | None
    notices_waiting: int
    quarter: PairOut
    what_would_help: list[str]


class PartnershipGiveAndTakeOut(BaseModel):
    partnership_id: str
    name: str
    disclosures: GiveAndTakeOut


class OverviewOut(BaseModel):
    org: str
    received_scope: str
    total: GiveAndTakeOut
    partnerships: list[PartnershipGiveAndTakeOut]


@router.get("/partnerships/{partnership_id}/reciprocity", response_model=ReciprocityOut)
def get_reciprocity(partnership_id: str, me: Me, uow: Uow, start: From = None, to: To = None,
                    period: PeriodQuery = None) -> ReciprocityOut:
    """Disclosures given and received per week or month, by classification and topic, the
    balance index, and requests each way with their median time to answer."""
    r = reciprocity.partnership_reciprocity(uow, me.id, partnership_id, start=start, end=to, period=period)
    return ReciprocityOut(partnership_id=r.partnership.id, org=r.org,
                          received_scope="org" if r.whole_org else "person",
                          disclosures=GiveAndTakeOut.of(r.flows),
                          requests_asked_by_us=RequestFlowOut.of(r.asked_by_us),
                          requests_asked_of_us=RequestFlowOut.of(r.asked_of_us))


@router.get("/partnerships/{partnership_id}/health", response_model=HealthOut)
def get_health(partnership_id: str, me: Me, uow: Uow) -> HealthOut:
    """Last activity each way, requests open and overdue, the NDA's end and confidentiality,
    copies due back, notices waiting, and what would help."""
    h = reciprocity.partnership_health(uow, me.id, partnership_id)
    f = h.facts
    return HealthOut(
        partnership_id=h.partnership.id, last_given_at=f.last_given, last_received_at=f.last_received,
        requests_asked_by_us=RequestFlowOut.of(f.asked_by_us),
        requests_asked_of_us=RequestFlowOut.of(f.asked_of_us), nda_in_force=h.nda_id,
        nda_ends_on=f.nda_ends, confidentiality=h.confidentiality, copies_due=f.copies_due,
        copies_due_on=f.copies_due_on, notices_waiting=f.notices_waiting, quarter=PairOut.of(f.quarter),
        what_would_help=h.hints)


@router.get("/reciprocity", response_model=OverviewOut)
def get_overview(me: Me, uow: Uow, start: From = None, to: To = None,
                 period: PeriodQuery = None) -> OverviewOut:
    """Give and take in each partnership the caller's organization accepted, and in all."""
    o = reciprocity.reciprocity_overview(uow, me.id, start=start, end=to, period=period)
    return OverviewOut(org=o.org, received_scope="org" if o.whole_org else "person",
                       total=GiveAndTakeOut.of(o.total),
                       partnerships=[PartnershipGiveAndTakeOut(partnership_id=p.id, name=p.name,
                                                               disclosures=GiveAndTakeOut.of(g))
                                     for p, g in o.rows])
