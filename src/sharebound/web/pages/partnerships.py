"""Partnership pages: propose, accept, and the partnership itself (register, feed, people)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from sharebound.domain.errors import InvalidInput, PermissionDenied, Refused
from sharebound.domain.partnerships import Purpose
from sharebound.domain.reciprocity import days
from sharebound.services import messages, partner_invitations, partnerships
from sharebound.services.pages.partnership import Filters, Paging
from sharebound.services.pages.partnership import partnership_page as read_partnership_page
from sharebound.web.charts import flows_figure, levels_figure, topics_figure
from sharebound.web.pages.common import (
    CheckedForm,
    FormUow,
    Session,
    Uow,
    act_once,
    claim_form,
    core,
    finish_form,
    form_text,
    render,
)
from sharebound.web.paging import page_request

router = APIRouter(include_in_schema=False)

# why 25: the page shows both registers side by side among eight other sections; the newest
# 25 each way is a screenful, "Older" pages on through the rest (the API's lists give 50)
REGISTER_ROWS = 25


@router.get("/partnerships/new", response_class=HTMLResponse)
def propose_form(request: Request, me: Session) -> Response:
    return render(request, "partnership_new.html", me.person, me.csrf, purposes=list(Purpose),
                  values={}, errors={})


@router.post("/partnerships/new")
def propose(request: Request, form: CheckedForm, me: Session, uow: FormUow) -> Response:
    values = {k: str(form.get(k) or "") for k in ("name", "purpose", "invite", "invite_emails")}
    if (done := claim_form(uow, form, me.person, "/")) is not None:
        return done
    invite = [h.strip().lower() for h in values["invite"].replace(" ", ",").split(",") if h.strip()]
    emails = [e.strip() for e in values["invite_emails"].replace(" ", ",").replace("\n", ",").split(",")
              if e.strip()]
    try:
        made = partnerships.propose_partnership(
            uow, me.person.id, name=values["name"], purpose=values["purpose"], invite=invite,
            invite_emails=emails, invitation_days=core(request).settings.partner_invitation_days)
    except (InvalidInput, PermissionDenied, Refused) as bad:
        errors = bad.errors if isinstance(bad, InvalidInput) else {"form": str(bad)}
        status = 403 if isinstance(bad, Refused) else 422
        return render(request, "partnership_new.html", me.person, me.csrf, purposes=list(Purpose),
                      values=values, errors=errors, status_code=status)
    return finish_form(uow, form, f"/partnerships/{made.id}")


@router.get("/partnerships/{partnership_id}", response_class=HTMLResponse)
def partnership_page(request: Request, partnership_id: str, me: Session, uow: Uow,
                     agreement: str = "", classification: str = "", topic: str = "",
                     period: str = "", given_after: str = "", given_before: str = "",
                     received_after: str = "", received_before: str = "",
                     requests_after: str = "", feed_after: str = "") -> Response:
    paging = Paging(given=page_request(given_after, given_before, "given", REGISTER_ROWS),
                    received=page_request(received_after, received_before, "received", REGISTER_ROWS),
                    requests=page_request(requests_after, "", "requests"),
                    feed=page_request(feed_after, "", "feed"))
    page = read_partnership_page(uow, me.person.id, partnership_id,
                                 Filters(agreement=agreement, classification=classification, topic=topic),
                                 paging, period=period or None)
    context: dict[str, Any] = {"partnership": page.partnership, "filters": page.filters,
                               "unread": page.unread, "invitations": page.invitations,
                               "now": page.now}
    if (inside := page.inside) is not None:
        context.update(
            agreements=inside.agreements, documents=inside.documents, given=inside.given,
            received=inside.received,
            topics=inside.topics, threads=threads(inside.feed), feed_page=inside.feed,
            unread=inside.feed.unread,  # why: the feed's heading shows it (and so does the nav)
            disclosure_titles=inside.disclosure_titles, requests=inside.requests, people=inside.people,
            now=inside.now, health=inside.health, give_and_take=inside.give_and_take, days=days,
            figures=[f(inside.give_and_take.flows, me.person.org)
                     for f in (flows_figure, levels_figure, topics_figure)] if inside.give_and_take else [])
        # Opening the feed reads it, up to the newest message shown. Nothing new: nothing to mark.
        if inside.feed.unread and page.newest_message is not None:
            messages.mark_read(uow, me.person.id, partnership_id, up_to=page.newest_message)
    return render(request, "partnership.html", me.person, me.csrf, errors={}, **context)


@router.post("/partnerships/{partnership_id}/accept")
def accept(
    request: Request, partnership_id: str, form: CheckedForm, me: Session, uow: FormUow
) -> Response:
    return act_once(uow, form, me, f"/partnerships/{partnership_id}",
                    lambda: partnerships.accept_partnership(uow, me.person.id, partnership_id),
                    done="You accepted the partnership.", failed="Not accepted")


@router.post("/partner-invitations/{invitation_id}/revoke")
def revoke_invitation(
    request: Request, invitation_id: str, form: CheckedForm, me: Session, uow: FormUow
) -> Response:
    back = form_text(form, "partnership_id")
    here = f"/partnerships/{back}#invitations" if back.replace("_", "").isalnum() else "/"
    return act_once(uow, form, me, here,
                    lambda: partner_invitations.revoke_invitation(uow, me.person.id, invitation_id),
                    done="The invitation is revoked: its link no longer works.", failed="Not revoked")


@router.post("/partnerships/{partnership_id}/messages")
def post_message(
    request: Request, partnership_id: str, form: CheckedForm, me: Session, uow: FormUow
) -> Response:
    return act_once(uow, form, me, f"/partnerships/{partnership_id}#feed", lambda: messages.post_message(
        uow, me.person.id, partnership_id, body=form_text(form, "body"),
        classification=form_text(form, "classification") or "public",
        reply_to=form_text(form, "reply_to") or None,
        disclosure_id=form_text(form, "disclosure_id") or None), done="Posted.", failed="Not posted")


def threads(feed: messages.Feed) -> list[tuple[messages.FeedEntry, list[messages.FeedEntry]]]:
    """The feed as threads: each message that answers none, with its replies, oldest first."""
    replies: dict[str, list[messages.FeedEntry]] = {}
    for entry in feed.entries:
        if entry.message.reply_to is not None:
            replies.setdefault(entry.message.reply_to, []).append(entry)
    return [(e, replies.get(e.message.id, [])) for e in feed.entries if e.message.reply_to is None]
