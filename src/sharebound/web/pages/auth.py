"""Sign in and out, change password, accept an invitation."""

from __future__ import annotations

import secrets

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from sharebound.domain.errors import InvalidInput, NotFound, RateLimited, Unauthenticated
from sharebound.services import auth
from sharebound.web.pages.common import (
    LOGIN_CSRF_COOKIE,
    SESSION_COOKIE,
    CheckedForm,
    PostedForm,
    Session,
    Uow,
    core,
    render,
    safe_next,
    see_other,
)

router = APIRouter(include_in_schema=False)


def _login_page(request: Request, next_url: str, email: str = "", errors: dict[str, str] | None = None,
                status_code: int = 200) -> Response:
    token = secrets.token_urlsafe(24)
    page = render(request, "login.html", login_csrf=token, next=safe_next(next_url), email=email,
                  errors=errors or {}, status_code=status_code,
                  open_signup=core(request).settings.open_signup)
    page.set_cookie(LOGIN_CSRF_COOKIE, token, httponly=True, samesite="strict",
                    secure=request.url.scheme == "https", path="/login")
    return page


@router.get("/login", response_class=HTMLResponse)
def login_form(request: Request, next: str = "/") -> Response:
    return _login_page(request, next)


@router.post("/login")
def login(request: Request, form: PostedForm, uow: Uow) -> Response:
    next_url = safe_next(str(form.get("next") or "/"))
    email = str(form.get("email") or "")
    expected = request.cookies.get(LOGIN_CSRF_COOKIE, "")
    if not expected or form.get("csrf") != expected:
        return _login_page(request, next_url, email, {"form": "The sign-in form expired: try again."}, 400)
    address = request.client.host if request.client else "unknown"
    try:
        started = auth.start_session(uow, email=email, password=str(form.get("password") or ""),
                                     address=address, hours=core(request).settings.session_hours)
    except InvalidInput as bad:
        return _login_page(request, next_url, email, bad.errors, 422)
    except Unauthenticated:
        return _login_page(request, next_url, email, {"form": "Wrong email or password."}, 401)
    except RateLimited as limited:
        return _login_page(request, next_url, email, {"form": str(limited)}, 429)
    answer = see_other(next_url)
    hours = core(request).settings.session_hours
    answer.set_cookie(SESSION_COOKIE, started.cookie, httponly=True, samesite="lax",
                      secure=request.url.scheme == "https", max_age=hours * 3600)
    answer.delete_cookie(LOGIN_CSRF_COOKIE, path="/login")
    return answer


@router.post("/logout")
def logout(request: Request, form: CheckedForm, me: Session, uow: Uow) -> Response:
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
    return _login_page(request, "/", person.email)
