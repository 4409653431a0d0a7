"""A partnership's page: its agreements, both registers, feed, requests and people."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sharebound.domain.agreements import Agreement
from sharebound.domain.disclosures import RegisterFilter
from sharebound.domain.orgs import Person
from sharebound.domain.paging import FIRST_PAGE, Page, PageRequest
from sharebound.domain.partner_invitations import PartnerInvitation
from sharebound.domain.partnerships import Partnership
from sharebound.domain.reciprocity import Side, parse_window
from sharebound.domain.requests import InformationRequest
from sharebound.domain.uploaded_ndas import UploadedNda
from sharebound.services.agreements import agreements_in
from sharebound.services.common import actor, visible_partnership
from sharebound.services.messages import Feed, feed_in
from sharebound.services.partnerships import partner_people_in
from sharebound.services.reciprocity import Health, Reciprocity, reciprocity_and_health_in
from sharebound.services.register import DisclosureView, both_registers_in
from sharebound.services.requests import requests_page_in
from sharebound.services.unit_of_work import UnitOfWork
from sharebound.services.uploaded_ndas import documents_in


@dataclass(frozen=True)
class Filters:
    """What the register shows: all when empty (applied in SQL, to each page)."""

    agreement: str = ""
    classification: str = ""
    topic: str = ""

    def query(self) -> RegisterFilter:
        return RegisterFilter(agreement_id=self.agreement, classification=self.classification,
                              topic=self.topic)


@dataclass(frozen=True)
class Paging:
    """Where each of the two registers of the page starts (its newest page when not given)."""

    given: PageRequest = FIRST_PAGE
    received: PageRequest = FIRST_PAGE
    requests: PageRequest = FIRST_PAGE
    feed: PageRequest = FIRST_PAGE  # of its threads


@dataclass(frozen=True)
class Inside:
    """What only an org that accepted the partnership sees."""

    agreements: list[Agreement]
    documents: list[UploadedNda]  # executed NDAs uploaded (bring your own NDA)
    given: Page[DisclosureView]  # filtered, one page newest first
    received: Page[DisclosureView]  # filtered, one page newest first
    topics: list[str]  # of the pages shown (and the one filtered on): what the topic filter offers
    disclosure_titles: dict[str, str]  # of the pages shown and those the feed links to, by id
    feed: Feed
    requests: Page[InformationRequest]  # one page: open by due date (overdue first), then closed
    people: list[Person]  # the partners' people
    now: datetime
    give_and_take: Reciprocity | None = None  # charts of what was given and received
    health: Health | None = None


@dataclass(frozen=True)
class PartnershipPage:
    partnership: Partnership
    filters: Filters
    inside: Inside | None  # None for an org only invited: it sees the proposal, to accept it
    unread: int
    newest_message: datetime | None = field(default=None)  # the feed's newest, to mark read
    # the email invitations my org sent for it (pending, accepted, expired, revoked) and when
    # their state was read; another party sees none
    invitations: list[PartnerInvitation] = field(default_factory=list)
    now: datetime | None = None


def partnership_page(uow: UnitOfWork, actor_id: str, partnership_id: str,
                     filters: Filters = Filters(), paging: Paging = Paging(),
                     period: str | None = None) -> PartnershipPage:
    """`period` (week or month) is the give-and-take charts' (`InvalidInput` otherwise)."""
    with uow.reading():
        person = actor(uow, actor_id)
        partnership = visible_partnership(uow, person, partnership_id)
        unread = uow.notifications.unread_count(person.id)
        invitations = [i for i in uow.partner_invitations.of_partnership(partnership_id)
                       if i.proposer == person.org]
        if not partnership.has_accepted(person.org):
            return PartnershipPage(partnership=partnership, filters=filters, inside=None, unread=unread)
        # why: the registers' recipients, the feed's authors and mentions and the partners'
        # people are people of the orgs that accepted it: read in one query, then answered
        # from this read-only transaction's repository
        uow.orgs.people_of_orgs(o for o in partnership.orgs if partnership.has_accepted(o))
        # why first: the registers' rows name these agreements, then read from this transaction
        agreements = agreements_in(uow, person, partnership_id)
        only = filters.query()
        given, received = both_registers_in(uow, person, partnership_id, paging.given, paging.received, only)
        shown = given.rows + received.rows
        feed = feed_in(uow, person, partnership_id, paging.feed, threads=True)
        now = uow.clock()
        window = parse_window(None, None, period, now.date())
        give_and_take, health = reciprocity_and_health_in(uow, person, partnership, window,
                                                          _last_activity(given, received, paging, only))
        inside = Inside(
            agreements=agreements,
            documents=documents_in(uow, person, partnership_id),
            given=given, received=received,
            topics=sorted({t for v in shown for t in v.topics} | ({only.topic} if only.topic else set())),
            disclosure_titles={**feed.disclosure_titles, **{v.disclosure.id: v.item_title for v in shown}},
            feed=feed,
            requests=requests_page_in(uow, person, partnership_id, paging.requests),
            people=partner_people_in(uow, person, partnership), now=now,
            give_and_take=give_and_take, health=health)
        newest = max((e.message.created_at for e in feed.entries), default=None)
        return PartnershipPage(partnership=partnership, filters=filters, inside=inside, unread=unread,
                               newest_message=newest, invitations=invitations, now=now)


def _last_activity(given: Page[DisclosureView], received: Page[DisclosureView], paging: Paging,
                   only: RegisterFilter) -> dict[Side, datetime | None] | None:
    """When the org last gave and last received: the newest row of each register, when the
    page shows both registers' newest pages unfiltered (the health card's own query reads the
    same index ranges' first entries); None otherwise, for the health card to read them."""
    newest = (r.after is None and r.before is None for r in (paging.given, paging.received))
    if only or not all(newest):
        return None
    return {Side.GIVEN: given.rows[0].disclosure.created_at if given.rows else None,
            Side.RECEIVED: received.rows[0].disclosure.created_at if received.rows else None}
