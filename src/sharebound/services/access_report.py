"""The discloser's access report: who viewed and downloaded its disclosures, and when.

Only the discloser's org sees it: its admins and signers for every disclosure, the person who
disclosed for their own. To anyone else (a recipient too) the report does not exist.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sharebound.domain.errors import NotFound, PermissionDenied
from sharebound.domain.paging import PageRequest, cut
from sharebound.services.common import actor, visible_agreement
from sharebound.services.disclosures import answers_for_org
from sharebound.services.unit_of_work import UnitOfWork


@dataclass(frozen=True, slots=True)
class AccessEntry:
    access_id: str
    disclosure_id: str
    item_title: str
    person_id: str
    person_name: str
    org: str
    action: str  # view or download
    at: datetime
    copy_id: str | None  # the stamped copy it made, if any
    # a representative's guest: "Precision Parts Ltd, representative of globex" (re-shared to them)
    representative_of: str | None = None


@dataclass(frozen=True)
class AccessReport:
    subject: str  # the disclosure's or the agreement's id
    entries: list[AccessEntry]
    complete: bool  # False: only the reader's own disclosures (a member who disclosed)
    after: str | None = None  # asked for one page: the cursor of the next one, if any


def disclosure_accesses(uow: UnitOfWork, actor_id: str, disclosure_id: str,
                        request: PageRequest | None = None) -> AccessReport:
    """Every access to one disclosure, newest first (or one page of them)."""
    with uow.reading():
        person = actor(uow, actor_id)
        disclosure = uow.disclosures.get(disclosure_id)
        if disclosure is None or disclosure.discloser != person.org:
            raise NotFound("disclosure", disclosure_id)
        if not answers_for_org(person) and disclosure.disclosed_by != person.id:
            raise PermissionDenied("the access report is for the org's admins and signers, "
                                   "and for the person who disclosed")
        rows = uow.disclosures.access_report(disclosure_id=disclosure.id, request=request)
        return _report(uow, disclosure.id, rows, True, request)


def agreement_access_report(uow: UnitOfWork, actor_id: str, agreement_id: str,
                            request: PageRequest | None = None) -> AccessReport:
    """Every access to what the actor's org disclosed under the agreement, newest first (a
    member sees the accesses to what they disclosed)."""
    with uow.reading():
        person = actor(uow, actor_id)
        agreement = visible_agreement(uow, person, agreement_id)
        complete = answers_for_org(person)
        rows = uow.disclosures.access_report(agreement_id=agreement.id, discloser=person.org,
                                             disclosed_by=None if complete else person.id,
                                             request=request)
        return _report(uow, agreement.id, rows, complete, request)


def _report(uow: UnitOfWork, subject: str, rows: list[Any], complete: bool,
            request: PageRequest | None) -> AccessReport:
    if request is None:
        return AccessReport(subject, _entries(uow, rows), complete=complete)
    page = cut(rows, request, lambda row: (row.at, row.id))  # newest first, as the query reads
    return AccessReport(subject, _entries(uow, page.rows), complete=complete, after=page.after)


def _entries(uow: UnitOfWork, rows: list[Any]) -> list[AccessEntry]:
    # why one query: a page of accesses names up to a page of people
    found = uow.representatives.of_people({row.person_id for row in rows})
    guests = {person: f"{reps[0].organization}, representative of {reps[0].org}"
              for person, reps in found.items()}
    return [AccessEntry(access_id=r.id, disclosure_id=r.disclosure_id, item_title=r.item_title,
                        person_id=r.person_id, person_name=r.name, org=r.org, action=r.action,
                        at=r.at, copy_id=r.copy_id, representative_of=guests.get(r.person_id))
            for r in rows]
