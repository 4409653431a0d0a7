"""Pages: your second factors (/account/security) and your org's policy (/admin/second-factors).

A person whose org requires a factor they have not set up signs in to the enrolment step:
/account/security answers them, every other page sends them back here; once a factor is set
up, their session becomes a full one (a new cookie). docs/second-factors.md.
"""

from __future__ import annotations

import json
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response

from sharebound.domain.errors import Conflict, InvalidInput, NotFound, PermissionDenied, RateLimited
from sharebound.domain.orgs import Role
from sharebound.domain.second_factors import Policy
from sharebound.services import auth, passkeys, second_factors
from sharebound.services.auth import BrowserSession
from sharebound.services.common import require_role
from sharebound.web.pages.auth import set_session_cookie
from sharebound.web.pages.common import (
    ENROL_PAGE,
    CheckedForm,
    EnrollingForm,
    EnrollingSession,
    Session,
    Uow,
    core,
    factor_proof,
    form_text,
    render,
    safe_next,
    see_other,
    with_notice,
)

router = APIRouter(include_in_schema=False)
NO_STORE = {"Cache-Control": "no-store"}  # why: a challenge is single-use; never from a cache


def _page(request: Request, me: BrowserSession, uow: Uow, *, status_code: int = 200,
          errors: dict[str, str] | None = None, **shown: Any) -> Response:
    status = second_factors.status(uow, me.person.id)
    shown.setdefault("enrolment", second_factors.pending_totp(uow, me.person.id)
                     if status.totp_pending else None)
    page = render(request, "security.html", me.person, me.csrf, status_code=status_code, status=status,
                  enrolling=me.stage == auth.ENROL, errors=errors or {},
                  next=safe_next(str(request.query_params.get("next") or shown.pop("next", "/"))),
                  **shown)
    page.headers["Cache-Control"] = "no-store"  # why: secrets and recovery codes are shown here
    return page


def _enrolled(request: Request, me: BrowserSession, uow: Uow) -> BrowserSession:
    """After a factor is set up in the enrolment step: the full session that follows it (its
    cookie is new: set it on the answer), else `me`."""
    if me.stage != auth.ENROL:
        return me
    done = auth.finish_enrolment(uow, cookie=me.cookie, hours=core(request).settings.session_hours)
    return done or me


def _keep(request: Request, answer: Response, me: BrowserSession, now: BrowserSession) -> Response:
    if now.cookie != me.cookie:
        set_session_cookie(request, answer, now.cookie)
    return answer


@router.get(ENROL_PAGE, response_class=HTMLResponse)
def security(request: Request, me: EnrollingSession, uow: Uow) -> Response:
    return _page(request, me, uow)


@router.post("/account/totp")
def begin_totp(request: Request, form: EnrollingForm, me: EnrollingSession, uow: Uow) -> Response:
    try:
        started = second_factors.begin_totp(uow, me.person.id)
    except Conflict as refused:
        return _page(request, me, uow, errors={"totp": str(refused)}, status_code=409)
    return _page(request, me, uow, enrolment=started, next=form_text(form, "next"))


@router.post("/account/totp/confirm")
def confirm_totp(request: Request, form: EnrollingForm, me: EnrollingSession, uow: Uow) -> Response:
    next_url = form_text(form, "next")
    try:
        codes = second_factors.confirm_totp(uow, me.person.id, form_text(form, "code"))
    except (InvalidInput, Conflict) as bad:
        return _page(request, me, uow, errors={"code": bad.why()}, next=next_url,
                     status_code=409 if isinstance(bad, Conflict) else 422)
    except RateLimited as limited:
        return _page(request, me, uow, errors={"code": str(limited)}, next=next_url, status_code=429)
    now = _enrolled(request, me, uow)
    return _keep(request, _page(
        request, now, uow, recovery_codes=codes, next=next_url,
        notice="Your authenticator app is set up. Keep these recovery codes somewhere safe."), me, now)


@router.post("/account/totp/disable")
def disable_totp(request: Request, form: CheckedForm, me: Session, uow: Uow) -> Response:
    try:
        second_factors.disable_totp(uow, me.person.id, factor_proof(form, "code", "webauthn"))
    except (InvalidInput, Conflict, RateLimited) as bad:
        return _page(request, me, uow, errors={"disable": bad.why()}, status_code=bad.status)
    return see_other(with_notice(ENROL_PAGE, "The authenticator app is no longer used.", me.csrf))


@router.post("/account/recovery-codes")
def renew_recovery_codes(request: Request, form: CheckedForm, me: Session, uow: Uow) -> Response:
    try:
        codes = second_factors.renew_recovery_codes(uow, me.person.id, factor_proof(form, "code", "webauthn"))
    except (InvalidInput, Conflict, RateLimited) as bad:
        return _page(request, me, uow, errors={"renew": bad.why()}, status_code=bad.status)
    return _page(request, me, uow, recovery_codes=codes,
                 notice="New recovery codes: the old ones no longer work.")


@router.post("/account/passkeys/options")
def registration_options(form: EnrollingForm, me: EnrollingSession, uow: Uow) -> JSONResponse:
    """Options for navigator.credentials.create() (JSON, for passkeys.js)."""
    return JSONResponse(passkeys.registration_options(uow, me.person.id), headers=NO_STORE)


@router.post("/account/passkeys/assertion-options")
def assertion_options(form: CheckedForm, me: Session, uow: Uow) -> JSONResponse:
    """Options for navigator.credentials.get(), to give a fresh factor on a form (signing...)."""
    return JSONResponse(passkeys.assertion_options(uow, me.person.id), headers=NO_STORE)


@router.post("/account/passkeys")
def register_passkey(request: Request, form: EnrollingForm, me: EnrollingSession, uow: Uow) -> Response:
    try:
        credential = json.loads(form_text(form, "credential") or "null")
        if not isinstance(credential, dict):
            raise InvalidInput({"credential": "is missing: use the button, in a browser with passkeys"})
        key = passkeys.register_passkey(uow, me.person.id, credential, form_text(form, "name"))
    except ValueError:
        garbled = {"passkey": "the browser's answer was garbled: try again"}
        return _page(request, me, uow, errors=garbled, status_code=422)
    except InvalidInput as bad:
        return _page(request, me, uow, errors={"passkey": bad.why()}, status_code=422)
    now = _enrolled(request, me, uow)
    if now is not me:  # the enrolment step is done: on to where the person was going
        return _keep(request, see_other(safe_next(form_text(form, "next") or "/")), me, now)
    return see_other(with_notice(ENROL_PAGE, f"The passkey “{key.name}” is registered.", me.csrf))


@router.post("/account/passkeys/{passkey_id}/remove")
def remove_passkey(request: Request, passkey_id: str, form: CheckedForm, me: Session, uow: Uow) -> Response:
    try:
        passkeys.remove_passkey(uow, me.person.id, passkey_id)
    except Conflict as refused:
        return _page(request, me, uow, errors={"passkey": str(refused)}, status_code=409)
    except NotFound:
        return see_other(ENROL_PAGE)
    return see_other(with_notice(ENROL_PAGE, "The passkey is removed.", me.csrf))


# The org's policy (admins)


@router.get("/admin/second-factors", response_class=HTMLResponse)
def policy_page(request: Request, me: Session, uow: Uow) -> Response:
    require_role(me.person, Role.ADMIN)
    return _policy_page(request, me, uow)


def _policy_page(request: Request, me: BrowserSession, uow: Uow, *, status_code: int = 200,
                 errors: dict[str, str] | None = None) -> Response:
    return render(request, "admin_second_factors.html", me.person, me.csrf, status_code=status_code,
                  policy=second_factors.get_policy(uow, me.person.id, me.person.org),
                  people=second_factors.people_with_factors(uow, me.person.id),
                  choices=list(Policy), errors=errors or {})


@router.post("/admin/second-factors/{person_id}/reset")
def reset_factors(request: Request, person_id: str, form: CheckedForm, me: Session, uow: Uow) -> Response:
    require_role(me.person, Role.ADMIN)
    try:
        person = second_factors.reset_factors(uow, me.person.id, person_id=person_id)
    except PermissionDenied as refused:
        return _policy_page(request, me, uow, errors={"reset": str(refused)}, status_code=403)
    done = f"Every second factor of {person.name} is removed; their sessions and tokens have ended."
    return see_other(with_notice("/admin/second-factors", done, me.csrf))


@router.post("/admin/second-factors")
def set_policy(request: Request, form: CheckedForm, me: Session, uow: Uow) -> Response:
    require_role(me.person, Role.ADMIN)
    try:
        second_factors.set_policy(uow, me.person.id, me.person.org, form_text(form, "applies_to"))
    except InvalidInput as bad:
        return _policy_page(request, me, uow, errors=bad.errors, status_code=422)
    return see_other(with_notice("/admin/second-factors", "The policy is saved.", me.csrf))
