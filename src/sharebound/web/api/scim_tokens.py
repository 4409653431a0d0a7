"""An org's SCIM tokens: the bearers its identity provider uses at /scim/v2 (docs/scim.md)."""

from __future__ import annotations

from fastapi import APIRouter

from sharebound.services import scim_tokens
from sharebound.web.deps import Me, Uow
from sharebound.web.schemas import ScimTokenRequest
from sharebound.web.views import ScimTokenCreatedOut, ScimTokenOut

router = APIRouter(tags=["scim"])


@router.post("/orgs/{handle}/scim-tokens", response_model=ScimTokenCreatedOut, status_code=201)
def create_scim_token(handle: str, body: ScimTokenRequest, me: Me, uow: Uow) -> ScimTokenCreatedOut:
    """An admin makes a SCIM token for the org; the answer shows it once."""
    issued = scim_tokens.create_scim_token(uow, me.id, handle, body.name)
    return ScimTokenCreatedOut(**ScimTokenOut.of(issued.record).model_dump(), token=issued.token)


@router.get("/orgs/{handle}/scim-tokens", response_model=list[ScimTokenOut])
def list_scim_tokens(handle: str, me: Me, uow: Uow) -> list[ScimTokenOut]:
    """The org's SCIM tokens (never their secrets); admins only."""
    return [ScimTokenOut.of(t) for t in scim_tokens.list_scim_tokens(uow, me.id, handle)]


@router.delete("/orgs/{handle}/scim-tokens/{token_id}", response_model=ScimTokenOut)
def revoke_scim_token(handle: str, token_id: str, me: Me, uow: Uow) -> ScimTokenOut:
    """Revoke a SCIM token at once."""
    return ScimTokenOut.of(scim_tokens.revoke_scim_token(uow, me.id, handle, token_id))
