"""Page analytics of view only, for the discloser: which pages of a view-only document each
recipient opened, how often, and for how long (docs/library.md#what-view-only-records).

Views are counted as page images are sent (services/copies.page_image); the time comes from
the reader's browser (`report_seconds`). Both are counters, not audit records: the view
itself is recorded with its copy and event when it opens, so these record no event (like the
feed's reading marker). Only the discloser's org sees the report: its admins and signers, and
the person who disclosed (as the access report).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from sharebound.domain.disclosures import Disclosure
from sharebound.domain.errors import NotFound, PermissionDenied, Refused
from sharebound.domain.orgs import Person
from sharebound.domain.page_views import ReaderPages, by_reader, check_beat, credited_seconds
from sharebound.services.common import actor
from sharebound.services.copies import recheck_access, view_copy
from sharebound.services.disclosures import answers_for_org, visible_disclosure
from sharebound.services.unit_of_work import UnitOfWork


@dataclass(frozen=True)
class Reader:
    name: str
    email: str
    org: str
    pages: ReaderPages


@dataclass(frozen=True)
class PageViewReport:
    disclosure_id: str
    readers: tuple[Reader, ...]  # the longest reader first


def report_seconds(uow: UnitOfWork, actor_id: str, disclosure_id: str, copy_id: str,
                   beat: Mapping[int, float]) -> int:
    """Add the seconds the reader's browser saw pages of their view on screen: how many pages
    took them. Each page is credited at most the time since it was last sent to the person or
    last reported, plus a little slack (domain/page_views.py `credited_seconds`). Ignored (0)
    once the person may no longer view the disclosure, and for a page whose image was never
    sent; NotFound unless `copy_id` is the person's view of it; InvalidInput for seconds that
    are negative, not finite or over a beat's."""
    check_beat(beat)
    with uow:
        person = actor(uow, actor_id)
        disclosure = visible_disclosure(uow, person, disclosure_id)
        copy = view_copy(uow, person, disclosure, copy_id)
        try:
            recheck_access(uow, person, disclosure, "view")
        except (Refused, NotFound):
            return 0  # why: a report arriving after a revocation adds nothing, and says nothing
        now = uow.clock()
        since = uow.page_views.last_seen(disclosure.id, copy.person_id, beat)
        credited = {page: credited_seconds(spent, since[page], now)
                    for page, spent in beat.items() if page in since}
        taken = uow.page_views.add_seconds(disclosure.id, copy.person_id, credited, now)
        uow.commit()
    return taken


def page_views_report(uow: UnitOfWork, actor_id: str, disclosure_id: str) -> PageViewReport:
    """Per recipient, the pages they opened, their views and time; for the discloser's org only
    (NotFound for anyone else, PermissionDenied for its members who did not disclose it)."""
    with uow.reading():
        person = actor(uow, actor_id)
        disclosure = uow.disclosures.get(disclosure_id)
        if disclosure is None or disclosure.discloser != person.org:
            raise NotFound("disclosure", disclosure_id)
        if not may_see_page_views(person, disclosure):
            raise PermissionDenied("page views are for the org's admins and signers, and for "
                                   "the person who disclosed")
        return page_views_in(uow, disclosure)


def may_see_page_views(person: Person, disclosure: Disclosure) -> bool:
    return disclosure.discloser == person.org and (
        answers_for_org(person) or disclosure.disclosed_by == person.id)


def page_views_in(uow: UnitOfWork, disclosure: Disclosure) -> PageViewReport:
    """The report, inside the caller's transaction (the disclosure page's read model)."""
    readers = []
    for pages in by_reader(uow.page_views.of_disclosure(disclosure.id)):
        found = uow.orgs.get_person(pages.person_id)
        assert found is not None  # a foreign key guarantees it
        readers.append(Reader(name=found.name, email=found.email, org=found.org, pages=pages))
    return PageViewReport(disclosure.id, tuple(readers))
