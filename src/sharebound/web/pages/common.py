"""What every page needs: templates, the signed-in person, CSRF, and forms handled once.

- The session cookie is HttpOnly, SameSite=Lax, and Secure when served over https.
- Every state-changing form carries the session's CSRF secret (`csrf`) and a one-time
  `form_id`; a second submit of the same form goes where the first one went.
- A route that handles such a form takes `FormUow`: its claim, its use case and where the
  form led are written in one transaction.
- A page that needs a person sends whoever has no live session to /login?next=<page>.
"""

from __future__ import annotations

import hmac
import json
import secrets
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import quote, urlencode, urlsplit

from fastapi import Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from starlette.datastructures import FormData

from sharebound.domain.errors import InvalidInput, PermissionDenied, ShareboundError, Unauthenticated
from sharebound.domain.orgs import Person
from sharebound.domain.second_factors import FactorProof
from sharebound.services import auth, forms, notifications
from sharebound.services.auth import BrowserSession
from sharebound.services.unit_of_work import UnitOfWork

# The same core and unit of work as the API: one definition serves both.
from sharebound.web.deps import Uow as Uow
from sharebound.web.deps import core as core

SESSION_COOKIE = "sb_session"
LOGIN_CSRF_COOKIE = "sb_login_csrf"
templates = Jinja2Templates(directory=Path(__file__).parent.parent / "templates")


class LoginRequired(Exception):
    """Raised by pages without a live session; answered with a redirect to /login."""

    def __init__(self, next_url: str) -> None:
        self.next_url = next_url


class StepRequired(Exception):
    """Raised by pages for a session that is still a sign-in step (a second factor to give,
    one to set up); answered with a redirect to that step's page."""

    def __init__(self, url: str) -> None:
        self.url = url


SECOND_STEP_PAGE = "/login/second-factor"
ENROL_PAGE = "/account/security"


def _any_session(request: Request) -> BrowserSession:
    cookie = request.cookies.get(SESSION_COOKIE)
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    if not cookie:
        raise LoginRequired(target)
    try:
        return auth.session_of(core(request).uow(), cookie)
    except Unauthenticated:
        raise LoginRequired(target) from None


def session(request: Request) -> BrowserSession:
    """The signed-in person: a session that is only a sign-in step reaches no page but its step's."""
    found = _any_session(request)
    if found.stage == auth.SECOND_FACTOR:
        raise StepRequired(SECOND_STEP_PAGE)
    if found.stage == auth.ENROL:
        raise StepRequired(ENROL_PAGE)
    return found


def enrolling_session(request: Request) -> BrowserSession:
    """A signed-in person, or one whose org requires a factor they are setting up."""
    found = _any_session(request)
    if found.stage == auth.SECOND_FACTOR:
        raise StepRequired(SECOND_STEP_PAGE)
    return found


def second_step_session(request: Request) -> BrowserSession:
    """A person whose password was right and who has a second factor still to give."""
    found = _any_session(request)
    if found.stage != auth.SECOND_FACTOR:
        raise StepRequired("/")
    return found


Session = Annotated[BrowserSession, Depends(session)]
AnySession = Annotated[BrowserSession, Depends(_any_session)]  # whatever its stage: signing out
EnrollingSession = Annotated[BrowserSession, Depends(enrolling_session)]
SecondStepSession = Annotated[BrowserSession, Depends(second_step_session)]


def form_uow(uow: Uow) -> Iterator[UnitOfWork]:
    """The unit of work of a once-only form's POST: the form claim, the use case and where
    the form led (`claim_form`, the use case, `finish_form`) write in one transaction, which
    commits as the route ends, before the answer is sent (so the POST opens at most two: the
    session's and this one)."""
    with uow.held():
        yield uow


#: What a page route that handles a once-only form takes instead of `Uow`.
FormUow = Annotated[UnitOfWork, Depends(form_uow, scope="function")]


async def posted_form(request: Request) -> AsyncIterator[FormData]:
    """The submitted form, closed (with its uploaded files) once the answer is sent."""
    async with request.form() as form:
        yield form


PostedForm = Annotated[FormData, Depends(posted_form)]


async def checked_form(form: PostedForm, me: Session) -> FormData:
    """The submitted form of a signed-in person, refused unless it carries their CSRF secret."""
    check_csrf(form, me.csrf)
    return form


#: What every state-changing page route takes: a route cannot forget the CSRF check.
CheckedForm = Annotated[FormData, Depends(checked_form)]


async def enrolling_form(form: PostedForm, me: EnrollingSession) -> FormData:
    check_csrf(form, me.csrf)
    return form


async def second_step_form(form: PostedForm, me: SecondStepSession) -> FormData:
    check_csrf(form, me.csrf)
    return form


async def any_stage_form(form: PostedForm, me: AnySession) -> FormData:
    check_csrf(form, me.csrf)
    return form


AnyStageForm = Annotated[FormData, Depends(any_stage_form)]
EnrollingForm = Annotated[FormData, Depends(enrolling_form)]
SecondStepForm = Annotated[FormData, Depends(second_step_form)]


def safe_next(target: str | None) -> str:
    """Only a path on this site: never an open redirect."""
    if (not target or not target.startswith("/") or target.startswith("//") or "\\" in target
            or urlsplit(target).netloc):
        return "/"
    return target


def login_redirect(next_url: str) -> RedirectResponse:
    return RedirectResponse(f"/login?next={quote(safe_next(next_url), safe='')}", status_code=303)


def check_csrf(form: Any, expected: str) -> None:
    given = form.get("csrf")
    if not isinstance(given, str) or not hmac.compare_digest(given, expected):
        raise PermissionDenied("this form has expired or did not come from this site: reload and try again")


def render(request: Request, template: str, person: Person | None = None, csrf: str = "",
           status_code: int = 200, **context: Any) -> HTMLResponse:
    context.setdefault("notice", signed_notice(request, csrf))
    if person is not None and "unread" not in context:  # the nav's unread count, unless the
        # page's read model brought it (why not setdefault: it would read it anyway)
        context["unread"] = notifications.unread_count(core(request).uow(), person.id)
    return templates.TemplateResponse(request, template, {
        "me": person, "csrf": csrf, "form_id": secrets.token_urlsafe(16), **context,
    }, status_code=status_code)


def see_other(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


def claim_form(uow: UnitOfWork, form: Any, person: Person, fallback: str) -> Response | None:
    """None for a new form; for one submitted before (a double submit), where the first led."""
    earlier = forms.claim_form(uow, person.id, form.get("form_id"))
    if earlier is None:
        return None
    if earlier.person_id == person.id and earlier.result:
        return see_other(earlier.result)
    return see_other(fallback)  # the first submit is still being handled


def finish_form(uow: UnitOfWork, form: Any, result: str) -> RedirectResponse:
    """Remember where this form led, then go there."""
    forms.finish_form(uow, form.get("form_id"), result)
    return see_other(result)


def with_notice(url: str, notice: str, key: str) -> str:
    """`url` with a notice for the next page to show, signed with the session's secret `key`.

    Only a notice signed for this session is shown (see `render`), so nobody can make our
    pages say something by sending a person a crafted link.
    """
    path, _, fragment = url.partition("#")
    text = notice[:300]
    query = urlencode({"notice": text, "ns": _notice_mac(text, key)})
    joined = f"{path}{'&' if '?' in path else '?'}{query}"
    return f"{joined}#{fragment}" if fragment else joined


def _notice_mac(text: str, key: str) -> str:
    return hmac.new(key.encode(), b"notice:" + text.encode(), "sha256").hexdigest()[:32]


def signed_notice(request: Request, key: str) -> str | None:
    text, mac = request.query_params.get("notice"), request.query_params.get("ns")
    if text and mac and key and hmac.compare_digest(mac, _notice_mac(text, key)):
        return text
    return None


def act_once(uow: UnitOfWork, form: Any, me: BrowserSession, here: str, action: Callable[[], object],
             *, done: str, failed: str) -> Response:
    """The shape of a one-button form: run `action` once, then go back to `here` saying how
    it went (`done`, or `failed` with the reason the use case gave)."""
    if (again := claim_form(uow, form, me.person, here)) is not None:
        return again
    try:
        action()
    except ShareboundError as bad:
        if not bad.on_form:  # a 404, a 503...: the page answers with the error's own status
            raise
        return finish_form(uow, form, with_notice(here, f"{failed}: {bad.why()}", me.csrf))
    return finish_form(uow, form, with_notice(here, done, me.csrf))


def factor_proof(form: Any, code_field: str, webauthn_field: str) -> FactorProof:
    """The second factor a form gives: a typed code, or a passkey's assertion (JSON, put in
    a hidden field by static/passkeys.js). Malformed JSON is a 422 naming the code field."""
    code = form_text(form, code_field).strip() or None
    assertion = form_text(form, webauthn_field).strip()
    if not assertion:
        return FactorProof(code=code)
    try:
        parsed = json.loads(assertion)
    except ValueError:
        parsed = None
    if not isinstance(parsed, dict):
        raise InvalidInput({code_field: "the passkey's answer was garbled: try again"})
    return FactorProof(webauthn=parsed)


def form_text(form: Any, name: str) -> str:
    """A text field of a form, or "" when it is missing or is a file."""
    value = form.get(name)
    return value if isinstance(value, str) else ""
