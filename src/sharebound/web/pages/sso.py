"""Pages: single sign-on — start it from the sign-in page, the provider's callback, a fresh
sign-in to confirm it is you, and the admin's settings of the org's provider (docs/sso.md).

The sign-in under way is bound to the browser by `sb_sso`, a short-lived HttpOnly cookie
(SameSite=Lax: the provider's redirect back is a top-level GET, which carries it).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from sharebound.domain.errors import Conflict, InvalidInput, NotFound, SsoRefused
from sharebound.domain.orgs import Role
from sharebound.domain.sso import LOGIN_TTL
from sharebound.services import auth, sso
from sharebound.services.auth import BrowserSession
from sharebound.services.common import require_role
from sharebound.services.unit_of_work import UnitOfWork
from sharebound.web.pages.auth import login_page
from sharebound.web.pages.common import (
    ENROL_PAGE,
    LOGIN_CSRF_COOKIE,
    SECOND_STEP_PAGE,
    SESSION_COOKIE,
    CheckedForm,
    FormUow,
    PostedForm,
    Session,
    Uow,
    act_once,
    core,
    form_text,
    render,
    safe_next,
    see_other,
    with_notice,
)

router = APIRouter(include_in_schema=False)
SSO_COOKIE = "sb_sso"
ADMIN = "/admin/sso"


def _to_provider(request: Request, started: sso.Started, *, from_form: bool) -> Response:
    """To the provider's authorization endpoint; from a form, by a page that refreshes to it
    (the form's CSP, form-action 'self', stops a redirect to another site)."""
    answer = (render(request, "sso_redirect.html", url=started.url) if from_form
              else see_other(started.url))
    answer.set_cookie(SSO_COOKIE, started.browser, httponly=True, samesite="lax", path="/sso",
                      secure=request.url.scheme == "https", max_age=int(LOGIN_TTL.total_seconds()))
    return answer


@router.post("/login/sso")
def start(request: Request, form: PostedForm, uow: Uow) -> Response:
    """"Continue with SSO": the email's domain names the org's provider."""
    next_url = safe_next(form_text(form, "next") or "/")
    email = form_text(form, "email")
    expected = request.cookies.get(LOGIN_CSRF_COOKIE, "")
    if not expected or form.get("csrf") != expected:
        return login_page(request, next_url, email, {"form": "The sign-in form expired: try again."}, 400)
    try:
        started = sso.begin(uow, email=email, next_url=next_url, base_url=core(request).settings.base_url)
    except InvalidInput as bad:
        return login_page(request, next_url, email, bad.errors, 422)
    except NotFound:
        return login_page(request, next_url, email, {"form": (
            "Single sign-on is not set up for this email's domain: sign in with your password.")}, 404)
    return _to_provider(request, started, from_form=True)


@router.get("/sso/reauth")
def reauthenticate(request: Request, me: Session, uow: Uow, next: str = "/") -> Response:
    """Sign in again at the provider (prompt=login), to confirm it is you before signing."""
    started = sso.begin(uow, email=me.person.email, next_url=safe_next(next),
                        base_url=core(request).settings.base_url, reauth_cookie=me.cookie)
    return _to_provider(request, started, from_form=False)


@router.get("/sso/callback", response_class=HTMLResponse)
def callback(request: Request, uow: Uow, state: str = "", code: str | None = None,
             error: str | None = None) -> Response:
    settings = core(request).settings
    try:
        done = sso.finish(uow, state=state[:200], code=code, error=error,
                          browser=request.cookies.get(SSO_COOKIE, ""), base_url=settings.base_url,
                          oidc=core(request).oidc(), hours=settings.session_hours)
    except SsoRefused as refused:
        page = render(request, "error.html", status_code=401, title="Single sign-on refused",
                      detail=str(refused), reason=refused.reason, back="/login")
        page.delete_cookie(SSO_COOKIE, path="/sso")
        return page
    next_url = safe_next(done.next_url)
    if done.session.stage == auth.SECOND_FACTOR:  # the person's own factor, as after a password
        answer = see_other(f"{SECOND_STEP_PAGE}?next={quote(next_url, safe='')}")
    elif done.session.stage == auth.ENROL:
        answer = see_other(f"{ENROL_PAGE}?next={quote(next_url, safe='')}")
    else:
        answer = see_other(next_url)
    answer.delete_cookie(SSO_COOKIE, path="/sso")
    if done.session.cookie:
        answer.set_cookie(SESSION_COOKIE, done.session.cookie, httponly=True, samesite="lax",
                          secure=request.url.scheme == "https", max_age=settings.session_hours * 3600)
    return answer


# --- the admin's page ------------------------------------------------------------------------

def _rules_text(provider: Any) -> str:
    if provider is None:
        return ""
    return "\n".join(f"{r.claim}={r.value}: {','.join(sorted(r.roles))}" for r in provider.role_rules)


def _parse_rules(text: str) -> list[dict[str, object]] | str:
    """`groups=partner-admins: admin,signer` a line, or the line that is not that."""
    rules: list[dict[str, object]] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        left, colon, roles = line.rpartition(":")
        claim, equals, value = left.partition("=")
        if not colon or not equals:
            return f"line {number} is not like groups=partner-admins: admin,signer"
        rules.append({"claim": claim.strip(), "value": value.strip(),
                      "roles": [r.strip() for r in roles.split(",") if r.strip()]})
    return rules


def _admin_page(request: Request, me: BrowserSession, uow: UnitOfWork, *, status_code: int = 200,
                errors: dict[str, str] | None = None, typed: dict[str, Any] | None = None,
                notice: str | None = None) -> HTMLResponse:
    provider = sso.get_provider(uow, me.person.id, me.person.org)
    shown = typed or {
        "issuer": provider.issuer if provider else "", "client_id": provider.client_id if provider else "",
        "domains": " ".join(sorted(provider.domains)) if provider else "",
        "rules": _rules_text(provider), "require_sso": bool(provider and provider.require_sso),
        "jit": bool(provider and provider.jit)}
    context: dict[str, Any] = {} if notice is None else {"notice": notice}
    return render(request, "admin_sso.html", me.person, me.csrf, status_code=status_code,
                  provider=provider, typed=shown, errors=errors or {},
                  redirect_uri=sso.redirect_uri(core(request).settings.base_url), **context)


@router.get(ADMIN, response_class=HTMLResponse)
def admin_page(request: Request, me: Session, uow: Uow) -> HTMLResponse:
    require_role(me.person, Role.ADMIN)
    return _admin_page(request, me, uow)


@router.post(ADMIN)
def save(request: Request, form: CheckedForm, me: Session, uow: Uow) -> Response:
    require_role(me.person, Role.ADMIN)
    domains, rules_text = form_text(form, "domains"), form_text(form, "rules")
    typed = {"issuer": form_text(form, "issuer"), "client_id": form_text(form, "client_id"),
             "domains": domains, "rules": rules_text,
             "require_sso": form.get("require_sso") == "yes", "jit": form.get("jit") == "yes"}
    rules = _parse_rules(rules_text)
    if isinstance(rules, str):
        return _admin_page(request, me, uow, status_code=422, typed=typed, errors={"role_mapping": rules})
    data = {"issuer": typed["issuer"], "client_id": typed["client_id"],
            "client_secret": form_text(form, "client_secret") or None,
            "domains": domains.replace(",", " ").split(), "role_mapping": rules,
            "require_sso": typed["require_sso"], "jit": typed["jit"]}
    try:
        sso.configure(uow, me.person.id, me.person.org, {k: v for k, v in data.items() if v is not None},
                      oidc=core(request).oidc())
    except InvalidInput as bad:
        return _admin_page(request, me, uow, status_code=422, typed=typed, errors=bad.errors)
    except Conflict as conflict:
        return _admin_page(request, me, uow, status_code=409, typed=typed, errors={"domains": str(conflict)})
    return see_other(with_notice(ADMIN, "The single sign-on settings are saved.", me.csrf))


@router.post(f"{ADMIN}/delete")
def delete(form: CheckedForm, me: Session, uow: FormUow) -> Response:
    return act_once(uow, form, me, ADMIN, lambda: sso.remove(uow, me.person.id, me.person.org),
                    done="Single sign-on is off: your people sign in with passwords.",
                    failed="Single sign-on could not be turned off")


