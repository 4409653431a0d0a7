"""The discloser's access report: who viewed and downloaded its disclosures, and when; and
for view only, which pages each recipient opened and for how long."""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter
from pydantic import BaseModel, Field

from sharebound.domain import paging as keyset
from sharebound.services import access_report, page_views
from sharebound.services.access_report import AccessEntry
from sharebound.services.page_views import Reader
from sharebound.web.deps import Me, Uow
from sharebound.web.paging import Page, PagingOf

router = APIRouter(tags=["disclosures"])


class AccessOut(BaseModel):
    access_id: str
    disclosure_id: str
    item_title: str
    person_id: str
    person_name: str
    org: str
    action: str
    at: datetime
    copy_id: str | None
    representative_of: str | None = Field(default=None, description="A representative's guest: "
                                          "their organization and the party that re-shared to them")

    @classmethod
    def of(cls, e: AccessEntry) -> AccessOut:
        return cls(access_id=e.access_id, disclosure_id=e.disclosure_id, item_title=e.item_title,
                   person_id=e.person_id, person_name=e.person_name, org=e.org, action=e.action,
                   at=e.at, copy_id=e.copy_id, representative_of=e.representative_of)


@router.get("/disclosures/{disclosure_id}/accesses", response_model=Page[AccessOut])
def disclosure_accesses(disclosure_id: str, me: Me, uow: Uow, paging: PagingOf) -> Page[AccessOut]:
    """Who viewed and downloaded the disclosure, newest first (the discloser's admins and
    signers, and the person who disclosed)."""
    found = access_report.disclosure_accesses(uow, me.id, disclosure_id, paging.request)
    return paging.out(keyset.Page(rows=found.entries, after=found.after), AccessOut.of)


@router.get("/agreements/{agreement_id}/access-report", response_model=Page[AccessOut])
def agreement_report(agreement_id: str, me: Me, uow: Uow, paging: PagingOf) -> Page[AccessOut]:
    """Every access to what your org disclosed under the agreement, newest first (a member sees
    the accesses to what they disclosed)."""
    found = access_report.agreement_access_report(uow, me.id, agreement_id, paging.request)
    return paging.out(keyset.Page(rows=found.entries, after=found.after), AccessOut.of)


class PageViewOut(BaseModel):
    page: int = Field(description="From 1")
    views: int = Field(description="How many times the page's image was sent to the recipient")
    seconds: float = Field(description="Time on screen, as the recipient's browser reported it "
                                       "(0 without JavaScript)")
    first_seen: datetime
    last_seen: datetime


class ReaderOut(BaseModel):
    person_id: str
    name: str
    email: str
    org: str
    pages_opened: int
    views: int
    seconds: float
    first_seen: datetime
    last_seen: datetime
    pages: list[PageViewOut]

    @classmethod
    def of(cls, r: Reader) -> ReaderOut:
        p = r.pages
        return cls(person_id=p.person_id, name=r.name, email=r.email, org=r.org,
                   pages_opened=p.pages_opened, views=p.views, seconds=round(p.seconds, 1),
                   first_seen=p.first_seen, last_seen=p.last_seen,
                   pages=[PageViewOut(page=v.page, views=v.views, seconds=round(v.seconds, 1),
                                      first_seen=v.first_seen, last_seen=v.last_seen) for v in p.pages])


class PageViewsOut(BaseModel):
    disclosure_id: str
    readers: list[ReaderOut] = Field(description="Per recipient who opened pages, the longest "
                                                 "reader first")


@router.get("/disclosures/{disclosure_id}/page-views", response_model=PageViewsOut)
def disclosure_page_views(disclosure_id: str, me: Me, uow: Uow) -> PageViewsOut:
    """Which pages of a view-only document each recipient opened, how often and for how long
    (the discloser's admins and signers, and the person who disclosed)."""
    found = page_views.page_views_report(uow, me.id, disclosure_id)
    return PageViewsOut(disclosure_id=found.disclosure_id, readers=[ReaderOut.of(r) for r in found.readers])
