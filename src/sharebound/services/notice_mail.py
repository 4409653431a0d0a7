"""The notice-contacts listener: a notice also goes by email to the addressees' notice
contacts named in the terms (`domain.notices.notice_contacts`), in the notice's own
transaction, through the outbox. The email carries the notice's title (kind, sender,
partnership, deadline) and a link: never its text, nor anything disclosed."""

from __future__ import annotations

from sharebound.domain.audit import Event
from sharebound.domain.events import NoticeSent, Payload
from sharebound.domain.ids import new_id
from sharebound.domain.notices import KIND_TITLES, NoticeKind, last_day, notice_contacts
from sharebound.domain.notifications import notice_link
from sharebound.domain.outbox import Channel
from sharebound.services.unit_of_work import UnitOfWork


def mail_notice_contacts(uow: UnitOfWork, event: Event, payload: Payload) -> int:
    """Queue one email per addressee's notice contact; how many were queued."""
    if not isinstance(payload, NoticeSent):
        return 0
    agreement = uow.agreements.get(payload.agreement)
    partnership = uow.partnerships.get(agreement.partnership_id) if agreement else None
    if agreement is None or partnership is None:
        return 0
    contacts = notice_contacts(agreement.governing_version(event.at).terms)
    title = notice_title(payload, partnership.name)
    queued = 0
    for org in payload.to:
        if address := contacts.get(org):
            uow.outbox.add(id=new_id("obx"), channel=Channel.EMAIL, at=event.at, payload={
                "to": address, "title": title, "link": notice_link(event.subject)})
            queued += 1
    return queued


def notice_title(payload: NoticeSent, partnership: str) -> str:
    """What the app and the emails say of a notice: its kind, sender and deadline."""
    due = f", deadline {last_day(payload.deadline)}" if payload.deadline else ""
    kind = KIND_TITLES[NoticeKind(payload.notice_kind)]
    return f"{kind} from {payload.org} under the NDA in {partnership}{due}"
