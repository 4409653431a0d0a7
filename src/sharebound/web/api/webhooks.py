"""An org's webhooks (its admins only): add, list, read with deliveries, delete, rotate."""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter, Request, Response
from pydantic import BaseModel, Field

from sharebound.domain.limits import MAX_URL
from sharebound.domain.webhooks import Delivery, Webhook
from sharebound.services import webhooks
from sharebound.web.deps import Me, Uow
from sharebound.web.schemas import Strict

router = APIRouter(tags=["webhooks"])


class WebhookRequest(Strict):
    url: str = Field(max_length=MAX_URL, examples=["https://hooks.acme.example/sharebound"])
    kinds: list[str] = Field(default_factory=list, max_length=50,
                             description="Notification kinds to hear of; empty: every kind.")


class DeliveryOut(BaseModel):
    delivery: str = Field(description="The outbox id: the `id` in the body, the same on each retry.")
    attempt: int
    at: datetime
    status_code: int | None
    error: str | None
    duration_ms: int

    @classmethod
    def of(cls, d: Delivery) -> DeliveryOut:
        return cls(delivery=d.outbox_id, attempt=d.attempt, at=d.at, status_code=d.status_code,
                   error=d.error, duration_ms=d.duration_ms)


class WebhookOut(BaseModel):
    id: str
    org: str
    url: str
    kinds: list[str]
    created_at: datetime
    old_secret_until: datetime | None = Field(
        description="After a rotation, the old secret also signs until then.")

    @classmethod
    def of(cls, hook: Webhook) -> WebhookOut:
        return cls(id=hook.id, org=hook.org, url=hook.url, kinds=sorted(hook.kinds),
                   created_at=hook.created_at, old_secret_until=hook.old_secret_until)


class WebhookSecretOut(WebhookOut):
    secret: str = Field(description="Shown only in this answer: keep it to verify signatures.")


class WebhookDetailOut(WebhookOut):
    deliveries: list[DeliveryOut] = Field(description="The latest attempts, newest first.")


def _with_secret(hook: Webhook, secret: str) -> WebhookSecretOut:
    return WebhookSecretOut(**WebhookOut.of(hook).model_dump(), secret=secret)


@router.get("/orgs/{handle}/webhooks", response_model=list[WebhookOut])
def list_webhooks(handle: str, me: Me, uow: Uow) -> list[WebhookOut]:
    """Your org's webhooks (admins)."""
    return [WebhookOut.of(h) for h in webhooks.list_webhooks(uow, me.id, handle)]


@router.post("/orgs/{handle}/webhooks", response_model=WebhookSecretOut, status_code=201)
def create_webhook(handle: str, body: WebhookRequest, request: Request, me: Me,
                   uow: Uow) -> WebhookSecretOut:
    """Add a webhook (admins). The answer carries its signing secret, this once."""
    settings = request.app.state.core.settings
    hook, secret = webhooks.create_webhook(uow, me.id, handle, url=body.url, kinds=body.kinds,
                                           base_url=settings.base_url, allow=settings.webhook_allow_list)
    return _with_secret(hook, secret)


@router.get("/webhooks/{webhook_id}", response_model=WebhookDetailOut)
def get_webhook(webhook_id: str, me: Me, uow: Uow) -> WebhookDetailOut:
    """A webhook of your org with its latest delivery attempts (admins)."""
    hook, deliveries = webhooks.get_webhook(uow, me.id, webhook_id)
    return WebhookDetailOut(**WebhookOut.of(hook).model_dump(),
                            deliveries=[DeliveryOut.of(d) for d in deliveries])


@router.delete("/webhooks/{webhook_id}", status_code=204)
def delete_webhook(webhook_id: str, me: Me, uow: Uow) -> Response:
    """Stop sending to a webhook (admins); its delivery log stays."""
    webhooks.delete_webhook(uow, me.id, webhook_id)
    return Response(status_code=204)


@router.post("/webhooks/{webhook_id}/rotate-secret", response_model=WebhookSecretOut)
def rotate_secret(webhook_id: str, me: Me, uow: Uow) -> WebhookSecretOut:
    """A new secret, shown this once; the old one keeps signing beside it for 24 hours."""
    hook, secret = webhooks.rotate_secret(uow, me.id, webhook_id)
    return _with_secret(hook, secret)
