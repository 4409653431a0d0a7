"""The discloser's access report: who viewed and downloaded its disclosures, and when."""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter
from pydantic import BaseModel, Field

from sharebound.domain import paging as keyset
from sharebound.services import access_report
from sharebound.services.access_report import AccessEntry
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
