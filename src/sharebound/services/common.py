"""What every use case needs: the actor, role checks, visibility, and the audit event."""

from __future__ import annotations

from sharebound.domain.agreements import Agreement
from sharebound.domain.audit import Event
from sharebound.domain.errors import InvalidInput, NotFound, PermissionDenied
from sharebound.domain.events import Payload
from sharebound.domain.limits import MAX_TITLE
from sharebound.domain.orgs import Person, Role
from sharebound.domain.partnerships import Partnership
from sharebound.domain.values import multi_line, single_line
from sharebound.services.unit_of_work import UnitOfWork


def actor(uow: UnitOfWork, person_id: str | None) -> Person:
    """The acting person; an unknown id is refused as not found."""
    if person_id is None:
        raise PermissionDenied("this action needs a person, not the operator")
    person = uow.signed_in(person_id) or uow.orgs.get_person(person_id)
    if person is None:
        raise NotFound("person", person_id)
    return person


def is_guest(uow: UnitOfWork, person: Person) -> bool:
    """A representative's guest account: no role, bound under an agreement by an approval
    (docs/obligations.md#representatives); it reads what was re-shared to it, nothing more."""
    return not person.roles and bool(uow.representatives.of_person(person.id))


def require_role(person: Person, *roles: Role) -> None:
    if not person.roles & set(roles):
        names = " or ".join(r.value for r in roles)
        raise PermissionDenied(f"this action needs the {names} role in {person.org}")


def visible_partnership(
    uow: UnitOfWork, person: Person, partnership_id: str, *, accepted: bool = False, lock: bool = False
) -> Partnership:
    """The partnership if the person's org is in it; otherwise it does not exist for them.

    An invited org sees the proposal (to accept it); with `accepted`, only orgs that have
    accepted see the partnership's inside: agreements, feed, register, log.
    """
    partnership = uow.partnerships.get(partnership_id, lock=lock)
    if partnership is None or not partnership.has_member(person.org):
        raise NotFound("partnership", partnership_id)
    if accepted and not partnership.has_accepted(person.org):
        raise NotFound("partnership", partnership_id)
    return partnership


def visible_agreement(uow: UnitOfWork, person: Person, agreement_id: str, *,
                      lock: bool = False) -> Agreement:
    """The agreement if the person's org is one of its parties: nobody else may see it."""
    agreement = uow.agreements.get(agreement_id, lock=lock)
    if agreement is None or person.org not in agreement.terms.parties:
        raise NotFound("agreement", agreement_id)
    return agreement


def record(uow: UnitOfWork, log: str, actor_id: str | None, subject: str, payload: Payload) -> Event:
    """Append the event to its log and hand it to the unit of work's listeners, all inside the
    caller's transaction: what they write commits (or not) with the change itself."""
    event = uow.events.append(log=log, kind=payload.kind.value, actor=actor_id, subject=subject,
                              data=payload.data(), at=uow.clock())
    for listener in uow.listeners:
        listener(uow, event, payload)
    return event


def required_text(field: str, value: object, limit: int = MAX_TITLE) -> str:
    """A required one-line field (see `domain.values.single_line`)."""
    if not isinstance(value, str) or not value.strip():
        raise InvalidInput({field: "is required"})
    return single_line(field, value, limit)


def required_body(field: str, value: object, limit: int) -> str:
    """A required multi-line field, stripped (see `domain.values.multi_line`)."""
    if not isinstance(value, str) or not value.strip():
        raise InvalidInput({field: "is required"})
    return multi_line(field, value, limit).strip()
