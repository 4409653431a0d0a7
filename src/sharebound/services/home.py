"""What a person sees first: their partnerships at a glance, and what waits for them."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sharebound.domain.agreements import ENDED, Agreement
from sharebound.domain.disclosures import Disclosure
from sharebound.domain.limits import HOME_LATEST
from sharebound.domain.notices import Notice
from sharebound.domain.orgs import Org, Person, Role
from sharebound.domain.partnerships import Partnership
from sharebound.domain.reciprocity import parse_window
from sharebound.domain.requests import InformationRequest, urgency
from sharebound.services.common import actor
from sharebound.services.disclosures import answers_for_org
from sharebound.services.reciprocity import Overview, overview_in
from sharebound.services.returns import Obligation, obligations_in
from sharebound.services.unit_of_work import UnitOfWork

RECENT = timedelta(days=30)
SOON = timedelta(days=7)  # why: a week is enough notice to ask for an extension


@dataclass(frozen=True)
class PartnershipSummary:
    partnership: Partnership
    in_force: Agreement | None
    ends_on: date | None
    given_recently: int
    received_recently: int
    unread: int = 0  # feed messages by others since I last read it
    open_requests: int = 0  # open requests either way


@dataclass(frozen=True, slots=True)
class Step:
    key: str  # people, partnership, nda, items, disclosure
    label: str
    link: str  # where it is done
    done: bool


@dataclass(frozen=True)
class Home:
    person: Person
    org: Org
    partnerships: list[PartnershipSummary]
    to_accept: list[Partnership]  # proposals my org has not accepted (admins act on them)
    to_sign: list[Agreement]  # agreements waiting for my org's signature (signers act)
    expiring: list[Disclosure]  # received by me, access ending within a week (the soonest few)
    requests_waiting: list[InformationRequest] = field(default_factory=list)  # asked of my org,
    # open, assigned to me or to nobody yet; overdue first
    obligations: list[Obligation] = field(default_factory=list)  # copies due back, either way
    notices: list[Notice] = field(default_factory=list)  # open notices given to my org
    # the first-run checklist, ticked from the org's real state; empty once every step is done
    checklist: list[Step] = field(default_factory=list)
    give_and_take: Overview | None = None  # given and received across the partnerships (12 weeks)


def home(uow: UnitOfWork, actor_id: str) -> Home:
    with uow.reading():
        person = actor(uow, actor_id)
        org = uow.orgs.get_org(person.org)
        assert org is not None
        now = uow.clock()
        summaries, to_accept, to_sign, signed_by_us = [], [], [], False
        # counted in SQL, not loaded: home costs the same whatever the org's history
        given_recently = uow.disclosures.recent_counts(since=now - RECENT, given_by=person.org)
        # "received" has one meaning everywhere (docs/obligations.md): the org's for its admins
        # and signers, else the person's own
        received_recently = (uow.disclosures.recent_counts(since=now - RECENT, org=person.org)
                             if answers_for_org(person)
                             else uow.disclosures.recent_counts(since=now - RECENT, person_id=person.id))
        gave_any = uow.disclosures.gave_any(person.org)
        ours_all: list[Agreement] = []
        mine = uow.partnerships.list_for_org(person.org)
        unread = uow.messages.unread_counts(person.id, [p.id for p in mine if p.has_accepted(person.org)])
        for partnership in mine:
            if not partnership.has_accepted(person.org):
                to_accept.append(partnership)
                continue
            ours = [a for a in uow.agreements.list_for_partnership(partnership.id)
                    if person.org in a.terms.parties]
            ours_all += ours
            in_force = next((a for a in reversed(ours) if a.is_in_force(now)), None)
            signed = in_force.in_force_version(now) if in_force else None
            to_sign += [a for a in ours if waits_for(a, person.org, now)]
            signed_by_us = signed_by_us or any(s.org == person.org for a in ours for s in a.signatures)
            summaries.append(PartnershipSummary(
                partnership=partnership, in_force=in_force,
                ends_on=signed.terms.term_end if signed else None,
                given_recently=given_recently.get(partnership.id, 0),
                received_recently=received_recently.get(partnership.id, 0),
                unread=unread.get(partnership.id, 0),
                open_requests=sum(1 for r in uow.requests.list_for_partnership(partnership.id, person.org)
                                  if r.is_open)))
        accepted = {s.partnership.id for s in summaries}
        waiting = sorted((r for r in uow.requests.open_of(person.org)
                          if r.asked_org == person.org and r.partnership_id in accepted
                          and r.assignee_id in (None, person.id)),
                         key=lambda r: urgency(r, now))
        expiring = uow.disclosures.expiring_for(person.id, now, now + SOON, HOME_LATEST)
        checklist = first_run(
            people=len(uow.orgs.people_of(person.org)) > 1,
            partnerships=[s.partnership for s in summaries], nda=signed_by_us,
            items=gave_any or uow.items.owns_any(person.org), disclosure=gave_any)
        return Home(
            person=person, org=org, partnerships=summaries,
            to_accept=to_accept if Role.ADMIN in person.roles else [],
            to_sign=to_sign if Role.SIGNER in person.roles else [],
            expiring=expiring, requests_waiting=waiting,
            obligations=obligations_in(uow, person, ours_all),
            notices=uow.notices.open_to(person.org) if answers_for_org(person) else [],
            checklist=checklist,
            give_and_take=overview_in(uow, person, parse_window(None, None, None, now.date())))


def first_run(*, people: bool, partnerships: list[Partnership], nda: bool, items: bool,
              disclosure: bool) -> list[Step]:
    """What a new org does first, each step ticked by what exists (`partnerships`: those the
    org accepted); nothing once all are done
    (so an org that has shared never sees it again, and none needs dismissing)."""
    first = partnerships[0].id if partnerships else None
    steps = [
        Step("people", "Add the people who work with partners", "/admin/people", people),
        Step("partnership", "Propose a partnership (or accept one)", "/partnerships/new",
             bool(partnerships)),
        Step("nda", "Draft and sign the NDA", f"/partnerships/{first}" if first else "/partnerships/new",
             nda),
        Step("items", "Add items to your library", "/items/new", items),
        Step("disclosure", "Make a first disclosure", "/disclose", disclosure),
    ]
    return [] if all(s.done for s in steps) else steps


def waits_for(agreement: Agreement, org: str, now: datetime) -> bool:
    """The current version still lacks `org`'s signature, and the agreement has not ended."""
    if agreement.status(now) in ENDED:
        return False
    return not any(s.org == org for s in agreement.signatures_of(agreement.current))

