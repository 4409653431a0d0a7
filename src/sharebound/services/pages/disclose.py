"""The disclose form: what may be disclosed, under which agreement, to whom."""

from __future__ import annotations

from dataclasses import dataclass

from sharebound.domain.agreements import ENDED, Agreement
from sharebound.domain.errors import PermissionDenied
from sharebound.domain.items import Item
from sharebound.domain.orgs import Person
from sharebound.domain.partnerships import Partnership
from sharebound.domain.rules import may_receive
from sharebound.services.agreements import agreements_in
from sharebound.services.common import actor, visible_partnership
from sharebound.services.partnerships import partner_people_in
from sharebound.services.requests import RequestView, request_view_in
from sharebound.services.unit_of_work import UnitOfWork


@dataclass(frozen=True)
class PickPartnership:
    """No partnership chosen, and not exactly one to choose from: the person picks one."""

    partnerships: list[Partnership]  # those the person's org has accepted
    unread: int


@dataclass(frozen=True)
class DiscloseForm:
    partnership: Partnership
    items: list[Item]  # the org's items; restricted ones too: the preview then says why not
    agreements: list[Agreement]  # the partnership's agreements of the org that have not ended
    chosen: Agreement | None  # the one asked for, or the newest
    people: list[Person]  # the partners' people the chosen agreement allows as recipients
    not_allowed: list[Person]  # the others: shown, not offered
    answering: RequestView | None  # the request this disclosure answers
    unread: int


def disclose_form(
    uow: UnitOfWork, actor_id: str, *, partnership_id: str = "", agreement_id: str = "",
    request_id: str = "", closed_request: bool = False,
) -> DiscloseForm | PickPartnership:
    """The form's choices. A request that may not be answered now is refused (PermissionDenied),
    or, with `closed_request` (a form already sent, whose request closed meanwhile), left out."""
    with uow.reading():
        person = actor(uow, actor_id)
        unread = uow.notifications.unread_count(person.id)
        try:
            answering = answering_in(uow, person, request_id)
        except PermissionDenied:
            if not closed_request:
                raise
            answering = None
        if answering is not None:
            partnership_id = answering.request.partnership_id
        if not partnership_id:
            mine = [p for p in uow.partnerships.list_for_org(person.org) if p.has_accepted(person.org)]
            if len(mine) != 1:
                return PickPartnership(partnerships=mine, unread=unread)
            partnership_id = mine[0].id
        partnership = visible_partnership(uow, person, partnership_id)
        now = uow.clock()
        usable = [a for a in agreements_in(uow, person, partnership_id) if a.status(now) not in ENDED]
        chosen = next((a for a in usable if a.id == agreement_id), usable[-1] if usable else None)
        people = partner_people_in(uow, person, visible_partnership(uow, person, partnership_id,
                                                                    accepted=True))
        terms = chosen.governing_version(now).terms if chosen else None
        allowed = [p for p in people if terms is not None and may_receive(person.org, p, terms)]
        return DiscloseForm(
            partnership=partnership, items=uow.items.list_for_org(person.org), agreements=usable,
            chosen=chosen, people=allowed, not_allowed=[p for p in people if p not in allowed],
            answering=answering, unread=unread)


def answering_in(uow: UnitOfWork, person: Person, request_id: str) -> RequestView | None:
    """The request a disclosure would answer, if the person may answer it now."""
    if not request_id:
        return None
    view = request_view_in(uow, person, request_id)
    if view.request.asked_org != person.org or not view.request.is_open:
        raise PermissionDenied(f"this request is {view.request.state.value} and asked of "
                               f"{view.request.asked_org}: you cannot answer it")
    return view
