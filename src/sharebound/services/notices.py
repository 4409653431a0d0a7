"""Notices under an agreement: send, acknowledge, respond, close, read (docs/obligations.md).

A notice goes to the other parties (or, for a demand for return, to the one org it names):
in the app to their admins and signers, and by email to their notice contacts in the terms
(services/notice_mail.py, a listener of `NoticeSent`). Its text passes the channels' gate as
public text: it is read by another org, outside any disclosure.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from sharebound.domain.agreements import Agreement
from sharebound.domain.audit import Event, partnership_log
from sharebound.domain.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from sharebound.domain.events import NoticeAcknowledged, NoticeClosed, NoticeResponded, NoticeSent
from sharebound.domain.ids import new_id
from sharebound.domain.notices import (
    MAX_RESPONSE,
    Notice,
    NoticeDraft,
    NoticeKind,
    NoticeResponse,
    NoticeState,
    parse_notice,
)
from sharebound.domain.orgs import Person, Role
from sharebound.domain.paging import FIRST_PAGE, Page, PageRequest
from sharebound.domain.returns import ReturnDemand, demand_due
from sharebound.domain.terms import Kind
from sharebound.services import channels
from sharebound.services.common import actor, record, require_role, required_body, visible_agreement
from sharebound.services.unit_of_work import UnitOfWork


@dataclass(frozen=True)
class NoticeThread:
    """A notice as its page shows it: the notice, its responses, and its history in the log."""

    notice: Notice
    responses: tuple[NoticeResponse, ...]
    history: tuple[Event, ...]
    names: Mapping[str, str]  # person id -> name, for who sent, acknowledged, responded
    now: datetime


def send_notice(uow: UnitOfWork, actor_id: str, agreement_id: str, fields: Mapping[str, Any]) -> Notice:
    """A party's admin or signer gives a notice under the agreement; a demand for return ends
    the addressee's access to the sender's disclosures under it at once."""
    draft = parse_notice(fields)
    with uow:
        person = actor(uow, actor_id)
        agreement = visible_agreement(uow, person, agreement_id, lock=True)
        require_role(person, Role.ADMIN, Role.SIGNER)
        now = uow.clock()
        if agreement.signed_version is None:
            raise Conflict("no party can give notice under an agreement that was never signed")
        to_orgs = _addressees(agreement, person, draft)
        if draft.deadline is not None and draft.deadline <= now:
            raise InvalidInput({"deadline": "must be a day after today"})
        deadline = draft.deadline
        if draft.kind is NoticeKind.COMPELLED_DISCLOSURE:
            _check_receiving(agreement, person)
        elif draft.kind is NoticeKind.UNAUTHORIZED_USE and "copy_id" in draft.details:
            _check_copy(uow, agreement, draft.details["copy_id"])
        elif draft.kind is NoticeKind.DEMAND_RETURN:
            deadline = _check_demand(uow, agreement, person, to_orgs[0], draft, now)
        for label, text in (("the notice", draft.body), *((f"the {k.replace('_', ' ')}", v)
                                                         for k, v in draft.details.items())):
            channels.clear_public(uow, org=person.org, label=label, text=text)
        notice = Notice(
            id=new_id("ntc"), agreement_id=agreement.id, partnership_id=agreement.partnership_id,
            kind=draft.kind, from_org=person.org, sent_by=person.id, to_orgs=to_orgs, body=draft.body,
            details=dict(draft.details), deadline=deadline, state=NoticeState.SENT, created_at=now)
        _send_in(uow, person, notice)
        if draft.kind is NoticeKind.DEMAND_RETURN:
            assert deadline is not None
            uow.returns.add_demand(ReturnDemand(
                agreement_id=agreement.id, discloser=person.org, org=to_orgs[0], notice_id=notice.id,
                demanded_by=person.id, demanded_at=now, due_at=deadline))
        uow.commit()
    return notice


def termination_notice_in(uow: UnitOfWork, person: Person, agreement: Agreement) -> Notice:
    """The notice of termination that terminating an agreement gives, inside its transaction."""
    assert agreement.termination is not None
    notice = Notice(
        id=new_id("ntc"), agreement_id=agreement.id, partnership_id=agreement.partnership_id,
        kind=NoticeKind.TERMINATION, from_org=person.org, sent_by=person.id,
        to_orgs=tuple(p for p in agreement.terms.parties if p != person.org),
        body=agreement.termination.reason, details={}, deadline=None, state=NoticeState.SENT,
        created_at=agreement.termination.at)
    _send_in(uow, person, notice)
    return notice


def _send_in(uow: UnitOfWork, person: Person, notice: Notice) -> None:
    uow.notices.add(notice)
    record(uow, partnership_log(notice.partnership_id), person.id, notice.id, NoticeSent(
        notice_kind=notice.kind.value, agreement=notice.agreement_id, org=notice.from_org,
        to=notice.to_orgs, deadline=notice.deadline))


def list_notices(uow: UnitOfWork, actor_id: str, agreement_id: str,
                 request: PageRequest = FIRST_PAGE) -> Page[Notice]:
    """One page of the notices under the agreement that the caller's org gave or received,
    newest first, read in SQL."""
    with uow.reading():
        person = actor(uow, actor_id)
        agreement = visible_agreement(uow, person, agreement_id)
        return uow.notices.page_of_agreement(agreement.id, person.org, request)


def notices_in(uow: UnitOfWork, person: Person, agreement: Agreement) -> list[Notice]:
    """`list_notices` inside a transaction the caller owns."""
    return [n for n in uow.notices.of_agreement(agreement.id) if n.concerns(person.org)]


def notice_thread(uow: UnitOfWork, actor_id: str, notice_id: str) -> NoticeThread:
    with uow.reading():
        person = actor(uow, actor_id)
        notice = _visible(uow, person, notice_id)
        responses = tuple(uow.notices.responses(notice.id))
        history = tuple(uow.events.read(partnership_log(notice.partnership_id), subject=notice.id))
        ids = {notice.sent_by, notice.acknowledged_by, notice.closed_by, *(r.person_id for r in responses)}
        people = (uow.orgs.get_person(i) for i in ids if i)
        return NoticeThread(notice=notice, responses=responses, history=history,
                            names={p.id: p.name for p in people if p is not None}, now=uow.clock())


def acknowledge_notice(uow: UnitOfWork, actor_id: str, notice_id: str) -> Notice:
    """An addressee's admin or signer acknowledges receipt (once)."""
    with uow:
        person, notice = _acting(uow, actor_id, notice_id)
        if person.org not in notice.to_orgs:
            raise PermissionDenied("only an organization the notice was given to acknowledges it")
        if notice.state is not NoticeState.SENT:
            raise Conflict(f"this notice is already {notice.state.value}")
        notice = replace(notice, state=NoticeState.ACKNOWLEDGED, acknowledged_at=uow.clock(),
                         acknowledged_by=person.id)
        uow.notices.save_state(notice)
        record(uow, partnership_log(notice.partnership_id), person.id, notice.id,
               NoticeAcknowledged(org=person.org))
        uow.commit()
    return notice


def respond_to_notice(uow: UnitOfWork, actor_id: str, notice_id: str, *, body: str) -> NoticeResponse:
    """Either side adds to the notice's thread while it is open."""
    text = required_body("body", body, MAX_RESPONSE)
    with uow:
        person, notice = _acting(uow, actor_id, notice_id)
        if notice.state is NoticeState.CLOSED:
            raise Conflict("this notice is closed")
        channels.clear_public(uow, org=person.org, label="the response", text=text)
        response = NoticeResponse(id=new_id("nrs"), notice_id=notice.id, org=person.org,
                                  person_id=person.id, body=text, at=uow.clock())
        uow.notices.add_response(response)
        record(uow, partnership_log(notice.partnership_id), person.id, notice.id,
               NoticeResponded(org=person.org, response=response.id))
        uow.commit()
    return response


def close_notice(uow: UnitOfWork, actor_id: str, notice_id: str) -> Notice:
    """Either side closes the notice: the matter is settled; its deadline is no longer reminded."""
    with uow:
        person, notice = _acting(uow, actor_id, notice_id)
        if notice.state is NoticeState.CLOSED:
            raise Conflict("this notice is already closed")
        notice = replace(notice, state=NoticeState.CLOSED, closed_at=uow.clock(), closed_by=person.id)
        uow.notices.save_state(notice)
        record(uow, partnership_log(notice.partnership_id), person.id, notice.id,
               NoticeClosed(org=person.org))
        uow.commit()
    return notice


def _visible(uow: UnitOfWork, person: Person, notice_id: str, *, lock: bool = False) -> Notice:
    notice = uow.notices.get(notice_id, lock=lock)
    if notice is None or not notice.concerns(person.org):
        raise NotFound("notice", notice_id)
    return notice


def _acting(uow: UnitOfWork, actor_id: str, notice_id: str) -> tuple[Person, Notice]:
    person = actor(uow, actor_id)
    notice = _visible(uow, person, notice_id, lock=True)
    require_role(person, Role.ADMIN, Role.SIGNER)
    return person, notice


def _addressees(agreement: Agreement, person: Person, draft: NoticeDraft) -> tuple[str, ...]:
    others = tuple(p for p in agreement.terms.parties if p != person.org)
    if draft.to is not None:
        if draft.to not in others:
            raise InvalidInput({"to": f"must be another party of this agreement: {', '.join(others)}"})
        return (draft.to,)
    if draft.kind is NoticeKind.DEMAND_RETURN and len(others) != 1:
        raise InvalidInput({"to": f"name the party to return or destroy: one of {', '.join(others)}"})
    return others


def _check_receiving(agreement: Agreement, person: Person) -> None:
    terms = agreement.terms
    if terms.kind is Kind.ONE_WAY and person.org in terms.disclosing_parties:
        raise PermissionDenied(f"{person.org} only discloses under this one-way agreement: a notice "
                               "of compelled disclosure is the receiving party's")


def _check_copy(uow: UnitOfWork, agreement: Agreement, copy_id: str) -> None:
    copy = uow.copies.get(copy_id)
    disclosure = uow.disclosures.get(copy.disclosure_id) if copy is not None else None
    if disclosure is None or disclosure.agreement_id != agreement.id:
        raise InvalidInput({"copy_id": "is not a copy made under this agreement"})


def _check_demand(uow: UnitOfWork, agreement: Agreement, person: Person, org: str, draft: NoticeDraft,
                  now: datetime) -> datetime:
    """The due date of a demand `person`'s org may make of `org`, or the reason it may not."""
    gave = any(d.agreement_id == agreement.id and _has_recipient_in(uow, d.recipients, org)
               for d in uow.disclosures.given_by(person.org, agreement.partnership_id))
    if not gave:
        raise PermissionDenied(f"{person.org} disclosed nothing to {org} under this agreement: only "
                               "a discloser can demand its information back")
    if uow.returns.demands(agreement.id, org=org, discloser=person.org):
        raise Conflict(f"{person.org} has already demanded that {org} return or destroy its copies")
    if uow.returns.certification(agreement.id, org) is not None:
        raise Conflict(f"{org} has already certified that its copies under this agreement are gone")
    return demand_due(agreement, now, draft.deadline)


def _has_recipient_in(uow: UnitOfWork, recipients: frozenset[str], org: str) -> bool:
    return any((p := uow.orgs.get_person(r)) is not None and p.org == org for r in recipients)
