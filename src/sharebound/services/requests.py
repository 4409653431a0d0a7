"""Information requests: ask a partner org, answer with disclosures, decline, withdraw, assign.

Each change is one transaction with its event in the partnership's log; the event's data
(see `InformationRequest.event_facts`) carries titles and ids, never content.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from enum import StrEnum

from sharebound.domain.audit import Event, partnership_log
from sharebound.domain.classification import Classification
from sharebound.domain.disclosures import Disclosure
from sharebound.domain.errors import InvalidInput, NotFound
from sharebound.domain.events import (
    EventKind,
    Payload,
    RequestAnswered,
    RequestAssigned,
    RequestDeclined,
    RequestOpened,
    RequestWithdrawn,
)
from sharebound.domain.ids import new_id
from sharebound.domain.orgs import Person
from sharebound.domain.paging import FIRST_PAGE, Page, PageRequest
from sharebound.domain.requests import MAX_ANSWERS, InformationRequest, RequestState, new_request
from sharebound.domain.values import is_email, normalize_email
from sharebound.services import channels
from sharebound.services.common import actor, record, visible_partnership
from sharebound.services.unit_of_work import UnitOfWork

REQUEST_EVENTS = (EventKind.REQUEST_OPENED, EventKind.REQUEST_ASSIGNED, EventKind.REQUEST_ANSWERED,
                  EventKind.REQUEST_DECLINED, EventKind.REQUEST_WITHDRAWN)


class Direction(StrEnum):
    ASKED = "asked"  # requests my org asked
    RECEIVED = "received"  # requests my org was asked


@dataclass(frozen=True)
class RequestView:
    """A request as one of its two orgs' people sees it, with its history."""

    request: InformationRequest
    history: list[Event]
    people: dict[str, Person]  # the people of both orgs, by id (names for the history)
    disclosures: list[Disclosure]  # the answering disclosures the viewer may see
    hidden_disclosures: int  # answering disclosures made to others of the viewer's org
    answerable: list[Disclosure]  # for the asked org while open: what may answer it


def open_request(
    uow: UnitOfWork, actor_id: str, partnership_id: str, *, title: str, details: str = "",
    due_on: date | str, asked_org: str | None = None, topic: str | None = None,
    assignee: str | None = None, classification: str | None = None,
) -> InformationRequest:
    """Ask a partner org of the partnership for information, due on a day (UTC). The title
    and details reach the asked org: public unless classified, and then covered by the
    agreement in force (see services/channels.py); the content gate reads them."""
    errors: dict[str, str] = {}
    try:
        level = channels.level_of(classification)
    except InvalidInput as bad:  # why not at once: every bad field is named together
        errors.update(bad.errors)
        level = Classification.PUBLIC
    with uow:
        person = actor(uow, actor_id)
        partnership = visible_partnership(uow, person, partnership_id, accepted=True)
        partners = [o for o in partnership.orgs if o != person.org and partnership.has_accepted(o)]
        if asked_org is None or not asked_org.strip():
            if len(partners) != 1:
                raise InvalidInput({"asked_org": "is required: name the partner organization to ask"})
            asked_org = partners[0]
        asked_org = asked_org.strip().lower()
        request = new_request(
            id=new_id("req"), partnership_id=partnership.id, asker=person, asked_org=asked_org,
            partners=partners, title=title, details=details, topic=topic, due_on=due_on,
            assignee=_person(uow, assignee), now=uow.clock(), errors=errors)
        cover = channels.clear_text(
            uow, org=person.org, partnership_id=partnership.id, audience=[asked_org], level=level,
            texts=[("the title", request.title), ("the details", request.details),
                   ("the topic", request.topic or "")])
        request = replace(request, classification=cover.classification,
                          agreement_id=cover.agreement_id, agreement_digest=cover.agreement_digest)
        uow.requests.add(request)
        record(uow, partnership_log(partnership.id), person.id, request.id,
               RequestOpened(request.event_facts()))
        uow.commit()
    return request


def answer_request(uow: UnitOfWork, actor_id: str, request_id: str,
                   disclosure_ids: Sequence[str], *, note: str = "") -> InformationRequest:
    """The asked org answers with disclosures it already made to the asker's org, and an
    optional note to the asker (at the request's level: see `_clear_reply`)."""
    if (not isinstance(disclosure_ids, list | tuple) or not disclosure_ids
            or not all(isinstance(d, str) for d in disclosure_ids)):
        raise InvalidInput({"disclosure_ids": "name at least one disclosure that answers the request"})
    if len(disclosure_ids) > MAX_ANSWERS:
        raise InvalidInput({"disclosure_ids": f"at most {MAX_ANSWERS} disclosures"})
    with uow:
        person = actor(uow, actor_id)
        answered = answer_in(uow, person, request_id, list(dict.fromkeys(disclosure_ids)), note=note)
        uow.commit()
    return answered


def answer_in(uow: UnitOfWork, person: Person, request_id: str,
              disclosure_ids: Sequence[str], *, note: str = "") -> InformationRequest:
    """Answer inside a transaction the caller owns (the disclose use case links its disclosure
    here). Each disclosure must be the asked org's, in this partnership, to the asker's org."""
    request = visible_request(uow, person, request_id, lock=True)
    answered = request.answer(person, disclosure_ids, uow.clock(), note)  # who may, still open
    _clear_reply(uow, person, answered, ("the note", answered.answer_note or ""))
    usable = {d.id for d in uow.disclosures.received_by_org(request.asker_org, request.partnership_id)
              if d.discloser == request.asked_org}
    wrong = [d for d in disclosure_ids if d not in usable]
    if wrong:
        raise InvalidInput({"disclosure_ids": (
            f"{', '.join(wrong)}: an answer must be a disclosure {request.asked_org} made in this "
            f"partnership to someone of {request.asker_org}")})
    uow.requests.save(answered)
    record(uow, partnership_log(request.partnership_id), person.id, request.id,
           RequestAnswered(answered.event_facts(), disclosures=tuple(disclosure_ids)))
    return answered


def decline_request(uow: UnitOfWork, actor_id: str, request_id: str, *, reason: str) -> InformationRequest:
    def decline(person: Person, request: InformationRequest) -> InformationRequest:
        declined = request.decline(person, reason, uow.clock())
        _clear_reply(uow, person, declined, ("the reason", declined.decline_reason or ""))
        return declined

    return _change(uow, actor_id, request_id, decline,
                   lambda declined: RequestDeclined(declined.event_facts(),
                                                    reason=declined.decline_reason))


def _clear_reply(uow: UnitOfWork, person: Person, request: InformationRequest,
                 text: tuple[str, str]) -> None:
    """The asked org's words back to the asker go as the request came: at its level, under
    the agreement in force, through the content gate."""
    channels.clear_text(uow, org=person.org, partnership_id=request.partnership_id,
                        audience=[request.asker_org], level=request.classification, texts=[text])


def withdraw_request(uow: UnitOfWork, actor_id: str, request_id: str) -> InformationRequest:
    return _change(uow, actor_id, request_id,
                   lambda person, request: request.withdraw(person, uow.clock()),
                   lambda withdrawn: RequestWithdrawn(withdrawn.event_facts()))


def assign_request(uow: UnitOfWork, actor_id: str, request_id: str, *, assignee: str) -> InformationRequest:
    """The asked org names who on its side handles the request (an email or a person id)."""
    if not isinstance(assignee, str) or not assignee.strip():
        raise InvalidInput({"assignee": "is required: a person of the asked organization"})
    return _change(uow, actor_id, request_id,
                   lambda person, request: request.assign(person, _person(uow, assignee)),
                   lambda assigned: RequestAssigned(assigned.event_facts()))


def _change(
    uow: UnitOfWork, actor_id: str, request_id: str,
    change: Callable[[Person, InformationRequest], InformationRequest],
    event: Callable[[InformationRequest], Payload],
) -> InformationRequest:
    """One change to a request (the domain decides who may make it), saved with its event."""
    with uow:
        person = actor(uow, actor_id)
        request = visible_request(uow, person, request_id, lock=True)
        changed = change(person, request)
        uow.requests.save(changed)
        record(uow, partnership_log(request.partnership_id), person.id, request.id, event(changed))
        uow.commit()
    return changed


def get_request(uow: UnitOfWork, actor_id: str, request_id: str) -> RequestView:
    with uow.reading():
        return request_view_in(uow, actor(uow, actor_id), request_id)


def request_view_in(uow: UnitOfWork, person: Person, request_id: str) -> RequestView:
    """`get_request` inside a transaction the caller owns."""
    request = _readable(uow, visible_request(uow, person, request_id), uow.clock())
    history = [e for e in uow.events.read(partnership_log(request.partnership_id), request.id)
               if e.kind in REQUEST_EVENTS]
    if request.withheld:
        history = without_withheld_text(history, {request.id})
    people = {p.id: p for org in (request.asker_org, request.asked_org)
              for p in uow.orgs.people_of(org)}
    linked = [uow.disclosures.get(d) for d in request.disclosures]
    seen = [d for d in linked if d is not None
            and (d.discloser == person.org or person.id in d.recipients)]
    answerable = []
    if request.is_open and person.org == request.asked_org:
        answerable = [d for d in uow.disclosures.received_by_org(request.asker_org,
                                                                 request.partnership_id)
                      if d.discloser == request.asked_org]
    return RequestView(request=request, history=history, people=people, disclosures=seen,
                       hidden_disclosures=len(request.disclosures) - len(seen),
                       answerable=answerable)


def list_requests(
    uow: UnitOfWork, actor_id: str, partnership_id: str, *, direction: str | None = None,
    state: str | None = None, request: PageRequest = FIRST_PAGE,
) -> Page[InformationRequest]:
    """One page of the partnership's requests the actor's org asked or was asked: open ones by
    due date (the overdue first), then closed (most recently closed first), read in SQL.
    `state` may be any state, overdue included. Each request's `disclosures` are only the
    answering ones the actor may see."""
    if direction is not None and direction not in {d.value for d in Direction}:
        raise InvalidInput({"direction": "must be asked or received"})
    if state is not None and state not in {s.value for s in RequestState}:
        raise InvalidInput({"state": "must be one of " + ", ".join(s.value for s in RequestState)})
    with uow.reading():
        return requests_page_in(uow, actor(uow, actor_id), partnership_id, request,
                                direction=direction, state=state)


def requests_page_in(uow: UnitOfWork, person: Person, partnership_id: str, request: PageRequest, *,
                     direction: str | None = None, state: str | None = None) -> Page[InformationRequest]:
    """`list_requests` inside the caller's transaction (the partnership page's section)."""
    partnership = visible_partnership(uow, person, partnership_id, accepted=True)
    found = uow.requests.page_for_partnership(partnership.id, person.org, request, direction=direction,
                                              state=state, today=uow.clock().date())
    return found.with_rows(_as_seen(uow, person, partnership.id, found.rows))


def requests_in(uow: UnitOfWork, person: Person, partnership_id: str) -> list[InformationRequest]:
    """The partnership's requests of the person's org, unsorted, inside the caller's transaction."""
    partnership = visible_partnership(uow, person, partnership_id, accepted=True)
    found = uow.requests.list_for_partnership(partnership.id, person.org)
    return _as_seen(uow, person, partnership.id, found)


def _as_seen(uow: UnitOfWork, person: Person, partnership_id: str,
             found: list[InformationRequest]) -> list[InformationRequest]:
    """Requests as the person reads them: only the answering disclosures the org gave or the
    person received (one query, never the partnership's whole register), the text withheld
    where its agreement ended (one look per agreement, not one per request)."""
    seen = uow.disclosures.titles_visible(sorted({d for r in found for d in r.disclosures}), partnership_id,
                                          person.org, person.id)
    now = uow.clock()
    covered = {a: channels.still_covered(uow, a, now) for a in {r.agreement_id for r in found}}
    return [replace(r if covered[r.agreement_id] else r.withholding_text(),
                    disclosures=tuple(d for d in r.disclosures if d in seen)) for r in found]


def visible_request(uow: UnitOfWork, person: Person, request_id: str, *,
                    lock: bool = False) -> InformationRequest:
    """The request if the person's org asked or was asked (and still is in the partnership)."""
    request = uow.requests.get(request_id, lock=lock)
    if request is None or not request.concerns(person.org):
        raise NotFound("request", request_id)
    partnership = uow.partnerships.get(request.partnership_id)
    if partnership is None or not partnership.has_accepted(person.org):
        raise NotFound("request", request_id)
    return request


def withheld_requests(uow: UnitOfWork, partnership_id: str, org: str) -> set[str]:
    """The ids of the org's requests in the partnership whose text is withheld now."""
    now = uow.clock()
    covered: dict[str | None, bool] = {}  # why: one look at each agreement, not one per request
    withheld = set()
    for r in uow.requests.list_for_partnership(partnership_id, org):
        if r.agreement_id not in covered:
            covered[r.agreement_id] = channels.still_covered(uow, r.agreement_id, now)
        if not covered[r.agreement_id]:
            withheld.add(r.id)
    return withheld


def without_withheld_text(events: list[Event], withheld: set[str]) -> list[Event]:
    """`events` with the decline reason taken out of those of withheld requests: the reason is
    information under the agreement the request was sent under, as the request's own is."""
    return [replace(e, data={k: v for k, v in e.data.items() if k != "reason"})
            if e.kind == EventKind.REQUEST_DECLINED and e.subject in withheld else e for e in events]


def _readable(uow: UnitOfWork, request: InformationRequest, now: datetime) -> InformationRequest:
    """A request above public is information under the agreement it was sent under: once
    that agreement is no longer in force, its details, reason and note are withheld."""
    if channels.still_covered(uow, request.agreement_id, now):
        return request
    return request.withholding_text()


def _person(uow: UnitOfWork, who: str | None) -> Person | None:
    """The person named by an email or an id; an unknown one is refused like a stranger's, so
    that errors never reveal whether an address has an account here."""
    if who is None or not who.strip():
        return None
    who = who.strip()
    found = (uow.orgs.get_person_by_email(normalize_email(who)) if is_email(who)
             else uow.orgs.get_person(who))
    if found is None:
        return Person(id="", org="", name="", email=who, roles=frozenset(), created_at=uow.clock())
    return found
