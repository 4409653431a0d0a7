"""A disclosure's page, as its discloser or a recipient sees it."""

from __future__ import annotations

from dataclasses import dataclass

from sharebound.domain.items import ItemKind
from sharebound.domain.terms import AgreementTerms
from sharebound.services.common import actor, visible_agreement
from sharebound.services.disclosures import visible_disclosure
from sharebound.services.register import DisclosureView, view_disclosure_in
from sharebound.services.unit_of_work import UnitOfWork


@dataclass(frozen=True)
class DisclosurePage:
    view: DisclosureView  # a note's body when a recipient may view it now (the view recorded)
    terms: AgreementTerms  # of the agreement version it was made under
    mine: bool  # the viewer's org disclosed it
    recipient: bool  # the viewer is a recipient (the org's admins and signers see metadata only)
    opens_view: bool  # a recipient's view-only copy of a file is to be opened (copies.open_view)
    unread: int


def disclosure_page(uow: UnitOfWork, actor_id: str, disclosure_id: str) -> DisclosurePage:
    with uow:  # why not reading(): a recipient's view of a note is recorded in it
        person = actor(uow, actor_id)
        disclosure = visible_disclosure(uow, person, disclosure_id)
        agreement = visible_agreement(uow, person, disclosure.agreement_id)
        unread = uow.notifications.unread_count(person.id)
        view = view_disclosure_in(uow, person, disclosure_id)  # last: it commits the view
    mine = disclosure.discloser == person.org
    recipient = person.id in disclosure.recipients
    return DisclosurePage(
        view=view, terms=agreement.version(disclosure.agreement_version).terms, mine=mine,
        recipient=recipient,
        opens_view=view.item_kind is not ItemKind.NOTE and recipient and "view" in disclosure.actions,
        unread=unread)
