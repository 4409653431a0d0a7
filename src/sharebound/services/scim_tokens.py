"""SCIM bearer tokens: an org's admin (or the operator) makes one for the org's identity
provider, shown once and stored as its SHA-256; it provisions that org's people only."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass

from sharebound.domain.audit import org_log
from sharebound.domain.errors import NotFound, Unauthenticated
from sharebound.domain.events import ScimTokenCreated, ScimTokenRevoked
from sharebound.domain.ids import new_id
from sharebound.domain.limits import MAX_TOKEN_NAME
from sharebound.domain.orgs import Role
from sharebound.domain.scim import ScimTokenRecord
from sharebound.services.common import actor, record, require_role, required_text
from sharebound.services.unit_of_work import UnitOfWork

SCIM_TOKEN_PREFIX = "sbscim_"


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class IssuedScimToken:
    token: str  # shown once
    record: ScimTokenRecord


def create_scim_token(uow: UnitOfWork, actor_id: str | None, org: str, name: str) -> IssuedScimToken:
    """A new SCIM token for `org`, by one of its admins or by the operator (`actor_id=None`)."""
    label = required_text("name", name, MAX_TOKEN_NAME)
    with uow:
        _admin_of(uow, actor_id, org)
        token = SCIM_TOKEN_PREFIX + secrets.token_urlsafe(32)
        made = ScimTokenRecord(id=new_id("sct"), org=org, name=label, created_by=actor_id,
                               created_at=uow.clock(), revoked_at=None)
        uow.scim.add_token(made, _digest(token))
        record(uow, org_log(org), actor_id, made.id, ScimTokenCreated(name=label))
        uow.commit()
    return IssuedScimToken(token=token, record=made)


def list_scim_tokens(uow: UnitOfWork, actor_id: str | None, org: str) -> list[ScimTokenRecord]:
    with uow.reading():
        _admin_of(uow, actor_id, org)
        return uow.scim.tokens_of(org)


def revoke_scim_token(uow: UnitOfWork, actor_id: str | None, org: str, token_id: str) -> ScimTokenRecord:
    """Revoke at once; revoking a revoked token changes nothing."""
    with uow:
        _admin_of(uow, actor_id, org)
        found = next((t for t in uow.scim.tokens_of(org) if t.id == token_id), None)
        if found is None:
            raise NotFound("SCIM token", token_id)
        if found.revoked_at is None:
            uow.scim.revoke_token(found.id, uow.clock())
            record(uow, org_log(org), actor_id, found.id, ScimTokenRevoked())
            uow.commit()
        return next(t for t in uow.scim.tokens_of(org) if t.id == token_id)


def scim_org(uow: UnitOfWork, token: str) -> str:
    """The org a live SCIM token provisions."""
    with uow.reading():
        found = uow.scim.token_by_hash(_digest(token)) if token.startswith(SCIM_TOKEN_PREFIX) else None
        if found is None or found.revoked_at is not None:
            raise Unauthenticated("the SCIM token is invalid or revoked")
        return found.org


def _admin_of(uow: UnitOfWork, actor_id: str | None, org: str) -> None:
    if actor_id is not None:
        admin = actor(uow, actor_id)
        if admin.org != org:
            raise NotFound("org", org)
        require_role(admin, Role.ADMIN)
    elif uow.orgs.get_org(org) is None:
        raise NotFound("org", org)
