"""Representatives: the receiving org names them, a disclosing party approves or declines, the
receiving org may withdraw them (docs/obligations.md#representatives).

An approved representative gets a **guest** account: a person of a guest org of its own (named
after the representative's organization, handle `rep-…`), party of no partnership, so that the
existing rules show them nothing but what is re-shared to them (services/reshares.py). A
new guest is invited by email to set a password; an address that already has an account
outside the agreement's parties is linked as it is.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from dataclasses import replace

from sharebound.domain.audit import partnership_log
from sharebound.domain.decisions import Decision, Reason
from sharebound.domain.errors import Conflict, InvalidInput, NotFound, Refused
from sharebound.domain.events import (
    RepresentativeApproved,
    RepresentativeDeclined,
    RepresentativeNamed,
    RepresentativeWithdrawn,
)
from sharebound.domain.ids import new_id
from sharebound.domain.limits import MAX_NOTE
from sharebound.domain.orgs import Org, Person, Role
from sharebound.domain.outbox import Channel
from sharebound.domain.paging import FIRST_PAGE, Page, PageRequest
from sharebound.domain.representatives import (
    GUEST_HANDLE_PREFIX,
    Representative,
    RepresentativeState,
    decide_decision,
    decide_naming,
    parse_representative,
)
from sharebound.domain.values import multi_line
from sharebound.services import auth, channels
from sharebound.services.common import actor, record, require_role, visible_agreement
from sharebound.services.unit_of_work import UnitOfWork

EMAIL_KIND = "representative_invitation"  # the outbox payload's kind: the worker renders the email
GUEST_HANDLE_BYTES = 8  # why: 16 hex digits, a guest org's handle never clashes in practice


def name_representative(uow: UnitOfWork, actor_id: str, agreement_id: str,
                        fields: Mapping[str, object]) -> Representative:
    """A receiving org's admin or signer names a representative under an agreement in force."""
    new = parse_representative(fields)
    with uow:
        person = actor(uow, actor_id)
        agreement = visible_agreement(uow, person, agreement_id)
        require_role(person, Role.ADMIN, Role.SIGNER)
        for label, text in (("the organization", new.organization), ("the name", new.name),
                            ("the reason", new.reason)):  # why: the other parties read them
            channels.clear_public(uow, org=person.org, label=label, text=text)
        holder = uow.orgs.get_person_by_email(new.email)
        now = uow.clock()
        decision = decide_naming(org=person.org, agreement=agreement,
                                 email_org=holder.org if holder is not None else None, now=now)
        if not decision.allowed:
            raise Refused(decision)
        if any(r.org == person.org and r.email == new.email and r.state in _OPEN
               for r in uow.representatives.of_agreement(agreement.id)):
            raise Conflict(f"{new.email} is already a representative of {person.org} under this agreement")
        representative = Representative(
            id=new_id("rep"), agreement_id=agreement.id, partnership_id=agreement.partnership_id,
            org=person.org, organization=new.organization, name=new.name, email=new.email,
            reason=new.reason, state=RepresentativeState.PENDING, named_by=person.id, named_at=now)
        uow.representatives.add(representative)
        record(uow, partnership_log(agreement.partnership_id), person.id, representative.id,
               RepresentativeNamed(agreement=agreement.id, org=person.org,
                                   organization=new.organization))
        uow.commit()
    return representative


def approve_representative(uow: UnitOfWork, actor_id: str, representative_id: str, *,
                           agreement_id: str | None = None) -> Representative:
    """A disclosing party's admin or signer approves: the guest account is made (or linked) and
    a new guest is invited by email."""
    with uow:
        person, representative = _decidable(uow, actor_id, representative_id, agreement_id)
        guest = _guest_of(uow, representative)
        representative = replace(representative, state=RepresentativeState.APPROVED,
                                 decided_org=person.org, decided_by=person.id,
                                 decided_at=uow.clock(), person_id=guest.id)
        uow.representatives.save(representative)
        record(uow, partnership_log(representative.partnership_id), person.id, representative.id,
               RepresentativeApproved(agreement=representative.agreement_id, org=representative.org,
                                      by_org=person.org, guest=guest.id))
        uow.commit()
    return representative


def decline_representative(uow: UnitOfWork, actor_id: str, representative_id: str,
                           reason: object, *, agreement_id: str | None = None) -> Representative:
    """A disclosing party's admin or signer declines, with a reason."""
    if not isinstance(reason, str) or not reason.strip():
        raise InvalidInput({"reason": "is required: say why"})
    text = multi_line("reason", reason, MAX_NOTE).strip()
    with uow:
        person, representative = _decidable(uow, actor_id, representative_id, agreement_id)
        channels.clear_public(uow, org=person.org, label="the reason", text=text)
        representative = replace(representative, state=RepresentativeState.DECLINED,
                                 decided_org=person.org, decided_by=person.id,
                                 decided_at=uow.clock(), decision_reason=text)
        uow.representatives.save(representative)
        record(uow, partnership_log(representative.partnership_id), person.id, representative.id,
               RepresentativeDeclined(agreement=representative.agreement_id, org=representative.org,
                                      by_org=person.org, reason=text))
        uow.commit()
    return representative


def withdraw_representative(uow: UnitOfWork, actor_id: str, representative_id: str, *,
                            agreement_id: str | None = None) -> Representative:
    """The receiving org's admin or signer withdraws its representative: their access ends."""
    with uow:
        person = actor(uow, actor_id)
        representative = _visible(uow, person, representative_id, agreement_id, lock=True)
        if representative.org != person.org:
            raise _refused("party", "representatives",
                                  f"only {representative.org}, which named them, withdraws a representative")
        require_role(person, Role.ADMIN, Role.SIGNER)
        if representative.state not in _OPEN:
            raise Conflict(f"this representative is {representative.state.value}")
        representative = replace(representative, state=RepresentativeState.WITHDRAWN,
                                 withdrawn_by=person.id, withdrawn_at=uow.clock())
        uow.representatives.save(representative)
        record(uow, partnership_log(representative.partnership_id), person.id, representative.id,
               RepresentativeWithdrawn(agreement=representative.agreement_id, org=representative.org))
        uow.commit()
    return representative


def list_representatives(uow: UnitOfWork, actor_id: str, agreement_id: str,
                         request: PageRequest = FIRST_PAGE) -> Page[Representative]:
    """One page of the agreement's representatives, for the people of its parties, newest
    named first, read in SQL."""
    with uow.reading():
        person = actor(uow, actor_id)
        agreement = visible_agreement(uow, person, agreement_id)
        return uow.representatives.page_of_agreement(agreement.id, request)


def get_representative(uow: UnitOfWork, actor_id: str, representative_id: str) -> Representative:
    with uow.reading():
        return _visible(uow, actor(uow, actor_id), representative_id)


_OPEN = (RepresentativeState.PENDING, RepresentativeState.APPROVED)


def _visible(uow: UnitOfWork, person: Person, representative_id: str,
             agreement_id: str | None = None, *, lock: bool = False) -> Representative:
    """The representative (under `agreement_id`, when given), for the people of its
    agreement's parties; nobody else."""
    found = uow.representatives.get(representative_id, lock=lock)
    if found is None or agreement_id not in (None, found.agreement_id):
        raise NotFound("representative", representative_id)
    try:
        visible_agreement(uow, person, found.agreement_id)
    except NotFound:  # why: reads exactly as an id that never existed
        raise NotFound("representative", representative_id) from None
    return found


def _decidable(uow: UnitOfWork, actor_id: str, representative_id: str,
               agreement_id: str | None) -> tuple[Person, Representative]:
    person = actor(uow, actor_id)
    representative = _visible(uow, person, representative_id, agreement_id, lock=True)
    agreement = uow.agreements.get(representative.agreement_id)
    assert agreement is not None  # a foreign key guarantees it
    decision = decide_decision(org=person.org, representative=representative, agreement=agreement,
                               now=uow.clock())
    if not decision.allowed:
        raise Refused(decision)
    require_role(person, Role.ADMIN, Role.SIGNER)
    if representative.state is not RepresentativeState.PENDING:
        raise Conflict(f"this representative is already {representative.state.value}")
    return person, representative


def _guest_of(uow: UnitOfWork, representative: Representative) -> Person:
    """The guest account for the representative's address: an existing one outside the
    agreement's parties as it is, else a new person of a new guest org, invited by email."""
    agreement = uow.agreements.get(representative.agreement_id)
    assert agreement is not None
    existing = uow.orgs.get_person_by_email(representative.email)
    if existing is not None:
        if existing.org in agreement.terms.parties:
            raise _refused("representative", "parties",
                                  "this address now belongs to a member of a party: name them "
                                  "a recipient instead")
        return existing
    now = uow.clock()
    handle = GUEST_HANDLE_PREFIX + secrets.token_hex(GUEST_HANDLE_BYTES)
    uow.orgs.add_org(Org(handle=handle, name=representative.organization, created_at=now))
    guest = Person(id=new_id("per"), org=handle, name=representative.name, email=representative.email,
                   roles=frozenset(), created_at=now)
    uow.orgs.add_person(guest)
    token = auth.new_invitation_in(uow, guest)
    sealed = uow.keys.seal_text(token, f"outbox.token:{representative.id}") if uow.keys else token
    org = uow.orgs.get_org(representative.org)
    uow.outbox.add(id=new_id("obx"), channel=Channel.EMAIL, at=now, payload={
        "kind": EMAIL_KIND, "representative": representative.id, "to": representative.email,
        "token": sealed, "org": org.name if org else representative.org})
    return guest


def token_of(uow: UnitOfWork, payload: dict[str, object]) -> str:
    """The invitation's token from the email's outbox payload (the worker, at send time)."""
    stored = str(payload.get("token") or "")
    return (uow.keys.open_text(stored, f"outbox.token:{payload.get('representative')}")
            if uow.keys else stored)


def _refused(code: str, term: str, message: str) -> Refused:
    return Refused(Decision((Reason(code, term, message),)))
