"""An agreement's page: its terms as text, its status, signatures and copies to return."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sharebound.domain.agreements import Agreement, AgreementStatus, Signature
from sharebound.domain.nda_text import render_text
from sharebound.domain.returns import ReturnList
from sharebound.domain.second_factors import FactorStatus
from sharebound.services.common import actor, visible_agreement
from sharebound.services.returns import copies_to_return_in
from sharebound.services.second_factors import status_of
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
    factors: FactorStatus  # mine: signing asks for a fresh one when I have one


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
            unread=uow.notifications.unread_count(person.id), factors=status_of(uow, person))
