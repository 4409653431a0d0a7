"""Copies to return or destroy, on both sides (docs/obligations.md).

The receiving org: after an agreement ends, or once a discloser demanded its information back
(a `demand_return` notice, services/notices.py), its admins and signers certify, once, that
every copy on its list was returned or destroyed; the certification is signed like a
signature (the password again, the address and browser recorded). Anyone else of the org sees
only their own downloads, since a disclosure's title is for its recipients.

The discloser: its admins and signers see, per receiving org, the copies made of its own
disclosures, the due date, and the certification in full."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime

from sharebound.domain.agreements import Agreement
from sharebound.domain.audit import partnership_log
from sharebound.domain.errors import Conflict
from sharebound.domain.events import CopiesCertified
from sharebound.domain.notices import last_day
from sharebound.domain.orgs import Person, Role
from sharebound.domain.paging import FIRST_PAGE, PageRequest, cut
from sharebound.domain.returns import MAX_STATEMENT, Certification, ReturnList, return_list
from sharebound.services import channels, reauth
from sharebound.services.common import actor, record, require_role, required_body, visible_agreement
from sharebound.services.unit_of_work import UnitOfWork

ACCOUNTABLE = frozenset({Role.ADMIN, Role.SIGNER})


@dataclass(frozen=True)
class Evidence:
    """Where a certification was made from, kept with it as for a signature."""

    ip: str | None = None
    user_agent: str | None = None


@dataclass(frozen=True)
class Obligation:
    """A return not certified yet, as a home page shows it."""

    agreement_id: str
    partnership_id: str
    org: str  # who returns
    discloser: str | None  # to whom (None: the org's own list, whoever disclosed)
    due_at: datetime
    overdue: bool

    @property
    def due_on(self) -> date:
        return last_day(self.due_at)


def copies_to_return(uow: UnitOfWork, actor_id: str, agreement_id: str,
                     request: PageRequest = FIRST_PAGE) -> ReturnList:
    """One page of the copies the actor's org downloaded under the agreement (oldest first,
    read in SQL), and when they are due back."""
    with uow.reading():
        person = actor(uow, actor_id)
        agreement = visible_agreement(uow, person, agreement_id)
        return copies_to_return_in(uow, person, agreement, request)


def certify_returned(uow: UnitOfWork, actor_id: str, agreement_id: str, *, statement: str,
                     password: object = None, evidence: Evidence = Evidence(),
                     session_cookie: str | None = None) -> ReturnList:
    """The org certifies, once, that every copy on its list was returned or destroyed; the
    certifier confirms it is them as a signer does (`reauth.confirm_identity`)."""
    text = required_body("statement", statement, MAX_STATEMENT)
    with uow:
        person = actor(uow, actor_id)
        agreement = visible_agreement(uow, person, agreement_id, lock=True)
        require_role(person, Role.ADMIN, Role.SIGNER)
        now = uow.clock()
        demands = uow.returns.demands(agreement.id, org=person.org)
        if agreement.ended_at(now) is None and not demands:
            raise Conflict("the agreement has not ended and no party demanded its information back: "
                           "copies are returned or destroyed after that")
        if uow.returns.certification(agreement.id, person.org) is not None:
            raise Conflict(f"{person.org} has already certified its copies under this agreement")
        channels.clear_public(uow, org=person.org, label="the statement", text=text)
        reauth.confirm_identity(uow, person, password=password if isinstance(password, str) else None,
                                address=evidence.ip or "unknown", session_cookie=session_cookie)
        downloads = uow.returns.downloads(agreement.id, person.org)
        uow.returns.certify(agreement.id, Certification(
            org=person.org, person_id=person.id, statement=text, copies=len(downloads), at=now,
            copy_list=tuple(c.access_id for c in downloads), ip=evidence.ip,
            user_agent=(evidence.user_agent or "")[:500] or None))
        record(uow, partnership_log(agreement.partnership_id), person.id, agreement.id,
               CopiesCertified(org=person.org, copies=len(downloads)))
        uow.commit()
    return copies_to_return(uow, actor_id, agreement_id)


def copies_to_return_in(uow: UnitOfWork, person: Person, agreement: Agreement,
                        request: PageRequest | None = None) -> ReturnList:
    """`copies_to_return` inside a transaction the caller owns (every copy when `request` is
    None)."""
    complete = bool(person.roles & ACCOUNTABLE)
    downloads = uow.returns.downloads(agreement.id, person.org, None if complete else person.id,
                                      request=request)
    after = None
    if request is not None:
        page = cut(downloads, request, lambda c: (c.at, c.access_id))
        downloads, after = page.rows, page.after
    found = return_list(agreement, person.org, uow.clock(), tuple(downloads),
                        uow.returns.certification(agreement.id, person.org), complete=complete,
                        demands=tuple(uow.returns.demands(agreement.id, org=person.org)))
    return replace(found, after=after)


def returns_owed(uow: UnitOfWork, actor_id: str, agreement_id: str) -> list[ReturnList]:
    """The discloser's side: per other party, the copies it made of the actor's org's
    disclosures under the agreement, its due date and its certification (admins and signers)."""
    with uow.reading():
        person = actor(uow, actor_id)
        agreement = visible_agreement(uow, person, agreement_id)
        require_role(person, Role.ADMIN, Role.SIGNER)
        return returns_owed_in(uow, person, agreement)


def returns_owed_in(uow: UnitOfWork, person: Person, agreement: Agreement) -> list[ReturnList]:
    """`returns_owed` inside a transaction the caller owns."""
    now = uow.clock()
    return [return_list(agreement, org, now,
                        tuple(uow.returns.downloads(agreement.id, org, discloser=person.org)),
                        uow.returns.certification(agreement.id, org),
                        demands=tuple(uow.returns.demands(agreement.id, org=org, discloser=person.org)))
            for org in agreement.terms.parties if org != person.org]


def obligations_in(uow: UnitOfWork, person: Person, agreements: list[Agreement]) -> list[Obligation]:
    """For a home page: the returns the person's org owes and has not certified, and those
    owed to it that are overdue (for its admins and signers only)."""
    if not person.roles & ACCOUNTABLE:
        return []
    now = uow.clock()
    found = []
    for agreement in agreements:
        # Nothing is due under an agreement in force that no one demanded anything back under:
        # its downloads (the whole history of them) are not read then.
        if agreement.ended_at(now) is None and not any(
                person.org in (d.org, d.discloser) for d in uow.returns.demands(agreement.id)):
            continue
        mine = copies_to_return_in(uow, person, agreement, PageRequest(limit=1))  # why: is there any
        if mine.due_at is not None and mine.certification is None and (mine.copies or mine.demands):
            found.append(Obligation(agreement.id, agreement.partnership_id, person.org, None,
                                    mine.due_at, mine.is_overdue(now)))
        for owed in returns_owed_in(uow, person, agreement):
            if owed.is_overdue(now) and owed.due_at is not None and (owed.copies or owed.demands):
                found.append(Obligation(agreement.id, agreement.partnership_id, owed.org, person.org,
                                        owed.due_at, True))
    return sorted(found, key=lambda o: o.due_at)
