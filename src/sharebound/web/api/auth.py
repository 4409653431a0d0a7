"""Signing in: tokens, passwords, invitations."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from sharebound.services import auth, orgs
from sharebound.web.deps import Me, Uow
from sharebound.web.schemas import InvitationAcceptRequest, PasswordChangeRequest, TokenRequest
from sharebound.web.views import PersonOut, TokenInfoOut, TokenOut

router = APIRouter(tags=["auth"])


@router.post("/auth/token", response_model=TokenOut, status_code=201)
def create_token(body: TokenRequest, request: Request, uow: Uow) -> TokenOut:
    """Exchange an email and password for a bearer token (shown once; only its hash is kept).

    Failed attempts are limited per account and per address: past the limit, 429. A person
    with a second factor gives `totp_code` too; one whose organization requires a factor they
    have not set up gets 403 until they set one up in the browser.
    """
    address = request.client.host if request.client else "unknown"
    issued = auth.issue_token(uow, email=body.email, password=body.password, address=address,
                              name=body.name, expires_in_days=body.expires_in_days,
                              default_days=request.app.state.core.settings.token_days,
                              totp_code=body.totp_code)
    return TokenOut(token=issued.token, id=issued.record.id, expires_at=issued.record.expires_at)


@router.get("/auth/tokens", response_model=list[TokenInfoOut])
def list_tokens(me: Me, uow: Uow) -> list[TokenInfoOut]:
    """Your tokens (never their secrets)."""
    return [TokenInfoOut(id=t.id, name=t.name, created_at=t.created_at, expires_at=t.expires_at,
                         revoked_at=t.revoked_at) for t in auth.list_tokens(uow, me.id)]


@router.delete("/auth/tokens/{token_id}", status_code=204)
def revoke_token(token_id: str, me: Me, uow: Uow) -> Response:
    auth.revoke_token(uow, me.id, token_id)
    return Response(status_code=204)


@router.post("/auth/password", status_code=204)
def change_password(body: PasswordChangeRequest, me: Me, uow: Uow) -> Response:
    auth.change_password(uow, me.id, current=body.current_password, new=body.new_password,
                         keep_tokens=body.keep_tokens)
    return Response(status_code=204)


@router.post("/auth/invitations/accept", response_model=PersonOut)
def accept_invitation(body: InvitationAcceptRequest, uow: Uow) -> PersonOut:
    """Set your password with the token from an invitation link (once, within 7 days)."""
    return PersonOut.of(auth.accept_invitation(uow, token=body.token, password=body.password))


@router.get("/me", response_model=PersonOut, tags=["orgs"])
def me(me: Me, uow: Uow) -> PersonOut:
    return PersonOut.of(orgs.get_person(uow, me.id))
