"""An agreement's page: its terms as text, its status, signatures, copies to return (ours, and
those owed to us), and its notices."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sharebound.domain.agreements import Agreement, AgreementStatus, Signature
from sharebound.domain.nda_text import render_text
from sharebound.domain.notices import Notice
from sharebound.domain.returns import ReturnList
from sharebound.services.common import actor, visible_agreement
from sharebound.services.disclosures import answers_for_org
from sharebound.services.notices import notices_in
from sharebound.services.returns import copies_to_return_in, returns_owed_in
from sharebound.services.unit_of_work import UnitOfWork


@dataclass(frozen=True)
class AgreementPage:
    agreement: Agreement
    now: datetime
    status: AgreementStatus
    my_signature: Signature | None  # my org's signature of the current version
    to_return: ReturnList
    text: str  # the current version, rendered
    unread: int
    notices: list[Notice]  # given or received by my org, newest first
    owed: list[ReturnList]  # per other party, what it owes my org back (admins and signers)


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
            text=render_text(current.terms, current.number, current.digest),
            unread=uow.notifications.unread_count(person.id),
            notices=notices_in(uow, person, agreement),
            owed=returns_owed_in(uow, person, agreement) if answers_for_org(person) else [])
