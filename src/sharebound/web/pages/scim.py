"""Pages: an organization's SCIM tokens (admins): make one (shown once), revoke one."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from sharebound.domain.errors import InvalidInput
from sharebound.domain.orgs import Role
from sharebound.services import scim_tokens
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
SCIM = "/admin/scim"


def _page(request: Request, me: BrowserSession, uow: UnitOfWork, *, status_code: int = 200,
          errors: dict[str, str] | None = None, made: tuple[str, str] | None = None,
          typed: str = "") -> HTMLResponse:
    tokens = scim_tokens.list_scim_tokens(uow, me.person.id, me.person.org)
    base = f"{str(request.base_url).rstrip('/')}/scim/v2"
    return render(request, "admin_scim.html", me.person, me.csrf, status_code=status_code,
                  tokens=tokens, errors=errors or {}, made=made, typed=typed, endpoint=base)


@router.get("/admin/scim", response_class=HTMLResponse)
def scim_page(request: Request, me: Session, uow: Uow) -> HTMLResponse:
    require_role(me.person, Role.ADMIN)
    return _page(request, me, uow)


@router.post("/admin/scim")
def create_token(request: Request, form: CheckedForm, me: Session, uow: FormUow) -> Response:
    require_role(me.person, Role.ADMIN)
    name = form_text(form, "name")
    claimed = claim_form(uow, form, me.person, SCIM)
    if claimed is not None:
        return claimed
    try:
        issued = scim_tokens.create_scim_token(uow, me.person.id, me.person.org, name)
    except InvalidInput as bad:
        return _page(request, me, uow, status_code=422, errors=bad.errors, typed=name)
    finish_form(uow, form, SCIM)  # a double submit goes to the list: the token is shown once
    return _page(request, me, uow, made=(issued.record.name, issued.token))


@router.post("/admin/scim/{token_id}/revoke")
def revoke_token(token_id: str, form: CheckedForm, me: Session, uow: FormUow) -> Response:
    require_role(me.person, Role.ADMIN)
    claimed = claim_form(uow, form, me.person, SCIM)
    if claimed is not None:
        return claimed
    scim_tokens.revoke_scim_token(uow, me.person.id, me.person.org, token_id)
    return finish_form(uow, form, f"{SCIM}#token-{token_id}")
