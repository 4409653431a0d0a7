"""Agreements: draft, amend, sign, terminate, read."""

from __future__ import annotations

from typing import Any

from sharebound.domain.agreements import Agreement, new_agreement
from sharebound.domain.audit import partnership_log
from sharebound.domain.errors import Conflict, InvalidTerms
from sharebound.domain.events import AgreementAmended, AgreementDrafted, AgreementSigned, AgreementTerminated
from sharebound.domain.ids import new_id
from sharebound.domain.orgs import Person, Role
from sharebound.domain.partnerships import Partnership
from sharebound.domain.terms import AgreementTerms, parse_terms
from sharebound.services import channels, notices
from sharebound.services.common import (
    actor,
    record,
    require_role,
    required_text,
    visible_agreement,
    visible_partnership,
)
from sharebound.services.unit_of_work import UnitOfWork


def draft_agreement(uow: UnitOfWork, actor_id: str, partnership_id: str, terms: Any) -> Agreement:
    """Version 1 of an NDA between accepted members of a partnership; nobody has signed it."""
    parsed = parse_terms(terms)
    with uow:
        person = actor(uow, actor_id)
        partnership = visible_partnership(uow, person, partnership_id, accepted=True)
        require_role(person, Role.ADMIN, Role.SIGNER)
        _check_parties(partnership, person, parsed)
        _clear_cover(uow, person, parsed)
        now = uow.clock()
        agreement = new_agreement(new_id("agr"), partnership.id, parsed, by=person.id, at=now)
        uow.agreements.add(agreement)
        record(uow, partnership_log(partnership.id), person.id, agreement.id,
               AgreementDrafted(version=1, digest=agreement.current.digest))
        uow.commit()
    return agreement


def _clear_cover(uow: UnitOfWork, person: Person, terms: AgreementTerms) -> None:
    """The parties read the terms' free text before any agreement is in force: public text,
    through the content gate, like a proposal's name."""
    for label, text in (("the purpose", terms.purpose), ("the governing law", terms.governing_law),
                        ("the courts", terms.courts)):
        channels.clear_public(uow, org=person.org, label=label, text=text or "")


def amend_agreement(uow: UnitOfWork, actor_id: str, agreement_id: str, terms: Any) -> Agreement:
    """A new version: every party signs again; the signed version stays in force meanwhile."""
    parsed = parse_terms(terms)
    with uow:
        person = actor(uow, actor_id)
        agreement = visible_agreement(uow, person, agreement_id, lock=True)
        require_role(person, Role.ADMIN, Role.SIGNER)
        partnership = visible_partnership(uow, person, agreement.partnership_id, accepted=True)
        _check_parties(partnership, person, parsed)
        _clear_cover(uow, person, parsed)
        agreement = agreement.amend(parsed, by=person.id, at=uow.clock())
        uow.agreements.add_version(agreement.id, agreement.current)
        record(uow, partnership_log(partnership.id), person.id, agreement.id,
               AgreementAmended(version=agreement.current.number, digest=agreement.current.digest))
        uow.commit()
    return agreement


def sign_agreement(
    uow: UnitOfWork, actor_id: str, agreement_id: str, *, digest: str, title: str
) -> Agreement:
    """A signer signs the current version for their org; `digest` must be that version's."""
    signer_title = required_text("title", title, 200)
    with uow:
        person = actor(uow, actor_id)
        agreement = visible_agreement(uow, person, agreement_id, lock=True)
        require_role(person, Role.SIGNER)
        channels.clear_public(uow, org=person.org, label="the signer's title", text=signer_title)
        agreement, signature = agreement.sign(
            org=person.org, person_id=person.id, name=person.name, title=signer_title,
            digest=digest, at=uow.clock())
        uow.agreements.add_signature(agreement.id, signature)
        record(uow, partnership_log(agreement.partnership_id), person.id, agreement.id,
               AgreementSigned(org=person.org, version=signature.version, digest=digest,
                               status=agreement.status(signature.signed_at).value))
        uow.commit()
    return agreement


def terminate_agreement(uow: UnitOfWork, actor_id: str, agreement_id: str, *, reason: str) -> Agreement:
    """Any party ends the agreement; access to its disclosures ends at once, and the other
    parties are given a notice of termination (services/notices.py)."""
    with uow:
        person = actor(uow, actor_id)
        agreement = visible_agreement(uow, person, agreement_id, lock=True)
        require_role(person, Role.ADMIN, Role.SIGNER)
        agreement = agreement.terminate(org=person.org, person_id=person.id, reason=reason,
                                        at=uow.clock())
        assert agreement.termination is not None
        channels.clear_public(uow, org=person.org, label="the reason", text=agreement.termination.reason)
        uow.agreements.save_termination(agreement)
        record(uow, partnership_log(agreement.partnership_id), person.id, agreement.id,
               AgreementTerminated(org=person.org))
        notices.termination_notice_in(uow, person, agreement)
        uow.commit()
    return agreement


def get_agreement(uow: UnitOfWork, actor_id: str, agreement_id: str) -> Agreement:
    with uow.reading():
        return visible_agreement(uow, actor(uow, actor_id), agreement_id)


def list_agreements(uow: UnitOfWork, actor_id: str, partnership_id: str) -> list[Agreement]:
    with uow.reading():
        return agreements_in(uow, actor(uow, actor_id), partnership_id)


def agreements_in(uow: UnitOfWork, person: Person, partnership_id: str) -> list[Agreement]:
    """`list_agreements` inside a transaction the caller owns."""
    partnership = visible_partnership(uow, person, partnership_id, accepted=True)
    return [a for a in uow.agreements.list_for_partnership(partnership.id)
            if person.org in a.terms.parties]


def _check_parties(partnership: Partnership, person: Person, terms: AgreementTerms) -> None:
    strangers = [p for p in terms.parties if not partnership.has_member(p)]
    if strangers:
        raise InvalidTerms({"parties": f"{', '.join(strangers)} is not in this partnership"})
    if person.org not in terms.parties:
        raise InvalidTerms({"parties": f"your organization, {person.org}, must be a party"})
    pending = [p for p in terms.parties if not partnership.has_accepted(p)]
    if pending:
        raise Conflict(f"{', '.join(pending)} has not accepted the partnership yet")
