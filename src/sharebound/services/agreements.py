"""Agreements: draft, amend, sign, terminate, read."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from sharebound.domain.agreements import Agreement, new_agreement
from sharebound.domain.audit import partnership_log
from sharebound.domain.cover import UploadedDocument
from sharebound.domain.errors import Conflict, InvalidTerms, NotFound
from sharebound.domain.esign import NO_CLIENT, Client, SignatureEvidence
from sharebound.domain.events import AgreementAmended, AgreementDrafted, AgreementSigned, AgreementTerminated
from sharebound.domain.ids import new_id
from sharebound.domain.orgs import Person, Role
from sharebound.domain.partnerships import Partnership
from sharebound.domain.second_factors import FactorProof
from sharebound.domain.standard_terms import StandardTerms
from sharebound.domain.terms import AgreementTerms
from sharebound.services import channels, esign, executed, notices, reauth
from sharebound.services.agreement_terms import complete_terms
from sharebound.services.common import (
    actor,
    record,
    require_role,
    required_text,
    visible_agreement,
    visible_partnership,
)
from sharebound.services.second_factors import verify_fresh_factor
from sharebound.services.unit_of_work import UnitOfWork
from sharebound.services.uploaded_ndas import governing_nda_in


def draft_agreement(uow: UnitOfWork, actor_id: str, partnership_id: str, terms: Any) -> Agreement:
    """Version 1 of an NDA between accepted members of a partnership; nobody has signed it."""
    with uow:
        person = actor(uow, actor_id)
        partnership = visible_partnership(uow, person, partnership_id, accepted=True)
        require_role(person, Role.ADMIN, Role.SIGNER)
        parsed, standard = complete_terms(uow, terms)
        _check_parties(partnership, person, parsed)
        _check_uploaded(uow, partnership, parsed)
        _clear_cover(uow, person, parsed)
        now = uow.clock()
        agreement = new_agreement(new_id("agr"), partnership.id, parsed, by=person.id, at=now,
                                  standard=standard)
        uow.agreements.add(agreement)
        record(uow, partnership_log(partnership.id), person.id, agreement.id,
               AgreementDrafted(version=1, digest=agreement.current.digest))
        uow.commit()
    return agreement


def _clear_cover(uow: UnitOfWork, person: Person, terms: AgreementTerms) -> None:
    """The parties read the terms' free text before any agreement is in force: public text,
    through the content gate, like a proposal's name."""
    details = terms.party_details or {}
    for label, text in (("the purpose", terms.purpose), ("the governing law", terms.governing_law),
                        ("the courts", terms.courts), ("the modifications", terms.modifications),
                        *((f"{handle}'s legal details", "\n".join(
                            (d.legal_name, d.address, d.notice.name, d.notice.address)))
                          for handle, d in sorted(details.items()))):
        if not text:
            continue
        channels.clear_public(uow, org=person.org, label=label, text=text or "")


def amend_agreement(uow: UnitOfWork, actor_id: str, agreement_id: str, terms: Any) -> Agreement:
    """A new version: every party signs again; the signed version stays in force meanwhile."""
    with uow:
        person = actor(uow, actor_id)
        agreement = visible_agreement(uow, person, agreement_id, lock=True)
        require_role(person, Role.ADMIN, Role.SIGNER)
        partnership = visible_partnership(uow, person, agreement.partnership_id, accepted=True)
        parsed, standard = complete_terms(uow, terms)
        _check_parties(partnership, person, parsed)
        _check_uploaded(uow, partnership, parsed)
        _clear_cover(uow, person, parsed)
        agreement = agreement.amend(parsed, by=person.id, at=uow.clock(), standard=standard)
        uow.agreements.add_version(agreement.id, agreement.current)
        record(uow, partnership_log(partnership.id), person.id, agreement.id,
               AgreementAmended(version=agreement.current.number, digest=agreement.current.digest))
        uow.commit()
    return agreement


def sign_agreement(
    uow: UnitOfWork, actor_id: str, agreement_id: str, *, digest: str, title: str,
    password: str | None, client: Client = NO_CLIENT, second_factor: FactorProof | None = None,
    session_cookie: str | None = None,
) -> Agreement:
    """A signer signs the current version for their org; `digest` must be that version's.

    The signer needs an active e-sign consent (services/esign.py) and confirms it is them now:
    `password` (services/reauth.py), and a fresh `second_factor` when they have one
    (services/second_factors.py). The signature's evidence (who, the digest, when, every method
    they confirmed with, the consent, `client`'s address and user agent) is written with it,
    once, and in its audit event."""
    signer_title = required_text("title", title, 200)
    client = client.clipped()
    with uow:
        person = actor(uow, actor_id)
        agreement = visible_agreement(uow, person, agreement_id, lock=True)
        require_role(person, Role.SIGNER)
        consent = esign.required_consent(uow, person)
        methods = reauth.confirm_identity(uow, person, password=password, address=client.address,
                                          session_cookie=session_cookie)
        # why before anything is written: a wrong factor is counted and committed
        methods += signing_methods(verify_fresh_factor(uow, person, second_factor))
        channels.clear_public(uow, org=person.org, label="the signer's title", text=signer_title)
        # why the user agent too: the other parties read it in the signature's evidence
        channels.clear_public(uow, org=person.org, label="your browser's user agent",
                              text=client.user_agent)
        agreement, signature = agreement.sign(
            org=person.org, person_id=person.id, name=person.name, title=signer_title,
            digest=digest, at=uow.clock())
        uow.agreements.add_signature(agreement.id, signature)
        evidence = SignatureEvidence(
            id=new_id("sev"), agreement_id=agreement.id, version=signature.version,
            org=person.org, org_legal_name=executed.legal_name(uow, agreement.current, person.org),
            person_id=person.id, name=signature.name, email=person.email, title=signature.title,
            digest=digest, signed_at=signature.signed_at, methods=methods, consent_id=consent.id,
            consent_version=consent.statement_version, consent_at=consent.at,
            address=client.address, user_agent=client.user_agent)
        uow.esign.add_evidence(evidence)
        agreement = replace(agreement, signatures=(*agreement.signatures[:-1],
                                                   replace(signature, evidence=evidence)))
        record(uow, partnership_log(agreement.partnership_id), person.id, agreement.id,
               AgreementSigned(org=person.org, version=signature.version, digest=digest,
                               status=agreement.status(signature.signed_at).value,
                               evidence=evidence.id, methods=methods, consent=consent.id,
                               address=client.address, user_agent=client.user_agent))
        uow.commit()
    return agreement


def signing_methods(second_factor: str | None) -> tuple[str, ...]:
    """The second-factor methods a signature's evidence lists (none, or the one used)."""
    return (second_factor,) if second_factor else ()


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


def _check_uploaded(uow: UnitOfWork, partnership: Partnership, terms: AgreementTerms) -> None:
    """An uploaded NDA named as the governing document is one uploaded to this partnership,
    named by its stored SHA-256, file name and type (`InvalidTerms` otherwise)."""
    document = terms.governing_document
    if isinstance(document, UploadedDocument):
        governing_nda_in(uow, partnership.id, document_id=document.document_id,
                         sha256=document.sha256, filename=document.filename,
                         media_type=document.media_type)


def _check_parties(partnership: Partnership, person: Person, terms: AgreementTerms) -> None:
    strangers = [p for p in terms.parties if not partnership.has_member(p)]
    if strangers:
        raise InvalidTerms({"parties": f"{', '.join(strangers)} is not in this partnership"})
    if person.org not in terms.parties:
        raise InvalidTerms({"parties": f"your organization, {person.org}, must be a party"})
    pending = [p for p in terms.parties if not partnership.has_accepted(p)]
    if pending:
        raise Conflict(f"{', '.join(pending)} has not accepted the partnership yet")


def list_standard_terms(uow: UnitOfWork, actor_id: str) -> list[StandardTerms]:
    """Every released version of the standard terms, for anyone signed in."""
    with uow.reading():
        actor(uow, actor_id)
    return list(uow.standard_terms)


def get_standard_terms(uow: UnitOfWork, actor_id: str, ident: str, version: str) -> StandardTerms:
    """One released version, its text exactly as released."""
    with uow.reading():
        actor(uow, actor_id)
    found = uow.standard_terms.get(ident, version)
    if found is None:
        raise NotFound("standard terms", f"{ident} {version}")
    return found
