"""A disclosure's page, as its discloser or a recipient sees it."""

from __future__ import annotations

from dataclasses import dataclass

from sharebound.domain.items import ItemKind
from sharebound.domain.representatives import Representative, RepresentativeState
from sharebound.domain.stamps import IMAGE_TYPES, PDF
from sharebound.domain.terms import AgreementTerms
from sharebound.services.common import actor, visible_agreement
from sharebound.services.disclosures import guest_reshare, receiving_orgs, visible_disclosure
from sharebound.services.page_views import PageViewReport, may_see_page_views, page_views_in
from sharebound.services.register import DisclosureView, record_view, view_disclosure_in
from sharebound.services.reshares import ReshareView, reshares_for_discloser
from sharebound.services.unit_of_work import UnitOfWork

PAGED = frozenset({PDF, *IMAGE_TYPES})  # what view only shows as page images, counted per page


@dataclass(frozen=True)
class DisclosurePage:
    view: DisclosureView  # a note's body when a recipient may view it now (the view recorded)
    terms: AgreementTerms  # of the agreement version it was made under
    mine: bool  # the viewer's org disclosed it
    recipient: bool  # the viewer is a recipient (the org's admins and signers see metadata only)
    opens_view: bool  # a recipient's view-only copy of a file is to be opened (copies.open_view)
    unread: int
    actions: frozenset[str] = frozenset()  # what the reader may do (a guest: the re-share's)
    guest: bool = False  # a representative reading what was re-shared to them
    guest_via: str = ""  # for a guest: "acme → globex"
    reshares: tuple[ReshareView, ...] = ()  # for the discloser and the receiving org
    # the receiving org's approved representatives it may re-share this disclosure to
    representatives: tuple[Representative, ...] = ()
    # which pages each recipient opened and for how long: for the discloser's admins and signers
    # and the person who disclosed, when view only shows the file as page images (PDF, image)
    page_views: PageViewReport | None = None


def disclosure_page(uow: UnitOfWork, actor_id: str, disclosure_id: str) -> DisclosurePage:
    with uow.reading():  # a recipient's view of a note is recorded after it (record_view)
        person = actor(uow, actor_id)
        disclosure = visible_disclosure(uow, person, disclosure_id)
        via = guest_reshare(uow, person, disclosure)
        if via is not None:  # a guest: the agreement is not theirs to open, its terms bind them
            found = uow.agreements.get(disclosure.agreement_id)
            assert found is not None
            agreement = found
        else:
            agreement = visible_agreement(uow, person, disclosure.agreement_id)
        unread = uow.notifications.unread_count(person.id)
        mine = disclosure.discloser == person.org
        receiving = via is None and not mine and (
            person.id in disclosure.recipients or person.org in receiving_orgs(uow, disclosure))
        shares = tuple(reshares_for_discloser(uow, [disclosure]).get(disclosure.id, ())) \
            if mine or receiving else ()
        candidates = tuple(r for r in uow.representatives.of_agreement(agreement.id)
                           if r.org == person.org and r.state is RepresentativeState.APPROVED
                           and r.decided_org == disclosure.discloser) if receiving else ()
        pages = (page_views_in(uow, disclosure) if mine and may_see_page_views(person, disclosure)
                 else None)
        viewed = view_disclosure_in(uow, person, disclosure_id)
    view = record_view(uow, person, viewed)
    recipient = person.id in disclosure.recipients
    if via is not None:
        actions = frozenset(via[0].actions & disclosure.actions)
        return DisclosurePage(
            view=view, terms=agreement.version(disclosure.agreement_version).terms, mine=False,
            recipient=False, opens_view="view" in actions, unread=unread, actions=actions,
            guest=True, guest_via=f"{disclosure.discloser} → {via[1].org}")
    return DisclosurePage(
        view=view, terms=agreement.version(disclosure.agreement_version).terms, mine=mine,
        recipient=recipient,
        opens_view=view.item_kind is not ItemKind.NOTE and recipient and "view" in disclosure.actions,
        unread=unread, actions=frozenset(disclosure.actions), reshares=shares,
        representatives=candidates,
        page_views=pages if pages is not None and view.media_type in PAGED else None)
