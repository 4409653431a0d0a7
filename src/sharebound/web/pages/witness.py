"""Page: an org's admin registers its witness key of the transparency log
(docs/verify-partner-log.md), as `PUT /api/v1/orgs/{handle}/witness-key` does."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from sharebound.domain.errors import InvalidInput
from sharebound.domain.limits import MAX_VKEY
from sharebound.domain.orgs import Role
from sharebound.services import witnesses
from sharebound.services.auth import BrowserSession
from sharebound.services.common import require_role
from sharebound.services.unit_of_work import UnitOfWork
from sharebound.web.pages.common import (
    CheckedForm,
    FormUow,
    Session,
    Uow,
    claim_form,
    finish_form,
    form_text,
    render,
)

router = APIRouter(include_in_schema=False)

WITNESS = "/admin/witness"


def _page(request: Request, me: BrowserSession, uow: UnitOfWork, *, status_code: int = 200,
          notice: str | None = None, typed: str = "", errors: dict[str, str] | None = None) -> Response:
    key = witnesses.witness_key(uow, me.person.id, me.person.org)
    return render(request, "admin_witness.html", me.person, me.csrf, status_code=status_code,
                  key=key, typed=typed, errors=errors or {}, notice=notice, limit=MAX_VKEY)


@router.get(WITNESS, response_class=HTMLResponse)
def witness_key(request: Request, me: Session, uow: Uow, notice: str = "") -> Response:
    require_role(me.person, Role.ADMIN)
    return _page(request, me, uow, notice="The witness key is registered." if notice == "saved" else None)


@router.post(WITNESS)
def register_witness_key(request: Request, form: CheckedForm, me: Session, uow: FormUow) -> Response:
    require_role(me.person, Role.ADMIN)
    typed = form_text(form, "vkey")
    claimed = claim_form(uow, form, me.person, WITNESS)
    if claimed is not None:
        return claimed
    try:
        witnesses.register_witness_key(uow, me.person.id, me.person.org, typed)
    except InvalidInput as bad:
        return _page(request, me, uow, typed=typed, errors=bad.errors, status_code=422)
    return finish_form(uow, form, f"{WITNESS}?notice=saved#main")
