"""The notifications listener: who hears of an event, in the event's own transaction.

`fan_out` is a listener (`bootstrap` registers it; services/common.record hands it every
event with its typed payload). For the kinds that concern
people it writes a notification per person (never the actor), an email outbox row for those
who want that kind at once, and a webhook outbox row per org webhook that hears of the kind.
The worker (services/worker.py) delivers the outbox later: nothing is lost if it is down.
A person's own notifications and preferences are use cases in services/notifications.py.

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
    roles_changed / person_deactivated / person_reactivated
                                         the person's org's active admins     people_changed
    notice_sent (not termination)        the addressees' admins and signers   notice_received
    notice_acknowledged / _responded /   the other side's admins and signers  notice_updated
      _closed
(A notice also goes by email to the addressees' notice contacts: services/notice_mail.py.)
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sharebound.domain.audit import Event
from sharebound.domain.events import (
    AgreementAmended,
    AgreementDrafted,
    AgreementSigned,
    AgreementTerminated,
    DisclosureMade,
    DisclosureReshared,
    MessagePosted,
    NoticeAcknowledged,
    NoticeClosed,
    NoticeResponded,
    NoticeSent,
    Payload,
    PersonDeactivated,
    PersonReactivated,
    RepresentativeApproved,
    RepresentativeDeclined,
    RepresentativeNamed,
    RepresentativeWithdrawn,
    RequestAnswered,
    RequestAssigned,
    RequestDeclined,
    RequestOpened,
    RequestWithdrawn,
    RolesChanged,
)
from sharebound.domain.ids import new_id
from sharebound.domain.notices import NoticeKind
from sharebound.domain.notifications import (
    DEFAULT_MODE,
    Kind,
    Mode,
    Notification,
    message_link,
    notice_link,
    request_link,
)
from sharebound.domain.orgs import Person, Role
from sharebound.domain.outbox import Channel
from sharebound.services.notice_mail import notice_title
from sharebound.services.unit_of_work import UnitOfWork


@dataclass(frozen=True, slots=True)
class Told:
    person: Person
    kind: Kind
    title: str
    link: str


def fan_out(uow: UnitOfWork, event: Event, payload: Payload) -> list[Notification]:
    """Notify whom `event` concerns; called inside the event's transaction."""
    told = _told(uow, event, payload)
    if not told:
        return []
    return notify(uow, told, event_kind=event.kind, subject=event.subject, actor_id=event.actor,
                  at=event.at)


def _told(uow: UnitOfWork, event: Event, payload: Payload) -> list[Told]:
    match payload:
        case DisclosureMade():
            return _disclosed(uow, event)
        case RequestOpened() | RequestAssigned() | RequestWithdrawn():
            return _request_to_answerer(uow, event, payload)
        case RequestAnswered() | RequestDeclined():
            return _request_to_asker(uow, event, payload)
        case MessagePosted():
            return _mentioned(uow, event, payload)
        case AgreementDrafted() | AgreementAmended() | AgreementSigned() | AgreementTerminated():
            return _agreement(uow, event, payload)
        case RolesChanged() | PersonDeactivated() | PersonReactivated():
            return _people_changed(uow, event, payload)
        case NoticeSent() | NoticeAcknowledged() | NoticeResponded() | NoticeClosed():
            return _notice(uow, event, payload)
        case (RepresentativeNamed() | RepresentativeApproved() | RepresentativeDeclined()
              | RepresentativeWithdrawn()):
            return _representative(uow, event, payload)
        case DisclosureReshared():
            return _reshared(uow, event, payload)
    return []


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
            uow.outbox.add(id=new_id("obx"), channel=Channel.EMAIL, at=at, payload={},
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
            uow.outbox.add(id=entry_id, channel=Channel.WEBHOOK, at=at, payload=body, webhook_id=hook.id)


# --- who hears of what -----------------------------------------------------------------------

def _partnership_id(event: Event) -> str:
    return event.log.partition(":")[2]


def _partnership_name(uow: UnitOfWork, event: Event) -> str:
    found = uow.partnerships.get(_partnership_id(event))
    return found.name if found else "a partnership"


def people_named(uow: UnitOfWork, ids: Iterable[str | None]) -> list[Person]:
    """The people with these ids, but the deactivated: nobody tells them anything any more
    (a request assigned to one goes to the org's admins instead)."""
    found = (uow.orgs.get_person(i) for i in ids if i)
    return [p for p in found if p is not None and p.active]


def people_with_roles(uow: UnitOfWork, orgs: Iterable[str], *roles: Role) -> list[Person]:
    """The active people of `orgs` holding any of `roles`."""
    return [p for org in orgs for p in uow.orgs.people_of(org, active_only=True)
            if p.roles & set(roles)]


def _people_changed(uow: UnitOfWork, event: Event,
                    payload: RolesChanged | PersonDeactivated | PersonReactivated) -> list[Told]:
    person = uow.orgs.get_person(event.subject)
    if person is None:
        return []
    match payload:
        case RolesChanged():
            title = f"{person.name} ({person.email}) now holds {', '.join(payload.roles)}"
        case PersonDeactivated():
            title = f"{person.name} ({person.email}) was deactivated"
        case PersonReactivated():
            title = f"{person.name} ({person.email}) was reactivated"
    return [Told(p, Kind.PEOPLE_CHANGED, title, "/admin/people")
            for p in people_with_roles(uow, [person.org], Role.ADMIN)]


def _disclosed(uow: UnitOfWork, event: Event) -> list[Told]:
    disclosure = uow.disclosures.get(event.subject)
    if disclosure is None:
        return []
    title = f"{disclosure.discloser} disclosed “{disclosure.item_title}” to you"
    return [Told(p, Kind.DISCLOSED_TO_ME, title, f"/disclosures/{disclosure.id}")
            for p in people_named(uow, sorted(disclosure.recipients))]


def _request_to_answerer(uow: UnitOfWork, event: Event,
                         payload: RequestOpened | RequestAssigned | RequestWithdrawn) -> list[Told]:
    facts = payload.request
    people = (people_named(uow, [facts.assignee])
              or people_with_roles(uow, [facts.asked_org], Role.ADMIN))
    match payload:
        case RequestOpened():
            what, due = "asks", f", due {facts.due_on.isoformat()}"
        case RequestAssigned():
            what, due = "asks (assigned to you)", f", due {facts.due_on.isoformat()}"
        case RequestWithdrawn():
            what, due = "withdrew its request", ""
    title = f"{facts.asker_org} {what}: “{facts.title}”{due}"
    return [Told(p, Kind.REQUEST_ASSIGNED, title, request_link(event.subject)) for p in people]


def _request_to_asker(uow: UnitOfWork, event: Event,
                      payload: RequestAnswered | RequestDeclined) -> list[Told]:
    facts = payload.request
    how = "answered" if isinstance(payload, RequestAnswered) else "declined"
    title = f"{facts.asked_org} {how} your request “{facts.title}”"
    return [Told(p, Kind.REQUEST_ANSWERED, title, request_link(event.subject))
            for p in people_named(uow, [facts.asker])]


def _mentioned(uow: UnitOfWork, event: Event, payload: MessagePosted) -> list[Told]:
    if not payload.mentions:
        return []
    author = uow.orgs.get_person(event.actor) if event.actor else None
    partnership = uow.partnerships.get(_partnership_id(event))
    if partnership is None:
        return []
    who = author.name if author else "Someone"
    title = f"{who} mentioned you in {partnership.name}"
    link = message_link(partnership.id, event.subject)
    # only people of the partnership's accepted orgs can be told (a mention cannot reach outside)
    return [Told(p, Kind.MENTIONED, title, link) for p in people_named(uow, payload.mentions)
            if partnership.has_accepted(p.org)]


def _agreement(uow: UnitOfWork, event: Event, payload: AgreementDrafted | AgreementAmended
               | AgreementSigned | AgreementTerminated) -> list[Told]:
    agreement = uow.agreements.get(event.subject)
    if agreement is None:
        return []
    name = _partnership_name(uow, event)
    link = f"/agreements/{agreement.id}"
    parties = agreement.terms.parties
    version = agreement.current.number
    told: list[Told] = []
    if isinstance(payload, AgreementDrafted | AgreementAmended):
        signed = {s.org for s in agreement.signatures_of(agreement.current)}
        title = f"The NDA in {name} (version {version}) waits for your signature"
        told += [Told(p, Kind.SIGNATURE_NEEDED, title, link)
                 for p in people_with_roles(uow, [o for o in parties if o not in signed], Role.SIGNER)]
    caring = people_with_roles(uow, parties, Role.ADMIN, Role.SIGNER)
    match payload:
        case AgreementAmended():
            title = f"The NDA in {name} was amended (version {version}); every party signs again"
            told += [Told(p, Kind.AGREEMENT_AMENDED, title, link) for p in caring]
        case AgreementSigned() if agreement.is_fully_signed(agreement.current):
            state = "is in force" if payload.status == "in_force" else "takes effect on its date"
            title = f"The NDA in {name} (version {version}) is signed by every party and {state}"
            told += [Told(p, Kind.AGREEMENT_SIGNED, title, link) for p in caring]
        case AgreementTerminated():
            title = f"The NDA in {name} was terminated by {payload.org}"
            told += [Told(p, Kind.AGREEMENT_TERMINATED, title, link) for p in caring]
    return told


def _notice(uow: UnitOfWork, event: Event,
            payload: NoticeSent | NoticeAcknowledged | NoticeResponded | NoticeClosed) -> list[Told]:
    notice = uow.notices.get(event.subject)
    if notice is None:
        return []
    name = _partnership_name(uow, event)
    link = notice_link(notice.id)
    if isinstance(payload, NoticeSent):
        if notice.kind is NoticeKind.TERMINATION:  # why: agreement_terminated already tells them
            return []
        return [Told(p, Kind.NOTICE_RECEIVED, notice_title(payload, name), link)
                for p in people_with_roles(uow, notice.to_orgs, Role.ADMIN, Role.SIGNER)]
    match payload:
        case NoticeAcknowledged():
            what = "acknowledged"
        case NoticeResponded():
            what = "responded to"
        case NoticeClosed():
            what = "closed"
    others = [o for o in (notice.from_org, *notice.to_orgs) if o != payload.org]
    title = f"{payload.org} {what} the {notice.title.lower()} in {name}"
    return [Told(p, Kind.NOTICE_UPDATED, title, link)
            for p in people_with_roles(uow, others, Role.ADMIN, Role.SIGNER)]


def _representative(uow: UnitOfWork, event: Event,
                    payload: RepresentativeNamed | RepresentativeApproved | RepresentativeDeclined
                    | RepresentativeWithdrawn) -> list[Told]:
    """Who was named and what became of it, in names only (never what is shared)."""
    found = uow.representatives.get(event.subject)
    if found is None:
        return []
    agreement = uow.agreements.get(found.agreement_id)
    parties = agreement.terms.parties if agreement else ()
    link = f"/agreements/{found.agreement_id}#representatives"
    who = f"{found.name} ({found.organization})"
    match payload:
        case RepresentativeNamed():
            title, orgs = f"{found.org} named {who} its representative: approve or decline", [
                o for o in parties if o != found.org]
        case RepresentativeApproved():
            title, orgs = f"{payload.by_org} approved {who} as {found.org}'s representative", [found.org]
        case RepresentativeDeclined():
            title, orgs = f"{payload.by_org} declined {who} as {found.org}'s representative", [found.org]
        case RepresentativeWithdrawn():
            title = f"{found.org} withdrew its representative {who}"
            orgs = [o for o in parties if o != found.org]
    return [Told(p, Kind.REPRESENTATIVE, title, link)
            for p in people_with_roles(uow, orgs, Role.ADMIN, Role.SIGNER)]


def _reshared(uow: UnitOfWork, event: Event, payload: DisclosureReshared) -> list[Told]:
    """The discloser's admins and signers, and the person who disclosed: the title and who."""
    disclosure = uow.disclosures.get(event.subject)
    found = uow.representatives.get(payload.representative)
    if disclosure is None or found is None:
        return []
    title = (f"{payload.org} re-shared “{disclosure.item_title}” to its representative "
             f"{found.name} ({found.organization})")
    people = [*people_with_roles(uow, [disclosure.discloser], Role.ADMIN, Role.SIGNER),
              *people_named(uow, [disclosure.disclosed_by])]
    return [Told(p, Kind.RESHARED, title, f"/disclosures/{disclosure.id}#reshares") for p in people]
