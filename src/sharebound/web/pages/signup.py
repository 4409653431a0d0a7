"""Signing an organization up (`/signup`, when open sign-up is on) and joining a partnership
through a partner invitation's link (`/join/<token>`, always). Neither needs a session: a
cookie set with the form carries its CSRF secret, as on the sign-in page."""

from __future__ import annotations

import secrets
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from sharebound.domain.errors import Conflict, InvalidInput, NotFound, RateLimited, ShareboundError
from sharebound.services import partner_invitations, signup
from sharebound.services.auth import BrowserSession, session_of
from sharebound.services.orgs import NewOrg
from sharebound.services.partner_invitations import InvitationUnusable
from sharebound.web.pages.common import (
    SESSION_COOKIE,
    CheckedForm,
    PostedForm,
    Session,
    Uow,
    core,
    form_text,
    render,
    see_other,
    with_notice,
)

router = APIRouter(include_in_schema=False)
FORM_CSRF_COOKIE = "sb_form_csrf"
ORG_FIELDS = ("name", "handle", "legal_name", "address", "admin.name", "admin.email")


def _page(request: Request, template: str, *, path: str, status_code: int = 200,
          **context: Any) -> Response:
    token = secrets.token_urlsafe(24)
    page = render(request, template, status_code=status_code, form_csrf=token, **context)
    page.set_cookie(FORM_CSRF_COOKIE, token, httponly=True, samesite="strict",
                    secure=request.url.scheme == "https", path=path)
    return page


def _csrf_ok(request: Request, form: Any) -> bool:
    expected = request.cookies.get(FORM_CSRF_COOKIE, "")
    return bool(expected) and form.get("csrf") == expected


def _signed_in(request: Request, answer: Response, session: BrowserSession) -> Response:
    hours = core(request).settings.session_hours
    answer.set_cookie(SESSION_COOKIE, session.cookie, httponly=True, samesite="lax",
                      secure=request.url.scheme == "https", max_age=hours * 3600)
    return answer


def _address(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def _closed(request: Request) -> Response:
    return render(request, "signup_closed.html", status_code=404)


@router.get("/signup", response_class=HTMLResponse)
def signup_form(request: Request) -> Response:
    if not core(request).settings.open_signup:
        return _closed(request)
    return _page(request, "signup.html", path="/signup", values={}, errors={})


@router.post("/signup")
def sign_up(request: Request, form: PostedForm, uow: Uow) -> Response:
    settings = core(request).settings
    if not settings.open_signup:
        return _closed(request)
    values = {k: form_text(form, k) for k in ORG_FIELDS}

    def again(errors: dict[str, str], status: int) -> Response:
        return _page(request, "signup.html", path="/signup", values=values, errors=errors,
                     status_code=status)

    if not _csrf_ok(request, form):
        return again({"form": "The sign-up form expired: try again."}, 400)
    try:
        draft = NewOrg.checked(handle=values["handle"], name=values["name"],
                               legal_name=values["legal_name"], address=values["address"],
                               admin_name=values["admin.name"], admin_email=values["admin.email"],
                               admin_password=form_text(form, "admin.password"))
        made = signup.sign_up(uow, draft, address=_address(request), session_hours=settings.session_hours)
    except InvalidInput as bad:
        return again(bad.errors, 422)
    except Conflict as taken:
        return again({"form": str(taken)}, 409)
    except RateLimited as limited:
        return again({"form": str(limited)}, 429)
    assert made.session is not None
    welcome = f"Welcome: {made.org.name} is set up. The checklist below shows what to do first."
    return _signed_in(request, see_other(with_notice("/", welcome, made.session.csrf)), made.session)


# --- joining through a partner invitation's link ------------------------------------------------

def _maybe_session(request: Request, uow: Uow) -> BrowserSession | None:
    cookie = request.cookies.get(SESSION_COOKIE)
    if not cookie:
        return None
    try:
        return session_of(uow, cookie)
    except ShareboundError:
        return None


def _refused(request: Request, error: ShareboundError) -> Response:
    """The one page for a link that cannot be used; unknown and tampered links read the same."""
    message = partner_invitations.UNKNOWN if isinstance(error, NotFound) else str(error)
    status = error.status if isinstance(error, NotFound | InvitationUnusable) else 404
    return render(request, "join_refused.html", message=message, status_code=status)


@router.get("/join/{token}", response_class=HTMLResponse)
def join_form(request: Request, token: str, uow: Uow) -> Response:
    try:
        view = partner_invitations.look_up(uow, token)
    except (NotFound, InvitationUnusable) as bad:
        return _refused(request, bad)
    me = _maybe_session(request, uow)
    return _page(request, "join.html", path="/join", view=view, token=token, values={}, errors={},
                 signed_in=me.person if me else None, me_csrf=me.csrf if me else "")


@router.post("/join/{token}")
def join(request: Request, token: str, form: PostedForm, uow: Uow) -> Response:
    """Create the org with the invited address as its first admin's; signed in, to its home."""
    values = {k: form_text(form, k) for k in ORG_FIELDS}
    try:
        view = partner_invitations.look_up(uow, token)
    except (NotFound, InvitationUnusable) as bad:
        return _refused(request, bad)

    def again(errors: dict[str, str], status: int) -> Response:
        return _page(request, "join.html", path="/join", view=view, token=token, values=values,
                     errors=errors, status_code=status, signed_in=None, me_csrf="")

    if not _csrf_ok(request, form):
        return again({"form": "The form expired: try again."}, 400)
    try:
        joined = partner_invitations.join_with_new_org(
            uow, token, handle=values["handle"], name=values["name"], legal_name=values["legal_name"],
            address=values["address"], admin_name=values["admin.name"],
            password=form_text(form, "admin.password"), session_hours=core(request).settings.session_hours)
    except (NotFound, InvitationUnusable) as bad:
        return _refused(request, bad)
    except InvalidInput as bad:
        return again(bad.errors, 422)
    except Conflict as taken:
        return again({"form": str(taken)}, 409)
    welcome = (f"Welcome: {joined.org.name} is set up. {view.proposer.name} proposes "
               f"“{joined.partnership.name}”: accept it below to start.")
    return _signed_in(request, see_other(with_notice("/", welcome, joined.session.csrf)), joined.session)


@router.post("/join/{token}/take")
def take(request: Request, token: str, form: CheckedForm, me: Session, uow: Uow) -> Response:
    """A signed-in person the link was sent to takes the proposal to their own org."""
    try:
        made = partner_invitations.join_with_account(uow, me.person.id, token)
    except (NotFound, InvitationUnusable) as bad:
        return _refused(request, bad)
    except InvalidInput as bad:
        return render(request, "join_refused.html", me.person, me.csrf, message=bad.why(), status_code=422)
    return see_other(with_notice(f"/partnerships/{made.id}",
                                 f"The proposal now waits for {me.person.org} to accept it.", me.csrf))
