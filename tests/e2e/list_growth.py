"""How each paged list of the API grows by `n` rows, who reads it, and its order: shared by
the page-through tests and the statement counts."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sharebound.domain.ids import new_id
from sharebound.domain.notifications import Kind, Notification
from sharebound.domain.representatives import Reshare
from sharebound.domain.terms import Action
from sharebound.services import (
    copies,
    disclosures,
    gate,
    messages,
    notices,
    orgs,
    partnerships,
    representatives,
    requests,
)
from sharebound.services.disclosures import DisclosureDraft
from tests.integration.world import World


def by_time_then_id(row: dict[str, Any]) -> tuple[str, str]:
    return (row["created_at"], row["id"])


@dataclass(frozen=True)
class Growth:
    reader: str  # the email of who reads the list
    path: Callable[[World, Any], str]  # the list's API path (without /api/v1)
    grow: Callable[[World, Any, int], None]  # add `n` rows to it
    prepare: Callable[[World], Any] = lambda world: None  # what the list needs first (its context)
    sort_key: Callable[[dict[str, Any]], Any] = by_time_then_id
    newest_first: bool = True
    rows: str = "items"  # the answer's field holding the page's rows
    id: str = "id"  # each row's field that names it


def _items(world: World, _: Any, n: int) -> None:
    for k in range(n):
        world.note(by=world.alice, body=f"Note {k}")
        if k % 2:  # why: some rows share a time (the id breaks the tie), some do not
            world.app.clock.advance(seconds=1)  # type: ignore[attr-defined]


def _requests(world: World, _: Any, n: int) -> None:
    today = world.app.clock().date()
    for k in range(n):
        made = requests.open_request(world.uow(), world.alice.id, world.partnership.id, title=f"Request {k}",
                                     due_on=today + timedelta(days=1 + (k * 3) % 5), asked_org="globex")
        world.app.clock.advance(seconds=1)  # type: ignore[attr-defined]
        if k % 3 == 0:
            requests.withdraw_request(world.uow(), world.alice.id, made.id)
    world.app.clock.advance(days=2)  # type: ignore[attr-defined]  # why: some are overdue now


def by_urgency(row: dict[str, Any]) -> tuple[Any, ...]:
    """Open ones by due date (the overdue first), then closed ones, most recently closed first."""
    if row["state"] in {"open", "overdue"}:
        return (0, row["due_on"], row["created_at"], row["id"])
    return (1, -datetime.fromisoformat(row["closed_at"]).timestamp())


def _notifications(world: World, _: Any, n: int) -> None:
    """Notifications to gina, written through the repository as the listener writes them."""
    with world.uow() as uow:
        for k in range(n):
            at = world.app.clock() + timedelta(seconds=k // 2)  # why: pairs share a time
            uow.notifications.add(Notification(
                id=new_id("ntf"), person_id=world.gina.id, kind=Kind.DISCLOSED_TO_ME, title=f"Note {k}",
                link="/", event_kind="disclosed", subject=new_id("dis"), created_at=at))
        uow.commit()
    world.app.clock.advance(seconds=n)  # type: ignore[attr-defined]


def _messages(world: World, _: Any, n: int) -> None:
    first = None
    for k in range(n):
        made = messages.post_message(world.uow(), world.alice.id, world.partnership.id, body=f"Message {k}",
                                     reply_to=first if k % 3 == 2 else None)
        first = first or made.id
        if k % 2:  # why: some share a time (the id breaks the tie), some do not
            world.app.clock.advance(seconds=1)  # type: ignore[attr-defined]


def _partnerships(world: World, _: Any, n: int) -> None:
    for k in range(n):
        partnerships.propose_partnership(world.uow(), world.alice.id, name=f"Venture {k}", purpose="other",
                                         invite=["globex", "initech"][: 1 + k % 2])
        if k % 2:  # why: some share a time (the id breaks the tie), some do not
            world.app.clock.advance(seconds=1)  # type: ignore[attr-defined]


def _notices(world: World, agreement_id: str, n: int) -> None:
    for k in range(n):
        by_when = (world.app.clock() + timedelta(days=10)).date().isoformat()
        notices.send_notice(world.uow(), [world.grace, world.alice][k % 2].id, agreement_id, {
            "kind": "compelled_disclosure", "body": f"Notice {k}", "to_whom": "The District Court",
            "order": f"Subpoena {k}", "deadline": by_when})
        if k % 2:  # why: some share a time (the id breaks the tie), some do not
            world.app.clock.advance(seconds=1)  # type: ignore[attr-defined]


def _copies(world: World, agreement_id: str, n: int) -> None:
    """acme discloses a note to gina and grace under the agreement, and one of them downloads it."""
    for k in range(n):
        made = disclosures.disclose(world.uow(), world.mia.id, DisclosureDraft(
            item_id=world.note(), agreement_id=agreement_id,
            recipients=["gina@globex.example", "grace@globex.example"], actions=["view", "download"]))
        copies.download_disclosure(world.uow(), [world.gina, world.grace][k % 2].id, made.id)
        if k % 2:  # why: some share a time (the id breaks the tie), some do not
            world.app.clock.advance(seconds=1)  # type: ignore[attr-defined]


def _people(world: World, _: Any, n: int) -> None:
    for k in range(n):
        name = ["Zoe", "Adam", "Mo"][k % 3]  # why: many share a name (the email breaks the tie)
        orgs.add_person(world.uow(), world.alice.id, org="acme", name=name,
                        email=f"{name.lower()}.{new_id('x')}@acme.example", roles=["member"])


def _representatives(world: World, agreement_id: str, n: int) -> None:
    for k in range(n):
        representatives.name_representative(world.uow(), world.grace.id, agreement_id, {
            "organization": "Precision Parts Ltd", "name": f"Jo {k}",
            "email": f"jo{k}.{new_id('x')}@precision.example", "reason": "Machines the housing"})
        if k % 2:  # why: some share a time (the id breaks the tie), some do not
            world.app.clock.advance(seconds=1)  # type: ignore[attr-defined]


def _reshared(world: World) -> tuple[str, str]:
    """A disclosure to gina, and a representative globex named under its agreement."""
    agreement_id = world.signed().id
    made = disclosures.disclose(world.uow(), world.mia.id, DisclosureDraft(
        item_id=world.note(), agreement_id=agreement_id, recipients=["gina@globex.example"],
        actions=["view", "download"]))
    named = representatives.name_representative(world.uow(), world.grace.id, agreement_id, {
        "organization": "Precision Parts Ltd", "name": "Jo Smith", "email": "jo@precision.example",
        "reason": "Machines the housing from the drawing"})
    return made.id, named.id


def _reshares(world: World, context: tuple[str, str], n: int) -> None:
    """Re-shares written through the repository, as history would hold them."""
    disclosure_id, representative_id = context
    with world.uow() as uow:
        now = world.app.clock()
        for k in range(n):
            uow.representatives.add_reshare(Reshare(
                id=new_id("rsh"), disclosure_id=disclosure_id, representative_id=representative_id,
                org="globex", shared_by=world.grace.id, actions=frozenset({Action.VIEW}),
                created_at=now + timedelta(seconds=k // 2), expires_at=now + timedelta(days=30)))
        uow.commit()
    world.app.clock.advance(seconds=n)  # type: ignore[attr-defined]


def _terms(world: World, _: Any, n: int) -> None:
    for k in range(n):
        gate.add_term(world.uow(), world.alice.id, "acme", f"Codename {new_id('x')[-8:]} {k}")
        if k % 2:  # why: some share a time (the id breaks the tie), some do not
            world.app.clock.advance(seconds=1)  # type: ignore[attr-defined]


def _in_partnership(tail: str) -> Callable[[World, Any], str]:
    return lambda w, _: f"/partnerships/{w.partnership.id}/{tail}"


def _under_agreement(tail: str) -> Callable[[World, str], str]:
    return lambda w, agreement_id: f"/agreements/{agreement_id}/{tail}"


def _signed(world: World) -> str:
    return world.signed().id


ACME, GLOBEX, GINA = "alice@acme.example", "grace@globex.example", "gina@globex.example"
GROW: dict[str, Growth] = {
    "crown-jewel terms": Growth(reader=ACME, path=lambda w, _: "/orgs/acme/crown-jewels", grow=_terms,
                                newest_first=False, sort_key=lambda row: (row["added_at"], row["id"])),
    "representatives": Growth(reader=GLOBEX, path=_under_agreement("representatives"), prepare=_signed,
                              grow=_representatives, sort_key=lambda row: (row["named_at"], row["id"])),
    "re-shares": Growth(reader=ACME, path=lambda w, context: f"/disclosures/{context[0]}/reshares",
                        prepare=_reshared, grow=_reshares),
    "people": Growth(reader=ACME, path=lambda w, _: "/orgs/acme/people", grow=_people,
                     newest_first=False, sort_key=lambda row: (row["name"], row["email"])),
    "copies to return": Growth(reader=GLOBEX, path=_under_agreement("copies"), prepare=_signed, grow=_copies,
                               newest_first=False, rows="copies", id="access_id",
                               sort_key=lambda row: (row["at"], row["access_id"])),
    "notices": Growth(reader=ACME, path=_under_agreement("notices"), prepare=_signed, grow=_notices),
    "partnerships": Growth(reader=ACME, path=lambda w, _: "/partnerships", grow=_partnerships,
                           newest_first=False),
    "messages": Growth(reader=GLOBEX, path=_in_partnership("messages"), grow=_messages, newest_first=False),
    "notifications": Growth(reader=GINA, path=lambda w, _: "/notifications", grow=_notifications),
    "requests": Growth(reader=GLOBEX, path=_in_partnership("requests"), grow=_requests, sort_key=by_urgency,
                       newest_first=False),
    "items": Growth(reader=ACME, path=lambda w, _: "/items", grow=_items, newest_first=False),
}
