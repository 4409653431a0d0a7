"""An agreement's page: its terms as text, its status, signatures, copies to return (ours, and
those owed to us), and its notices."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sharebound.domain.agreements import Agreement, AgreementStatus, Signature
from sharebound.domain.cover import StandardDocument, UploadedDocument
from sharebound.domain.errors import DamagedRecord
from sharebound.domain.esign import CURRENT_STATEMENT, Consent, ConsentStatement
from sharebound.domain.notices import Notice
from sharebound.domain.representatives import Representative
from sharebound.domain.returns import ReturnList
from sharebound.domain.second_factors import FactorStatus
from sharebound.domain.standard_terms import StandardTerms
from sharebound.domain.terms import AgreementTerms, RecipientMode
from sharebound.services.common import actor, visible_agreement
from sharebound.services.disclosures import answers_for_org
from sharebound.services.notices import notices_in
from sharebound.services.returns import copies_to_return_in, returns_owed_in
from sharebound.services.second_factors import status_of
from sharebound.services.unit_of_work import UnitOfWork
from sharebound.services.uploaded_ndas import DocumentView, view_in


@dataclass(frozen=True)
class AgreementPage:
    agreement: Agreement
    now: datetime
    status: AgreementStatus
    my_signature: Signature | None  # my org's signature of the current version
    to_return: ReturnList
    text: str  # the current version as signed: its document's exact text
    standard_terms: StandardTerms | None  # the standard terms the current version names
    confidentiality: str  # "confidential until 2030-12-01", or why there is no date yet
    unread: int
    consent: Consent | None  # my active e-sign consent (signing needs one)
    statement: ConsentStatement  # what I consent to, when I have not
    executed_version: int | None  # the version whose executed copy a party may download
    #: the people a named-recipient schedule names who were deactivated ("x@y is inactive")
    inactive_named: list[str]
    factors: FactorStatus  # mine: signing asks for a fresh one when I have one
    notices: list[Notice]  # given or received by my org, newest first
    owed: list[ReturnList]  # per other party, what it owes my org back (admins and signers)
    nda: DocumentView | None = None  # the uploaded NDA that governs the current version, view only
    representatives: list[Representative] = field(default_factory=list)  # named under it, newest first


def agreement_page(uow: UnitOfWork, actor_id: str, agreement_id: str) -> AgreementPage:
    with uow.reading():
        person = actor(uow, actor_id)
        agreement = visible_agreement(uow, person, agreement_id)
        now = uow.clock()
        current = agreement.current
        return AgreementPage(
            agreement=agreement, now=now, status=agreement.status(now),
            my_signature=next((s for s in agreement.signatures_of(current) if s.org == person.org), None),
            to_return=copies_to_return_in(uow, person, agreement),
            text=current.text,
            standard_terms=standard_terms_of(uow, current.terms.governing_document),
            confidentiality=agreement.confidentiality(now),
            unread=uow.notifications.unread_count(person.id),
            consent=uow.esign.active_consent(person.id), statement=CURRENT_STATEMENT,
            executed_version=signed.number if (signed := agreement.signed_version) else None,
            nda=_uploaded_nda(uow, current.terms), factors=status_of(uow, person),
            inactive_named=_inactive_named(uow, agreement, now),
            notices=notices_in(uow, person, agreement),
            owed=returns_owed_in(uow, person, agreement) if answers_for_org(person) else [],
            representatives=uow.representatives.of_agreement(agreement.id))


def standard_terms_of(uow: UnitOfWork, document: object) -> StandardTerms | None:
    """The released text a version names, exactly as released (whatever versions shipped
    since); refused loudly if the package no longer has it."""
    if not isinstance(document, StandardDocument):
        return None
    found = uow.standard_terms.get(document.id, document.version)
    if found is None:
        raise DamagedRecord(f"the standard terms {document.id} {document.version} that an agreement "
                            "names are missing from this installation")
    return found


def _uploaded_nda(uow: UnitOfWork, terms: AgreementTerms) -> DocumentView | None:
    governing = terms.governing_document
    if not isinstance(governing, UploadedDocument):
        return None
    document = uow.uploaded_ndas.get(governing.document_id)
    return view_in(uow, document) if document is not None else None


def _inactive_named(uow: UnitOfWork, agreement: Agreement, now: datetime) -> list[str]:
    recipients = agreement.governing_version(now).terms.schedule.recipients
    if recipients.mode is not RecipientMode.NAMED:
        return []
    found = uow.orgs.people_by_emails(recipients.people)
    return sorted(email for email, p in found.items() if not p.active)
