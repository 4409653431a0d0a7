"""A disclosure as its discloser or a recipient sees it; view, download, revoke."""

from __future__ import annotations

from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from sharebound.domain.errors import Refused
from sharebound.services import agreements, disclosures, register
from sharebound.web.pages.common import (
    CheckedForm,
    Session,
    Work,
    act_once,
    render,
    with_notice,
)

router = APIRouter(include_in_schema=False)


@router.get("/disclosures/{disclosure_id}", response_class=HTMLResponse)
def disclosure_page(
    request: Request, disclosure_id: str, me: Session, work: Work
) -> Response:
    view = register.view_disclosure(work, me.person.id, disclosure_id)
    agreement = agreements.get_agreement(work, me.person.id, view.disclosure.agreement_id)
    terms = agreement.version(view.disclosure.agreement_version).terms
    return render(request, "disclosure.html", me.person, me.csrf, view=view, terms=terms,
                  mine=view.disclosure.discloser == me.person.org)


@router.get("/disclosures/{disclosure_id}/download")
def download(disclosure_id: str, me: Session, work: Work) -> Response:
    try:
        copy = register.download_disclosure(work, me.person.id, disclosure_id)
    except Refused as refused:
        why = "; ".join(r.message for r in refused.decision.reasons)
        return Response(status_code=303, headers={
            "Location": with_notice(f"/disclosures/{disclosure_id}", f"No download: {why}", me.csrf)})
    headers = {"Content-Disposition": f"attachment; filename*=UTF-8''{quote(copy.filename, safe='')}",
               "Cache-Control": "no-store"}
    return Response(copy.content, media_type=copy.media_type, headers=headers)


@router.post("/disclosures/{disclosure_id}/revoke")
async def revoke(
    request: Request, disclosure_id: str, form: CheckedForm, me: Session, work: Work
) -> Response:
    return act_once(work, form, me, f"/disclosures/{disclosure_id}", lambda: disclosures.revoke_disclosure(
        work, me.person.id, disclosure_id, reason=str(form.get("reason") or "")),
        done="Revoked: the recipients' access has ended.", failed="Not revoked")
