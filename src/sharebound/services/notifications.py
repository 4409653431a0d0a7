"""Who hears of an event: notifications and their outbox rows, in the event's own transaction.

`fan_out` is called by services/common.record for every event. For the kinds that concern
people it writes a notification per person (never the actor), an email outbox row for those
who want that kind at once, and a webhook outbox row per org webhook that hears of the kind.
The worker (services/worker.py) delivers the outbox later: nothing is lost if it is down.

Who hears of what (the parties' "admins and signers" are the people who answer for an NDA):

    disclosure_made                      its recipients                       disclosed_to_me
    request_opened / request_assigned    the assignee, else the asked org's admins  request_assigned
    request_withdrawn                    the same                             request_assigned
    request_answered / request_declined  the asker                            request_answered
    agreement_drafted / _amended         signers of parties that have not signed it  signature_needed
    agreement_amended                    the parties' admins and signers      agreement_amended
    agreement_signed (by every party)    the parties' admins and signers      agreement_signed
    agreement_terminated                 the parties' admins and signers      agreement_terminated
    message_posted with mentions         the people mentioned                 mentioned
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sharebound.domain.audit import Event, org_log
from sharebound.domain.ids import new_id
from sharebound.domain.notifications import (
    DEFAULT_MODE,
    Kind,
    Mode,
    Notification,
    message_link,
    parse_preferences,
    request_link,
    with_defaults,
)
from sharebound.domain.orgs import Person, Role
from sharebound.services.unit_of_work import UnitOfWork


@dataclass(frozen=True, slots=True)
class Told:
    person: Person
    kind: Kind
    title: str
    link: str


def fan_out(uow: UnitOfWork, event: Event) -> list[Notification]:
    """Notify whom `event` concerns; called inside the event's transaction."""
    handler = HANDLERS.get(event.kind)
    if handler is None:
        return []
    return notify(uow, handler(uow, event), event_kind=event.kind, subject=event.subject,
                  actor_id=event.actor, at=event.at)


def notify(uow: UnitOfWork, told: Iterable[Told], *, event_kind: str, subject: str,
           actor_id: str | None, at: datetime) -> list[Notification]:
    """Write the notifications (one per person: the first, most specific, wins) and their
    outbox rows. Used by the fan-out and by the reminders."""
    made: list[tuple[Notification, Person]] = []
    seen: set[str] = {actor_id} if actor_id else set()
    for t in told:
        if t.person.id in seen:
            continue
        seen.add(t.person.id)
        note = Notification(id=new_id("ntf"), person_id=t.person.id, kind=t.kind, title=t.title[:500],
                            link=t.link, event_kind=event_kind, subject=subject, created_at=at)
        uow.notifications.add(note)
        mode = uow.notifications.preferences(t.person.id).get(t.kind, DEFAULT_MODE)
        if mode is Mode.INSTANT:
            uow.outbox.add(id=new_id("obx"), channel="email", at=at, payload={},
                           notification_id=note.id, person_id=t.person.id)
        made.append((note, t.person))
    if made:
        _webhook_rows(uow, made, event_kind=event_kind, subject=subject, at=at)
    return [note for note, _ in made]


def _webhook_rows(uow: UnitOfWork, made: list[tuple[Notification, Person]], *, event_kind: str,
                  subject: str, at: datetime) -> None:
    """One delivery per webhook and kind, naming the org's people told. Its body is fixed now,
    so that every retry sends (and signs) the very same bytes. It carries ids and links, no
    titles: the endpoint is the org's, while a title (a disclosure's) may be for one person
    only; the receiver reads details through the API, which applies the visibility rules."""
    for hook in uow.webhooks.list_for_orgs({person.org for _, person in made}):
        ours = [(n, p) for n, p in made if p.org == hook.org and hook.hears(n.kind)]
        for kind in sorted({n.kind for n, _ in ours}):
            of_kind = [(n, p) for n, p in ours if n.kind is kind]
            entry_id = new_id("obx")
            body: dict[str, Any] = {
                "id": entry_id, "type": kind.value, "event": event_kind, "subject": subject,
                "org": hook.org, "at": at.isoformat(), "link": of_kind[0][0].link,
                "people": sorted(p.id for _, p in of_kind)}
            uow.outbox.add(id=entry_id, channel="webhook", at=at, payload=body, webhook_id=hook.id)


# --- who hears of what -----------------------------------------------------------------------

def _partnership_id(event: Event) -> str:
    return event.log.partition(":")[2]


def _partnership_name(uow: UnitOfWork, event: Event) -> str:
    found = uow.partnerships.get(_partnership_id(event))
    return found.name if found else "a partnership"


def people_named(uow: UnitOfWork, ids: Iterable[str | None]) -> list[Person]:
    found = (uow.orgs.get_person(i) for i in ids if i)
    return [p for p in found if p is not None]


def people_with_roles(uow: UnitOfWork, orgs: Iterable[str], *roles: Role) -> list[Person]:
    return [p for org in orgs for p in uow.orgs.people_of(org) if p.roles & set(roles)]


def _disclosed(uow: UnitOfWork, event: Event) -> list[Told]:
    disclosure = uow.disclosures.get(event.subject)
    if disclosure is None:
        return []
    title = f"{disclosure.discloser} disclosed “{disclosure.item_title}” to you"
    return [Told(p, Kind.DISCLOSED_TO_ME, title, f"/disclosures/{disclosure.id}")
            for p in people_named(uow, sorted(disclosure.recipients))]


def _request_to_answerer(uow: UnitOfWork, event: Event) -> list[Told]:
    data = event.data
    people = (people_named(uow, [data.get("assignee")])
              or people_with_roles(uow, [str(data.get("asked_org"))], Role.ADMIN))
    what = {"request_opened": "asks", "request_assigned": "asks (assigned to you)",
            "request_withdrawn": "withdrew its request"}[event.kind]
    due = f", due {data['due_on']}" if data.get("due_on") and event.kind != "request_withdrawn" else ""
    title = f"{data.get('asker_org')} {what}: “{data.get('title', '')}”{due}"
    return [Told(p, Kind.REQUEST_ASSIGNED, title, request_link(event.subject)) for p in people]


def _request_to_asker(uow: UnitOfWork, event: Event) -> list[Told]:
    data = event.data
    how = "answered" if event.kind == "request_answered" else "declined"
    title = f"{data.get('asked_org')} {how} your request “{data.get('title', '')}”"
    return [Told(p, Kind.REQUEST_ANSWERED, title, request_link(event.subject))
            for p in people_named(uow, [data.get("asker")])]


def _mentioned(uow: UnitOfWork, event: Event) -> list[Told]:
    mentions = event.data.get("mentions") or []
    if not mentions:
        return []
    author = uow.orgs.get_person(event.actor) if event.actor else None
    partnership = uow.partnerships.get(_partnership_id(event))
    if partnership is None:
        return []
    who = author.name if author else "Someone"
    title = f"{who} mentioned you in {partnership.name}"
    link = message_link(partnership.id, event.subject)
    # only people of the partnership's accepted orgs can be told (a mention cannot reach outside)
    return [Told(p, Kind.MENTIONED, title, link) for p in people_named(uow, mentions)
            if partnership.has_accepted(p.org)]


def _agreement(uow: UnitOfWork, event: Event) -> list[Told]:
    agreement = uow.agreements.get(event.subject)
    if agreement is None:
        return []
    name = _partnership_name(uow, event)
    link = f"/agreements/{agreement.id}"
    parties = agreement.terms.parties
    version = agreement.current.number
    told: list[Told] = []
    if event.kind in ("agreement_drafted", "agreement_amended"):
        signed = {s.org for s in agreement.signatures_of(agreement.current)}
        title = f"The NDA in {name} (version {version}) waits for your signature"
        told += [Told(p, Kind.SIGNATURE_NEEDED, title, link)
                 for p in people_with_roles(uow, [o for o in parties if o not in signed], Role.SIGNER)]
    caring = people_with_roles(uow, parties, Role.ADMIN, Role.SIGNER)
    if event.kind == "agreement_amended":
        title = f"The NDA in {name} was amended (version {version}); every party signs again"
        told += [Told(p, Kind.AGREEMENT_AMENDED, title, link) for p in caring]
    elif event.kind == "agreement_signed" and agreement.is_fully_signed(agreement.current):
        state = "is in force" if event.data.get("status") == "in_force" else "takes effect on its date"
        title = f"The NDA in {name} (version {version}) is signed by every party and {state}"
        told += [Told(p, Kind.AGREEMENT_SIGNED, title, link) for p in caring]
    elif event.kind == "agreement_terminated":
        title = f"The NDA in {name} was terminated by {event.data.get('org')}"
        told += [Told(p, Kind.AGREEMENT_TERMINATED, title, link) for p in caring]
    return told


HANDLERS: dict[str, Callable[[UnitOfWork, Event], list[Told]]] = {
    "disclosure_made": _disclosed,
    "request_opened": _request_to_answerer,
    "request_assigned": _request_to_answerer,
    "request_withdrawn": _request_to_answerer,
    "request_answered": _request_to_asker,
    "request_declined": _request_to_asker,
    "message_posted": _mentioned,
    "agreement_drafted": _agreement,
    "agreement_amended": _agreement,
    "agreement_signed": _agreement,
    "agreement_terminated": _agreement,
}


# --- use cases: a person's own notifications and preferences -----------------------------------

def _me(uow: UnitOfWork, actor_id: str) -> Person:
    from sharebound.services.common import actor  # why here: common imports this module
    return actor(uow, actor_id)


def list_notifications(uow: UnitOfWork, actor_id: str, *, unread: bool = False
                       ) -> tuple[list[Notification], int]:
    """Your notifications, newest first, and how many are unread."""
    with uow.reading():
        person = _me(uow, actor_id)
        return (uow.notifications.list_for(person.id, unread=unread),
                uow.notifications.unread_count(person.id))


def unread_count(uow: UnitOfWork, actor_id: str) -> int:
    with uow.reading():
        return uow.notifications.unread_count(actor_id)


def mark_read(uow: UnitOfWork, actor_id: str, ids: list[str] | None) -> int:
    """Mark your notifications read (all of them when `ids` is None); the unread left.

    A read marker is the person's own state, not the shared record: no audit event."""
    with uow:
        person = _me(uow, actor_id)
        uow.notifications.mark_read(person.id, ids, uow.clock())
        left = uow.notifications.unread_count(person.id)
        uow.commit()
    return left


def get_preferences(uow: UnitOfWork, actor_id: str) -> dict[Kind, Mode]:
    with uow.reading():
        person = _me(uow, actor_id)
        return with_defaults(uow.notifications.preferences(person.id))


def set_preferences(uow: UnitOfWork, actor_id: str, given: object) -> dict[Kind, Mode]:
    """Change how you hear of some kinds; kinds not given keep their mode."""
    from sharebound.services.common import record  # why here: common imports this module

    chosen = parse_preferences(given)
    with uow:
        person = _me(uow, actor_id)
        uow.notifications.set_preferences(person.id, chosen)
        record(uow, org_log(person.org), "notification_preferences_changed", person.id, person.id,
               {k.value: m.value for k, m in sorted(chosen.items())})
        saved = with_defaults(uow.notifications.preferences(person.id))
        uow.commit()
    return saved
