"""Partnerships, their feed and their audit log."""

from __future__ import annotations

from fastapi import APIRouter, Request

from sharebound.domain.paging import Page as DomainPage
from sharebound.services import agreements, audit, messages, partner_invitations, partnerships
from sharebound.web.deps import Me, Uow, core
from sharebound.web.paging import Page, PagingOf
from sharebound.web.schemas import AgreementRequest, MessageRequest, PartnershipRequest
from sharebound.web.views import (
    AgreementOut,
    EventOut,
    FeedReadOut,
    MessageOut,
    PartnerInvitationOut,
    PartnershipOut,
    PersonOut,
)

router = APIRouter(tags=["partnerships"])


@router.post("/partnerships", response_model=PartnershipOut, status_code=201)
def propose(body: PartnershipRequest, request: Request, me: Me, uow: Uow) -> PartnershipOut:
    """An admin proposes a partnership; each invited organization's admin accepts it.

    `invite_emails` sends each address a link (by email, through the worker) to create its
    organization, or take the proposal to the one it has; see GET .../invitations."""
    return PartnershipOut.of(partnerships.propose_partnership(
        uow, me.id, name=body.name, purpose=body.purpose, invite=body.invite,
        invite_emails=body.invite_emails, invitation_days=core(request).settings.partner_invitation_days))


@router.get("/partnerships/{partnership_id}/invitations", response_model=list[PartnerInvitationOut])
def list_invitations(partnership_id: str, me: Me, uow: Uow) -> list[PartnerInvitationOut]:
    """The email invitations your organization sent for the partnership, with their state."""
    now = uow.clock()
    return [PartnerInvitationOut.of(i, now)
            for i in partner_invitations.list_invitations(uow, me.id, partnership_id)]


@router.post("/partner-invitations/{invitation_id}/revoke", response_model=PartnerInvitationOut)
def revoke_invitation(invitation_id: str, me: Me, uow: Uow) -> PartnerInvitationOut:
    """An admin of the proposing organization withdraws a pending invitation: its link stops working."""
    return PartnerInvitationOut.of(partner_invitations.revoke_invitation(uow, me.id, invitation_id),
                                   uow.clock())


@router.get("/partnerships", response_model=Page[PartnershipOut])
def list_partnerships(me: Me, uow: Uow, paging: PagingOf) -> Page[PartnershipOut]:
    """Your organization's partnerships (proposed, invited or accepted), oldest first. Paged in SQL."""
    return paging.out(partnerships.list_partnerships(uow, me.id, paging.request), PartnershipOut.of)


@router.get("/partnerships/{partnership_id}", response_model=PartnershipOut)
def get_partnership(partnership_id: str, me: Me, uow: Uow) -> PartnershipOut:
    return PartnershipOut.of(partnerships.get_partnership(uow, me.id, partnership_id))


@router.post("/partnerships/{partnership_id}/accept", response_model=PartnershipOut)
def accept(partnership_id: str, me: Me, uow: Uow) -> PartnershipOut:
    return PartnershipOut.of(partnerships.accept_partnership(uow, me.id, partnership_id))


@router.get("/partnerships/{partnership_id}/people", response_model=list[PersonOut])
def partner_people(partnership_id: str, me: Me, uow: Uow) -> list[PersonOut]:
    """The people of the partner organizations: who may be named as a recipient."""
    return [PersonOut.of(p) for p in partnerships.partner_people(uow, me.id, partnership_id)]


@router.post("/partnerships/{partnership_id}/agreements", response_model=AgreementOut, status_code=201,
             tags=["agreements"])
def draft(partnership_id: str, body: AgreementRequest, me: Me, uow: Uow) -> AgreementOut:
    """Draft an NDA (version 1). It is in force once every party signs this exact version."""
    agreement = agreements.draft_agreement(uow, me.id, partnership_id, body.terms.as_terms_json())
    return AgreementOut.of(agreement, uow.clock(), uow.standard_terms)


@router.get("/partnerships/{partnership_id}/agreements", response_model=list[AgreementOut],
            tags=["agreements"])
def list_agreements(partnership_id: str, me: Me, uow: Uow) -> list[AgreementOut]:
    now = uow.clock()
    found = agreements.list_agreements(uow, me.id, partnership_id)
    return [AgreementOut.of(a, now, uow.standard_terms) for a in found]


@router.get("/partnerships/{partnership_id}/messages", response_model=Page[MessageOut], tags=["messages"])
def list_messages(partnership_id: str, me: Me, uow: Uow, paging: PagingOf) -> Page[MessageOut]:
    """The feed, oldest first; `unread` marks messages by others after your read marker.
    Paged in SQL: `limit` and `after`."""
    feed = messages.read_feed(uow, me.id, partnership_id, paging.request)
    return paging.out(DomainPage(rows=feed.entries, after=feed.after),
                      lambda e: MessageOut.of(e.message, e.new))


@router.post("/partnerships/{partnership_id}/messages", response_model=MessageOut, status_code=201,
             tags=["messages"])
def post_message(partnership_id: str, body: MessageRequest, me: Me, uow: Uow) -> MessageOut:
    """Post to the feed. Above public, a message needs an agreement in force that covers it.

    `@gina` or `@gina@globex.example` mentions a person of an org in the partnership.
    """
    return MessageOut.of(messages.post_message(
        uow, me.id, partnership_id, body=body.body, classification=body.classification,
        reply_to=body.reply_to, disclosure_id=body.disclosure_id))


@router.post("/partnerships/{partnership_id}/messages/read", response_model=FeedReadOut,
             tags=["messages"])
def mark_read(partnership_id: str, me: Me, uow: Uow) -> FeedReadOut:
    """Mark the feed read up to now (for you only)."""
    at = messages.mark_read(uow, me.id, partnership_id)
    unread = messages.read_feed(uow, me.id, partnership_id).unread
    return FeedReadOut(partnership_id=partnership_id, read_up_to=at, unread=unread)


@router.get("/partnerships/{partnership_id}/events", response_model=Page[EventOut], tags=["events"])
def list_events(partnership_id: str, me: Me, uow: Uow, paging: PagingOf) -> Page[EventOut]:
    """The partnership's audit log, oldest first: ids, codes and hashes, never content."""
    found = audit.partnership_events_page(uow, me.id, partnership_id, paging.request)
    return paging.out(found, EventOut.of)
