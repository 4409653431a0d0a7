"""A disclosure as its discloser or a recipient sees it; view only, download, revoke.

View only never sends the original file: a recipient sees PDF pages rendered to PNG on the
server with their stamp baked in, images stamped and re-encoded, text and DOCX as escaped
lines between stamp lines.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from sharebound.domain.decisions import Reason
from sharebound.domain.errors import Refused
from sharebound.services import copies, disclosures
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
    request: Request, disclosure_id: str, me: Session, uow: Uow, client: From
) -> Response:
    page = read_disclosure_page(uow, me.person.id, disclosure_id)
    viewing, refusal = None, page.view.refusal
    if page.opens_view:  # the stamped view-only copy, made outside the page's transaction
        try:
            viewing = copies.open_view(uow, me.person.id, disclosure_id, client.address)
        except Refused as refused:
            refusal = refused.decision.reasons
    shown = render(request, "disclosure.html", me.person, me.csrf, view=page.view, terms=page.terms,
                   mine=page.mine, recipient=page.recipient, viewing=viewing, refusal=_reasons(refusal),
                   unread=page.unread, actions=page.actions, guest=page.guest,
                   guest_via=page.guest_via, reshares=page.reshares,
                   representatives=page.representatives)
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
