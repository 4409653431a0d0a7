"""Copies to return or destroy after an agreement ends: read the list, certify it.

The org's admins and signers answer for the whole list (they certify it); anyone else of the
org sees only their own downloads, since a disclosure's title is for its recipients."""

from __future__ import annotations

from sharebound.domain.agreements import Agreement
from sharebound.domain.audit import partnership_log
from sharebound.domain.errors import Conflict
from sharebound.domain.events import CopiesCertified
from sharebound.domain.orgs import Person, Role
from sharebound.domain.returns import MAX_STATEMENT, Certification, ReturnList, return_list
from sharebound.services import channels
from sharebound.services.common import actor, record, require_role, required_body, visible_agreement
from sharebound.services.unit_of_work import UnitOfWork

ACCOUNTABLE = frozenset({Role.ADMIN, Role.SIGNER})


def copies_to_return(uow: UnitOfWork, actor_id: str, agreement_id: str) -> ReturnList:
    """The copies the actor's org downloaded under the agreement, and when they are due back."""
    with uow.reading():
        person = actor(uow, actor_id)
        agreement = visible_agreement(uow, person, agreement_id)
        return copies_to_return_in(uow, person, agreement)


def certify_returned(uow: UnitOfWork, actor_id: str, agreement_id: str, *, statement: str) -> ReturnList:
    """The org certifies, once, that every copy on its list was returned or destroyed."""
    text = required_body("statement", statement, MAX_STATEMENT)
    with uow:
        person = actor(uow, actor_id)
        agreement = visible_agreement(uow, person, agreement_id, lock=True)
        require_role(person, Role.ADMIN, Role.SIGNER)
        now = uow.clock()
        if agreement.ended_at(now) is None:
            raise Conflict("the agreement has not ended: copies are returned or destroyed after it ends")
        if uow.returns.certification(agreement.id, person.org) is not None:
            raise Conflict(f"{person.org} has already certified its copies under this agreement")
        channels.clear_public(uow, org=person.org, label="the statement", text=text)
        count = len(uow.returns.downloads(agreement.id, person.org))
        uow.returns.certify(agreement.id, Certification(
            org=person.org, person_id=person.id, statement=text, copies=count, at=now))
        record(uow, partnership_log(agreement.partnership_id), person.id, agreement.id,
               CopiesCertified(org=person.org, copies=count))
        uow.commit()
    return copies_to_return(uow, actor_id, agreement_id)


def copies_to_return_in(uow: UnitOfWork, person: Person, agreement: Agreement) -> ReturnList:
    """`copies_to_return` inside a transaction the caller owns."""
    complete = bool(person.roles & ACCOUNTABLE)
    downloads = uow.returns.downloads(agreement.id, person.org, None if complete else person.id)
    return return_list(agreement, person.org, uow.clock(), tuple(downloads),
                       uow.returns.certification(agreement.id, person.org), complete=complete)
