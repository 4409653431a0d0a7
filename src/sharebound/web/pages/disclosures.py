"""A disclosure as its discloser or a recipient sees it; view only, download, revoke.

View only never sends the original file: a recipient sees PDF pages rendered to PNG on the
server with their stamp baked in, one page per request as the reader scrolls (`loading="lazy"`;
a long document lays out VIEW_WINDOW pages at a time, `viewer.js` adds the next as the reader
nears the end, a link does without JavaScript), images stamped and re-encoded, text as escaped
lines between stamp lines, and DOCX as escaped paragraphs, tables, headers and footers. Each
page image sent is counted for the discloser, and `viewer.js` reports the seconds each page
was on screen (`POST /disclosures/{id}/view/seconds`, by `navigator.sendBeacon`).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from sharebound.domain.decisions import Reason
from sharebound.domain.errors import Refused
from sharebound.domain.limits import MAX_VIEW_PAGE
from sharebound.domain.page_views import parse_beat
from sharebound.services import copies, disclosures, page_views
from sharebound.services.pages.disclosure import disclosure_page as read_disclosure_page
from sharebound.web.deps import From
from sharebound.web.downloads import download_response
from sharebound.web.pages.common import (
    CheckedForm,
    FormUow,
    Session,
    Uow,
    act_once,
    render,
    with_notice,
)

router = APIRouter(include_in_schema=False)


@router.get("/disclosures/{disclosure_id}", response_class=HTMLResponse)
def disclosure_page(
    request: Request, disclosure_id: str, me: Session, uow: Uow, client: From,
    copy: Annotated[str, Query(max_length=20)] = "",
    start: Annotated[int, Query(ge=1, le=MAX_VIEW_PAGE)] = 1,
) -> Response:
    """`copy` and `start`: the same view's copy, from page `start` (the next pages of a long
    document, without JavaScript); without them, a new view's copy is opened."""
    page = read_disclosure_page(uow, me.person.id, disclosure_id)
    viewing, refusal = None, page.view.refusal
    if page.opens_view:  # the stamped view-only copy, made outside the page's transaction
        try:
            viewing = (copies.reopen_view(uow, me.person.id, disclosure_id, copy, start, client.address)
                       if copy else copies.open_view(uow, me.person.id, disclosure_id, client.address))
        except Refused as refused:
            refusal = refused.decision.reasons
    shown = render(request, "disclosure.html", me.person, me.csrf, view=page.view, terms=page.terms,
                   mine=page.mine, recipient=page.recipient, viewing=viewing, refusal=_reasons(refusal),
                   unread=page.unread, actions=page.actions, guest=page.guest,
                   guest_via=page.guest_via, reshares=page.reshares,
                   representatives=page.representatives, page_views=page.page_views)
    # why: the page carries the note's or the file's text; no browser or proxy keeps a copy
    shown.headers["Cache-Control"] = "no-store"
    return shown


@router.get("/disclosures/{disclosure_id}/pages/{number}.png")
def page_image(
    disclosure_id: str, number: int, me: Session, uow: Uow, client: From,
    copy: Annotated[str, Query(max_length=20)] = "",
) -> Response:
    """One page of a view's copy, stamped for the recipient: never cached, never the original."""
    png = copies.page_image(uow, me.person.id, disclosure_id, copy, number, client.address)
    return Response(png, media_type="image/png", headers={
        "Cache-Control": "no-store", "X-Content-Type-Options": "nosniff"})


@router.post("/disclosures/{disclosure_id}/view/seconds", status_code=204)
def view_seconds(disclosure_id: str, form: CheckedForm, me: Session, uow: Uow) -> Response:
    """The reader's browser reports how long pages of their view were on screen (`page` and
    `seconds`, repeated; at most a minute a page). A beacon: nothing to show, 204."""
    beat = parse_beat([str(v) for v in form.getlist("page")], [str(v) for v in form.getlist("seconds")])
    page_views.report_seconds(uow, me.person.id, disclosure_id, str(form.get("copy") or ""), beat)
    return Response(status_code=204)


@router.get("/disclosures/{disclosure_id}/download")
def download(disclosure_id: str, me: Session, uow: Uow, client: From) -> Response:
    try:
        copy = copies.download_disclosure(uow, me.person.id, disclosure_id, client.address)
    except Refused as refused:
        why = "; ".join(r.message for r in refused.decision.reasons)
        return Response(status_code=303, headers={
            "Location": with_notice(f"/disclosures/{disclosure_id}", f"No download: {why}", me.csrf)})
    return download_response(copy)


@router.post("/disclosures/{disclosure_id}/revoke")
def revoke(
    request: Request, disclosure_id: str, form: CheckedForm, me: Session, uow: FormUow
) -> Response:
    return act_once(uow, form, me, f"/disclosures/{disclosure_id}", lambda: disclosures.revoke_disclosure(
        uow, me.person.id, disclosure_id, reason=str(form.get("reason") or "")),
        done="Revoked: the recipients' access has ended.", failed="Not revoked")


def _reasons(reasons: tuple[Reason, ...]) -> tuple[Reason, ...]:
    return tuple(dict.fromkeys(reasons))  # why: view and note checks may give the same reason
