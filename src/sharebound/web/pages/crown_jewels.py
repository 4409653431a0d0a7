"""Pages: an organization's crown-jewel terms (its admins only): list, add, remove.

The content gate refuses any disclosure whose text contains one of these terms.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from sharebound.domain.errors import Conflict, InvalidInput, PermissionDenied
from sharebound.domain.gate import MAX_TERM
from sharebound.domain.orgs import Role
from sharebound.services import gate
from sharebound.services.auth import BrowserSession
from sharebound.services.common import require_role
from sharebound.web.pages.common import (
    CheckedForm,
    FormUow,
    Session,
    Uow,
    act_once,
    claim_form,
    finish_form,
    form_text,
    render,
    with_notice,
)

router = APIRouter(include_in_schema=False)

HERE = "/admin/crown-jewels"


def _page(request: Request, me: BrowserSession, uow: Uow, *, status_code: int = 200,
          typed: str = "", errors: dict[str, str] | None = None) -> Response:
    terms = gate.list_terms(uow, me.person.id, me.person.org)
    shown = render(request, "admin_crown_jewels.html", me.person, me.csrf, status_code=status_code,
                   terms=terms, typed=typed, errors=errors or {}, max_term=MAX_TERM)
    shown.headers["Cache-Control"] = "no-store"  # why: the terms are the org's secrets
    return shown


@router.get("/admin/crown-jewels", response_class=HTMLResponse)
def crown_jewels(request: Request, me: Session, uow: Uow) -> Response:
    require_role(me.person, Role.ADMIN)
    return _page(request, me, uow)


@router.post("/admin/crown-jewels")
def add_term(request: Request, form: CheckedForm, me: Session, uow: FormUow) -> Response:
    require_role(me.person, Role.ADMIN)
    term = form_text(form, "term")
    if (done := claim_form(uow, form, me.person, HERE)) is not None:
        return done
    try:
        gate.add_term(uow, me.person.id, me.person.org, term)
    except InvalidInput as bad:
        return _page(request, me, uow, typed=term, errors=bad.errors, status_code=422)
    except (Conflict, PermissionDenied) as refused:
        return _page(request, me, uow, typed=term, errors={"term": str(refused)},
                     status_code=409 if isinstance(refused, Conflict) else 403)
    # why: the notice travels in the address (history, logs): it does not name the secret term
    notice = "The term is registered: the content gate now refuses any disclosure that contains it."
    return finish_form(uow, form, with_notice(f"{HERE}#terms", notice, me.csrf))


@router.post("/admin/crown-jewels/{term_id}/remove")
def remove_term(request: Request, term_id: str, form: CheckedForm, me: Session,
                uow: FormUow) -> Response:
    require_role(me.person, Role.ADMIN)
    return act_once(uow, form, me, f"{HERE}#terms",
                    lambda: gate.remove_term(uow, me.person.id, me.person.org, term_id),
                    done="The term is removed.", failed="The term was not removed")
