"""An information request's page: the request, its history, and what may answer it."""

from __future__ import annotations

from dataclasses import dataclass

from sharebound.domain.orgs import Person
from sharebound.domain.requests import RequestState
from sharebound.services.common import actor
from sharebound.services.requests import RequestView, request_view_in
from sharebound.services.unit_of_work import UnitOfWork


@dataclass(frozen=True)
class RequestPage:
    view: RequestView
    state: RequestState  # now, overdue included
    asked_people: list[Person]  # the asked org's people, by name: who it may be assigned to
    unread: int


def request_page(uow: UnitOfWork, actor_id: str, request_id: str) -> RequestPage:
    with uow.reading():
        person = actor(uow, actor_id)
        view = request_view_in(uow, person, request_id)
        asked = [p for p in view.people.values() if p.org == view.request.asked_org]
        return RequestPage(view=view, state=view.request.state_at(uow.clock()),
                           asked_people=sorted(asked, key=lambda p: p.name),
                           unread=uow.notifications.unread_count(person.id))
