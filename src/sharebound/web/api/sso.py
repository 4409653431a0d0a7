"""An org's single sign-on (its admins only): the OpenID provider, domains, role mapping."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from fastapi import APIRouter, Request, Response
from pydantic import BaseModel, Field

from sharebound.domain.errors import NotFound
from sharebound.domain.limits import MAX_URL
from sharebound.domain.sso import (
    MAX_CLAIM_VALUE,
    MAX_CLIENT_ID,
    MAX_DOMAINS,
    MAX_RULES,
    MAX_SECRET,
    SsoProvider,
)
from sharebound.services import sso
from sharebound.web.deps import Me, Uow
from sharebound.web.schemas import Strict

router = APIRouter(tags=["sso"])


class RoleRuleIn(Strict):
    claim: str = Field(max_length=100, examples=["groups"])
    value: str = Field(max_length=MAX_CLAIM_VALUE, examples=["partner-admins"])
    roles: list[Literal["admin", "signer", "member"]] = Field(min_length=1, max_length=3)


class SsoRequest(Strict):
    issuer: str = Field(max_length=MAX_URL, examples=["https://login.acme.example"],
                        description="Discovery is read from {issuer}/.well-known/openid-configuration.")
    client_id: str = Field(max_length=MAX_CLIENT_ID)
    client_secret: str | None = Field(default=None, max_length=MAX_SECRET,
                                      description="Required the first time; left out: kept.")
    domains: list[str] = Field(max_length=MAX_DOMAINS, examples=[["acme.example"]])
    role_mapping: list[RoleRuleIn] = Field(default_factory=list, max_length=MAX_RULES)
    require_sso: bool = Field(default=False, description="Refuse passwords for emails on the domains.")
    jit: bool = Field(default=False, description="Create people at their first SSO sign-in.")


class SsoOut(BaseModel):
    org: str
    issuer: str
    client_id: str
    client_secret_set: bool = Field(description="The secret is never shown again.")
    redirect_uri: str = Field(description="Register this as the client's redirect URI at the provider.")
    domains: list[str]
    role_mapping: list[dict[str, object]]
    require_sso: bool
    jit: bool
    authorization_endpoint: str
    token_endpoint: str
    jwks_uri: str
    updated_at: datetime

    @classmethod
    def of(cls, provider: SsoProvider, base_url: str) -> SsoOut:
        return cls(org=provider.org, issuer=provider.issuer, client_id=provider.client_id,
                   client_secret_set=bool(provider.client_secret), redirect_uri=sso.redirect_uri(base_url),
                   domains=sorted(provider.domains), role_mapping=[r.data() for r in provider.role_rules],
                   require_sso=provider.require_sso, jit=provider.jit,
                   authorization_endpoint=provider.endpoints.authorization,
                   token_endpoint=provider.endpoints.token, jwks_uri=provider.endpoints.jwks,
                   updated_at=provider.updated_at)


@router.get("/orgs/{handle}/sso", response_model=SsoOut)
def get_sso(handle: str, request: Request, me: Me, uow: Uow) -> SsoOut:
    """Your org's single sign-on settings (admins); 404 when none is set."""
    provider = sso.get_provider(uow, me.id, handle)
    if provider is None:
        raise NotFound("single sign-on of org", handle)
    return SsoOut.of(provider, request.app.state.core.settings.base_url)


@router.put("/orgs/{handle}/sso", response_model=SsoOut)
def put_sso(handle: str, body: SsoRequest, request: Request, me: Me, uow: Uow) -> SsoOut:
    """Set or change your org's OpenID provider (admins). Discovery is fetched from the issuer."""
    core = request.app.state.core
    provider = sso.configure(uow, me.id, handle, body.model_dump(exclude_none=True), oidc=core.oidc())
    return SsoOut.of(provider, core.settings.base_url)


@router.delete("/orgs/{handle}/sso", status_code=204)
def delete_sso(handle: str, me: Me, uow: Uow) -> Response:
    """Turn single sign-on off (admins): passwords work again for the org's people."""
    sso.remove(uow, me.id, handle)
    return Response(status_code=204)
