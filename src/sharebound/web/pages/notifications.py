"""Pages: your notifications (unread first marked), your preferences, and the admin's webhooks
and deliveries (failed emails and webhook deliveries, so that nothing fails silently)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from sharebound.domain.errors import InvalidInput
from sharebound.domain.notifications import KIND_LABELS, Kind, Mode
from sharebound.domain.orgs import Role
from sharebound.services import notifications, webhooks
from sharebound.services.auth import BrowserSession
from sharebound.services.common import require_role
from sharebound.services.unit_of_work import UnitOfWork
from sharebound.web.pages.common import (
    CheckedForm,
    FormUow,
    Session,
    Uow,
    act_once,
    claim_form,
    core,
    finish_form,
    form_text,
    render,
    with_notice,
)
from sharebound.web.paging import page_request

router = APIRouter(include_in_schema=False)
HOOKS = "/admin/webhooks"


@router.get("/notifications", response_class=HTMLResponse)
def notifications_page(request: Request, me: Session, uow: Uow, unread: bool = False,
                       notes_after: str = "", notes_before: str = "") -> HTMLResponse:
    """One page of 50, newest first, with "Newer" and "Older" links."""
    found, count = notifications.notifications_page(uow, me.person.id, page_request(notes_after, notes_before,
                                                                                    "notes"), unread=unread)
    return render(request, "notifications.html", me.person, me.csrf, notes=found, unread=count,
                  only_unread=unread)


@router.post("/notifications/read")
def mark_read(form: CheckedForm, me: Session, uow: FormUow) -> Response:
    """One notification (`id`) or all of them."""
    one = form_text(form, "id")
    return act_once(uow, form, me, "/notifications",
                    lambda: notifications.mark_read(uow, me.person.id, [one] if one else None),
                    done="Marked read.", failed="Nothing was marked")


def _preferences_page(request: Request, me: BrowserSession, uow: UnitOfWork, *,
                      status_code: int = 200, errors: dict[str, str] | None = None,
                      typed: dict[str, str] | None = None) -> HTMLResponse:
    chosen = {k.value: m.value for k, m in notifications.get_preferences(uow, me.person.id).items()}
    return render(request, "notification_preferences.html", me.person, me.csrf, status_code=status_code,
                  kinds=[(k.value, KIND_LABELS[k]) for k in Kind], modes=[m.value for m in Mode],
                  chosen={**chosen, **(typed or {})}, errors=errors or {})


@router.get("/notifications/preferences", response_class=HTMLResponse)
def preferences(request: Request, me: Session, uow: Uow) -> HTMLResponse:
    return _preferences_page(request, me, uow)


@router.post("/notifications/preferences")
def save_preferences(request: Request, form: CheckedForm, me: Session, uow: FormUow) -> Response:
    typed = {k.value: form_text(form, k.value) for k in Kind if form_text(form, k.value)}
    claimed = claim_form(uow, form, me.person, "/notifications/preferences")
    if claimed is not None:
        return claimed
    try:
        notifications.set_preferences(uow, me.person.id, typed)
    except InvalidInput as bad:
        return _preferences_page(request, me, uow, status_code=422, errors=bad.errors, typed=typed)
    return finish_form(uow, form, with_notice("/notifications/preferences", "Your preferences are saved.",
                                               me.csrf))


def _hooks_page(request: Request, me: BrowserSession, uow: UnitOfWork, *, status_code: int = 200,
                errors: dict[str, str] | None = None, typed: dict[str, Any] | None = None,
                secret: tuple[str, str] | None = None) -> HTMLResponse:
    hooks = [webhooks.get_webhook(uow, me.person.id, h.id)
             for h in webhooks.list_webhooks(uow, me.person.id, me.person.org)]
    trouble = webhooks.org_deliveries(uow, me.person.id)
    return render(request, "admin_webhooks.html", me.person, me.csrf, status_code=status_code,
                  hooks=hooks, kinds=[k.value for k in Kind], errors=errors or {},
                  typed=typed or {"url": "", "kinds": []}, secret=secret,
                  emails=trouble["emails"], failed_hooks=trouble["webhooks"])


@router.get("/admin/webhooks", response_class=HTMLResponse)
def hooks_page(request: Request, me: Session, uow: Uow) -> HTMLResponse:
    require_role(me.person, Role.ADMIN)
    return _hooks_page(request, me, uow)


@router.post("/admin/webhooks")
def add_hook(request: Request, form: CheckedForm, me: Session, uow: Uow) -> Response:
    """Not one held transaction (`FormUow`): the use case looks the host up in DNS, which must
    not happen under the write lock."""
    require_role(me.person, Role.ADMIN)
    url = form_text(form, "url")
    kinds = [k for k in form.getlist("kinds") if isinstance(k, str)]
    claimed = claim_form(uow, form, me.person, HOOKS)
    if claimed is not None:
        return claimed
    try:
        settings = core(request).settings
        hook, secret = webhooks.create_webhook(uow, me.person.id, me.person.org, url=url, kinds=kinds,
                                               base_url=settings.base_url,
                                               allow=settings.webhook_allow_list)
    except InvalidInput as bad:
        return _hooks_page(request, me, uow, status_code=422, errors=bad.errors,
                           typed={"url": url, "kinds": kinds})
    finish_form(uow, form, HOOKS)  # a double submit goes to the list: the secret is shown once
    return _hooks_page(request, me, uow, secret=(hook.id, secret))


@router.post("/admin/webhooks/{webhook_id}/rotate")
def rotate(request: Request, webhook_id: str, form: CheckedForm, me: Session, uow: FormUow) -> Response:
    claimed = claim_form(uow, form, me.person, HOOKS)
    if claimed is not None:
        return claimed
    hook, secret = webhooks.rotate_secret(uow, me.person.id, webhook_id)
    finish_form(uow, form, HOOKS)
    return _hooks_page(request, me, uow, secret=(hook.id, secret))


@router.post("/admin/webhooks/{webhook_id}/delete")
def delete(webhook_id: str, form: CheckedForm, me: Session, uow: FormUow) -> Response:
    return act_once(uow, form, me, HOOKS, lambda: webhooks.delete_webhook(uow, me.person.id, webhook_id),
                    done="The webhook is deleted; its delivery log is kept.", failed="Not deleted")
