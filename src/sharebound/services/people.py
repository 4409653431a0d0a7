"""Offboarding: an admin deactivates a person of their org, or reactivates them.

Deactivation takes effect at once: the person's browser sessions end and their API tokens are
revoked in the same transaction, sign-in refuses them, and every decision of the rules refuses
them with the reason `inactive` (disclosures made to them, and new disclosures naming them).
Their downloaded copies stay on the org's copies-to-return list. An org always keeps one
active admin. The org's (other) admins are told (services/notify.py).
"""

from __future__ import annotations

import hashlib

from sharebound.domain.audit import org_log
from sharebound.domain.errors import Conflict, InvalidInput, NotFound
from sharebound.domain.events import PersonDeactivated, PersonErased, PersonReactivated
from sharebound.domain.orgs import Person, Role
from sharebound.services.common import actor, record, require_role
from sharebound.services.unit_of_work import UnitOfWork

ERASED_NAME = "former member"
ERASED_DOMAIN = "erased.invalid"  # why: RFC 2606 reserves .invalid; no mail can reach it


def deactivate_person(uow: UnitOfWork, actor_id: str | None, person_id: str) -> Person:
    """An admin of the person's org (or the operator, `actor_id=None`) deactivates them."""
    with uow:
        person = _colleague(uow, actor_id, person_id)
        deactivate_in(uow, actor_id, person, via="admin" if actor_id else "operator")
        uow.commit()
        return _reread(uow, person)


def reactivate_person(uow: UnitOfWork, actor_id: str | None, person_id: str) -> Person:
    """Give a deactivated person their access back (subject to the usual rules); they sign in
    again, as their old sessions and tokens stay ended."""
    with uow:
        person = _colleague(uow, actor_id, person_id)
        reactivate_in(uow, actor_id, person, via="admin" if actor_id else "operator")
        uow.commit()
        return _reread(uow, person)


def deactivate_in(uow: UnitOfWork, actor_id: str | None, person: Person, *, via: str) -> None:
    """The step of deactivating, inside a transaction the caller owns; nothing if inactive."""
    if not person.active:
        return
    uow.orgs.get_org(person.org, lock=True)  # why: two admins deactivating each other at once
    if Role.ADMIN in person.roles:
        admins = [p for p in uow.orgs.people_of(person.org, active_only=True) if Role.ADMIN in p.roles]
        if [p.id for p in admins] == [person.id]:
            raise Conflict(f"{person.email} is the last active admin of {person.org}: make "
                           "someone else an admin first")
    now = uow.clock()
    uow.orgs.set_deactivated(person.id, now)
    sessions = uow.auth.end_sessions_of(person.id, now)
    tokens = uow.auth.revoke_tokens_of(person.id, now)
    record(uow, org_log(person.org), actor_id, person.id,
           PersonDeactivated(sessions_ended=sessions, tokens_revoked=tokens, via=via))


def reactivate_in(uow: UnitOfWork, actor_id: str | None, person: Person, *, via: str) -> None:
    """The step of reactivating, inside a transaction the caller owns; nothing if active."""
    if person.active:
        return
    if person.email.endswith("@" + ERASED_DOMAIN):
        raise Conflict("this person's personal data was erased: add them again instead")
    uow.orgs.set_deactivated(person.id, None)
    record(uow, org_log(person.org), actor_id, person.id, PersonReactivated(via=via))


def erase_person(uow: UnitOfWork, email: str) -> Person:
    """The operator erases a deactivated person's name and email (for a data-subject request):
    the name becomes "former member", the email a placeholder made from its hash, the
    password and what SCIM provisioning sent of them are dropped. The audit log, signed
    agreements and stamped copies keep what they recorded (see docs/people.md)."""
    if not isinstance(email, str) or not email.strip():
        raise InvalidInput({"email": "is required"})
    with uow:
        person = uow.orgs.get_person_by_email(email.strip().lower())
        if person is None:
            raise NotFound("person", email)
        if person.active:
            raise Conflict(f"{person.email} is active: deactivate them first")
        digest = hashlib.sha256(person.email.encode("utf-8")).hexdigest()[:32]
        uow.orgs.set_name_and_email(person.id, name=ERASED_NAME,
                                    email=f"erased-{digest}@{ERASED_DOMAIN}")
        uow.auth.clear_password_hash(person.id)
        uow.scim.forget(person.id)
        record(uow, org_log(person.org), None, person.id, PersonErased())
        uow.commit()
        return _reread(uow, person)


def find_person(uow: UnitOfWork, email: str) -> Person:
    """The person with this email, for the operator (the command line)."""
    with uow.reading():
        person = uow.orgs.get_person_by_email(email.strip().lower())
        if person is None:
            raise NotFound("person", email)
        return person


def _colleague(uow: UnitOfWork, actor_id: str | None, person_id: str) -> Person:
    """The person, if the actor is an admin of their org (or the operator)."""
    person = uow.orgs.get_person(person_id)
    if actor_id is not None:
        admin = actor(uow, actor_id)
        if person is None or person.org != admin.org:
            raise NotFound("person", person_id)
        require_role(admin, Role.ADMIN)
    if person is None:
        raise NotFound("person", person_id)
    return person


def _reread(uow: UnitOfWork, person: Person) -> Person:
    return uow.orgs.get_person(person.id) or person
