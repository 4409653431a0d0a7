"""An org's webhooks: its admins add, read, delete them and rotate their secrets.

The secret is shown once: in the answer that creates the webhook or rotates its secret.
After a rotation the old secret keeps signing beside the new one for 24 hours (two `v1=`
signatures in the header), so the receiver can switch without losing a delivery.
"""

from __future__ import annotations

import secrets as random
from dataclasses import replace

from sharebound.adapters import webhooks as http
from sharebound.domain.addresses import AllowList
from sharebound.domain.audit import org_log
from sharebound.domain.errors import InvalidInput, NotFound
from sharebound.domain.events import WebhookCreated, WebhookDeleted, WebhookSecretRotated
from sharebound.domain.ids import new_id
from sharebound.domain.notifications import ROTATION_GRACE, check_webhook_url, parse_kinds
from sharebound.domain.orgs import Person, Role
from sharebound.domain.webhooks import Delivery, Webhook
from sharebound.services.common import actor, record, require_role
from sharebound.services.unit_of_work import UnitOfWork

SECRET_PREFIX = "whsec_"


def _new_secret() -> str:
    return SECRET_PREFIX + random.token_urlsafe(32)  # why 32 bytes: 256 bits, as HMAC-SHA256's key


def _admin_of(uow: UnitOfWork, actor_id: str, handle: str) -> Person:
    person = actor(uow, actor_id)
    if person.org != handle:
        raise NotFound("org", handle)
    require_role(person, Role.ADMIN)
    return person


def _own_webhook(uow: UnitOfWork, person: Person, webhook_id: str, *, lock: bool = False) -> Webhook:
    hook = uow.webhooks.get(webhook_id, lock=lock)
    if hook is None or hook.org != person.org:
        raise NotFound("webhook", webhook_id)
    require_role(person, Role.ADMIN)
    return hook


def create_webhook(uow: UnitOfWork, actor_id: str, handle: str, *, url: object, kinds: object,
                   base_url: str, allow: AllowList,
                   resolve: http.Resolver = http.resolve) -> tuple[Webhook, str]:
    """A new webhook for the admin's org, and its secret (shown this once). Its host must
    resolve to public addresses only, unless the operator allows it (checked again at
    each delivery: DNS can change)."""
    checked_url = check_webhook_url(url, base_url)
    checked_kinds = parse_kinds(kinds)
    with uow.reading():  # why first: who asks is checked before anything is resolved for them
        _admin_of(uow, actor_id, handle)
    reason = http.refusal(checked_url, allow, resolve)
    if reason is not None:
        raise InvalidInput({"url": reason})
    with uow:
        person = _admin_of(uow, actor_id, handle)
        now = uow.clock()
        hook = Webhook(id=new_id("whk"), org=person.org, url=checked_url, kinds=checked_kinds,
                       secret=_new_secret(), old_secret=None, old_secret_until=None,
                       created_by=person.id, created_at=now, deleted_at=None)
        uow.webhooks.add(hook)
        record(uow, org_log(person.org), person.id, hook.id,
               WebhookCreated(url=checked_url, kinds=tuple(sorted(checked_kinds))))
        uow.commit()
    return hook, hook.secret


def list_webhooks(uow: UnitOfWork, actor_id: str, handle: str) -> list[Webhook]:
    with uow.reading():
        person = _admin_of(uow, actor_id, handle)
        return uow.webhooks.list_for_orgs([person.org])


def get_webhook(uow: UnitOfWork, actor_id: str, webhook_id: str) -> tuple[Webhook, list[Delivery]]:
    """The webhook and its latest delivery attempts, newest first."""
    with uow.reading():
        hook = _own_webhook(uow, actor(uow, actor_id), webhook_id)
        return hook, uow.webhooks.deliveries(hook.id)


def delete_webhook(uow: UnitOfWork, actor_id: str, webhook_id: str) -> None:
    """Nothing more is sent to it; its delivery log stays."""
    with uow:
        person = actor(uow, actor_id)
        hook = _own_webhook(uow, person, webhook_id, lock=True)
        uow.webhooks.delete(hook.id, uow.clock())
        record(uow, org_log(person.org), person.id, hook.id, WebhookDeleted())
        uow.commit()


def rotate_secret(uow: UnitOfWork, actor_id: str, webhook_id: str) -> tuple[Webhook, str]:
    """A new secret (shown this once); the old one keeps signing beside it for 24 hours."""
    with uow:
        person = actor(uow, actor_id)
        hook = _own_webhook(uow, person, webhook_id, lock=True)
        now = uow.clock()
        secret = _new_secret()
        uow.webhooks.rotate(hook.id, secret, hook.secret, now + ROTATION_GRACE)
        record(uow, org_log(person.org), person.id, hook.id,
               WebhookSecretRotated(old_secret_until=now + ROTATION_GRACE))
        uow.commit()
    return replace(hook, secret=secret, old_secret=hook.secret,
                   old_secret_until=now + ROTATION_GRACE), secret


def org_deliveries(uow: UnitOfWork, actor_id: str) -> dict[str, object]:
    """For the admin's Deliveries page: emails in trouble, failed webhook deliveries, counts."""
    with uow.reading():
        person = actor(uow, actor_id)
        require_role(person, Role.ADMIN)
        return {"emails": uow.outbox.email_trouble(person.org),
                "webhooks": uow.outbox.webhook_trouble(person.org)}
