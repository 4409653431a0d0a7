"""Sign in and out, change password, accept an invitation."""

from __future__ import annotations

import secrets
from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response

from sharebound.domain.errors import InvalidInput, NotFound, RateLimited, SsoRequired, Unauthenticated
from sharebound.services import auth, passkeys, second_factors
from sharebound.services.auth import BrowserSession
from sharebound.web.pages.common import (
    ENROL_PAGE,
    LOGIN_CSRF_COOKIE,
    SECOND_STEP_PAGE,
    SESSION_COOKIE,
    AnySession,
    AnyStageForm,
    CheckedForm,
    PostedForm,
    SecondStepForm,
    SecondStepSession,
    Session,
    Uow,
    core,
    factor_proof,
    form_text,
    render,
    safe_next,
    see_other,
)

router = APIRouter(include_in_schema=False)


def login_page(request: Request, next_url: str, email: str = "", errors: dict[str, str] | None = None,
               status_code: int = 200, *, sso_first: bool = False) -> Response:
    """The sign-in page: a password form, and "Continue with SSO" for an email's domain
    (`sso_first`: the email's org signs in with SSO only)."""
    token = secrets.token_urlsafe(24)
    page = render(request, "login.html", login_csrf=token, next=safe_next(next_url), email=email,
                  errors=errors or {}, status_code=status_code, sso_first=sso_first,
                  open_signup=core(request).settings.open_signup)
    page.set_cookie(LOGIN_CSRF_COOKIE, token, httponly=True, samesite="strict",
                    secure=request.url.scheme == "https", path="/login")
    return page


@router.get("/login", response_class=HTMLResponse)
def login_form(request: Request, next: str = "/") -> Response:
    return login_page(request, next)


@router.post("/login")
def login(request: Request, form: PostedForm, uow: Uow) -> Response:
    next_url = safe_next(str(form.get("next") or "/"))
    email = str(form.get("email") or "")
    expected = request.cookies.get(LOGIN_CSRF_COOKIE, "")
    if not expected or form.get("csrf") != expected:
        return login_page(request, next_url, email, {"form": "The sign-in form expired: try again."}, 400)
    address = request.client.host if request.client else "unknown"
    try:
        started = auth.start_session(uow, email=email, password=str(form.get("password") or ""),
                                     address=address, hours=core(request).settings.session_hours)
    except InvalidInput as bad:
        return login_page(request, next_url, email, bad.errors, 422)
    except SsoRequired as required:
        return login_page(request, next_url, email, {"form": str(required)}, 401, sso_first=True)
    except Unauthenticated:
        return login_page(request, next_url, email, {"form": "Wrong email or password."}, 401)
    except RateLimited as limited:
        return login_page(request, next_url, email, {"form": str(limited)}, 429)
    if started.stage == auth.SECOND_FACTOR:
        answer = see_other(f"{SECOND_STEP_PAGE}?next={quote(next_url, safe='')}")
    elif started.stage == auth.ENROL:
        answer = see_other(f"{ENROL_PAGE}?next={quote(next_url, safe='')}")
    else:
        answer = see_other(next_url)
    set_session_cookie(request, answer, started.cookie)
    answer.delete_cookie(LOGIN_CSRF_COOKIE, path="/login")
    return answer


def set_session_cookie(request: Request, answer: Response, cookie: str) -> None:
    hours = core(request).settings.session_hours
    answer.set_cookie(SESSION_COOKIE, cookie, httponly=True, samesite="lax",
                      secure=request.url.scheme == "https", max_age=hours * 3600)


# The second step: a code from the authenticator app, a recovery code, or a passkey


def _second_step_page(request: Request, me: BrowserSession, uow: Uow, next_url: str,
                      errors: dict[str, str] | None = None, status_code: int = 200) -> Response:
    status = second_factors.status(uow, me.person.id)
    page = render(request, "second_factor.html", None, me.csrf, status_code=status_code, who=me.person,
                  status=status, next=safe_next(next_url), errors=errors or {})
    page.headers["Cache-Control"] = "no-store"
    return page


@router.get(SECOND_STEP_PAGE, response_class=HTMLResponse)
def second_step_form(request: Request, me: SecondStepSession, uow: Uow, next: str = "/") -> Response:
    return _second_step_page(request, me, uow, next)


@router.post(SECOND_STEP_PAGE)
def second_step(request: Request, form: SecondStepForm, me: SecondStepSession, uow: Uow) -> Response:
    next_url = safe_next(form_text(form, "next") or "/")
    try:
        proof = factor_proof(form, "code", "webauthn")
        done = auth.complete_second_step(uow, cookie=me.cookie, proof=proof,
                                         hours=core(request).settings.session_hours)
    except InvalidInput as bad:
        errors = {"code": bad.why()}
        return _second_step_page(request, me, uow, next_url, errors, 422)
    except RateLimited as limited:
        return _second_step_page(request, me, uow, next_url, {"code": str(limited)}, 429)
    answer = see_other(next_url)
    set_session_cookie(request, answer, done.cookie)
    return answer


@router.post(SECOND_STEP_PAGE + "/passkey-options")
def second_step_options(form: SecondStepForm, me: SecondStepSession, uow: Uow) -> JSONResponse:
    """Options for navigator.credentials.get() with the person's passkeys (JSON, for passkeys.js)."""
    return JSONResponse(passkeys.assertion_options(uow, me.person.id),
                        headers={"Cache-Control": "no-store"})


@router.post("/logout")
def logout(request: Request, form: AnyStageForm, me: AnySession, uow: Uow) -> Response:
    auth.end_session(uow, me.cookie)
    answer = see_other("/login")
    answer.delete_cookie(SESSION_COOKIE)
    return answer


@router.get("/password", response_class=HTMLResponse)
def password_form(request: Request, me: Session) -> Response:
    return render(request, "password.html", me.person, me.csrf, errors={})


@router.post("/password")
def change_password(request: Request, form: CheckedForm, me: Session, uow: Uow) -> Response:
    try:
        auth.change_password(uow, me.person.id, current=str(form.get("current_password") or ""),
                             new=str(form.get("new_password") or ""), keep_session=me.cookie,
                             keep_tokens=form.get("keep_tokens") == "yes")
    except InvalidInput as bad:
        return render(request, "password.html", me.person, me.csrf, errors=bad.errors, status_code=422)
    return render(request, "password.html", me.person, me.csrf, errors={},
                  notice="Your password is changed.")


@router.get("/invitations/accept", response_class=HTMLResponse)
def invitation_form(request: Request, token: str = "") -> Response:
    return render(request, "invitation.html", token=token, errors={})


@router.post("/invitations/accept")
def accept_invitation(request: Request, form: PostedForm, uow: Uow) -> Response:
    token = str(form.get("token") or "")
    try:
        person = auth.accept_invitation(uow, token=token, password=str(form.get("password") or ""))
    except InvalidInput as bad:
        return render(request, "invitation.html", token=token, errors=bad.errors, status_code=422)
    except NotFound:
        gone = "This invitation is used, expired or unknown: ask your admin for a new one."
        return render(request, "invitation.html", token="", status_code=404, errors={"form": gone})
    return login_page(request, "/", person.email)
