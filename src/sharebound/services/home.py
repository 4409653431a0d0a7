"""What a person sees first: their partnerships at a glance, and what waits for them."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sharebound.domain.agreements import ENDED, Agreement
from sharebound.domain.disclosures import Disclosure, DisclosureState
from sharebound.domain.notices import Notice
from sharebound.domain.orgs import Org, Person, Role
from sharebound.domain.partnerships import Partnership
from sharebound.domain.requests import InformationRequest, urgency
from sharebound.services.common import actor
from sharebound.services.disclosures import answers_for_org, received_for
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


@dataclass(frozen=True)
class Home:
    person: Person
    org: Org
    partnerships: list[PartnershipSummary]
    to_accept: list[Partnership]  # proposals my org has not accepted (admins act on them)
    to_sign: list[Agreement]  # agreements waiting for my org's signature (signers act)
    expiring: list[Disclosure]  # received by me, access ending within a week
    requests_waiting: list[InformationRequest] = field(default_factory=list)  # asked of my org,
    # open, assigned to me or to nobody yet; overdue first
    obligations: list[Obligation] = field(default_factory=list)  # copies due back, either way
    notices: list[Notice] = field(default_factory=list)  # open notices given to my org


def home(uow: UnitOfWork, actor_id: str) -> Home:
    with uow.reading():
        person = actor(uow, actor_id)
        org = uow.orgs.get_org(person.org)
        assert org is not None
        now = uow.clock()
        summaries, to_accept, to_sign = [], [], []
        given = uow.disclosures.given_by(person.org)
        received = received_for(uow, person)  # the one meaning of "received" (docs/obligations.md)
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
            summaries.append(PartnershipSummary(
                partnership=partnership, in_force=in_force,
                ends_on=signed.terms.term_end if signed else None,
                given_recently=sum(1 for d in given if d.partnership_id == partnership.id
                                   and d.created_at >= now - RECENT),
                received_recently=sum(1 for d in received if d.partnership_id == partnership.id
                                      and d.created_at >= now - RECENT),
                unread=unread.get(partnership.id, 0),
                open_requests=sum(1 for r in uow.requests.list_for_partnership(partnership.id, person.org)
                                  if r.is_open)))
        accepted = {s.partnership.id for s in summaries}
        waiting = sorted((r for r in uow.requests.open_of(person.org)
                          if r.asked_org == person.org and r.partnership_id in accepted
                          and r.assignee_id in (None, person.id)),
                         key=lambda r: urgency(r, now))
        expiring = [d for d in uow.disclosures.received_by(person.id)
                    if d.state(now) is DisclosureState.ACTIVE and d.expires_at - now <= SOON]
        return Home(
            person=person, org=org, partnerships=summaries,
            to_accept=to_accept if Role.ADMIN in person.roles else [],
            to_sign=to_sign if Role.SIGNER in person.roles else [],
            expiring=expiring, requests_waiting=waiting,
            obligations=obligations_in(uow, person, ours_all),
            notices=uow.notices.open_to(person.org) if answers_for_org(person) else [])


def waits_for(agreement: Agreement, org: str, now: datetime) -> bool:
    """The current version still lacks `org`'s signature, and the agreement has not ended."""
    if agreement.status(now) in ENDED:
        return False
    return not any(s.org == org for s in agreement.signatures_of(agreement.current))

