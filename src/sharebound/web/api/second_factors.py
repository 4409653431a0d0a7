"""Second factors (docs/second-factors.md): your authenticator app (TOTP) and recovery codes,
your passkeys, and your organization's policy. Secrets and codes are shown once."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fastapi import APIRouter, Response
from pydantic import BaseModel, Field

from sharebound.domain.errors import NotFound
from sharebound.domain.second_factors import FactorStatus, Passkey, Policy
from sharebound.services import passkeys, second_factors
from sharebound.web.deps import Me, Uow
from sharebound.web.schemas import (
    PasskeyRequest,
    PolicyRequest,
    SecondFactorRequest,
    TotpConfirmRequest,
)

router = APIRouter(tags=["second factors"])


class PasskeyOut(BaseModel):
    id: str
    name: str
    created_at: datetime
    last_used_at: datetime | None

    @classmethod
    def of(cls, key: Passkey) -> PasskeyOut:
        return cls(id=key.id, name=key.name, created_at=key.created_at, last_used_at=key.last_used_at)


class SecondFactorsOut(BaseModel):
    totp: bool = Field(description="An authenticator app is set up.")
    passkeys: list[PasskeyOut]
    recovery_codes_left: int
    policy: Policy = Field(description="Your organization's policy.")
    required: bool = Field(description="The policy requires you to have a second factor.")

    @classmethod
    def of(cls, status: FactorStatus) -> SecondFactorsOut:
        return cls(totp=status.totp, passkeys=[PasskeyOut.of(k) for k in status.passkeys],
                   recovery_codes_left=status.recovery_codes_left, policy=status.policy,
                   required=status.required)


class TotpEnrolmentOut(BaseModel):
    secret: str = Field(description="Base32: type it into an authenticator app (shown once).")
    otpauth_uri: str = Field(description="The same as an otpauth:// URI, for a QR code.")


class RecoveryCodesOut(BaseModel):
    recovery_codes: list[str] = Field(description="Each works once, instead of a code (shown once).")


class PolicyOut(BaseModel):
    applies_to: Policy


@router.get("/me/second-factors", response_model=SecondFactorsOut)
def my_factors(me: Me, uow: Uow) -> SecondFactorsOut:
    """Your second factors, and whether your organization requires one of you."""
    return SecondFactorsOut.of(second_factors.status(uow, me.id))


@router.post("/me/totp", response_model=TotpEnrolmentOut, status_code=201)
def begin_totp(me: Me, uow: Uow) -> TotpEnrolmentOut:
    """Begin setting up an authenticator app: a new secret, in use once confirmed (409 if one is set up)."""
    started = second_factors.begin_totp(uow, me.id)
    return TotpEnrolmentOut(secret=started.secret, otpauth_uri=started.uri)


@router.post("/me/totp/confirm", response_model=RecoveryCodesOut)
def confirm_totp(body: TotpConfirmRequest, me: Me, uow: Uow) -> RecoveryCodesOut:
    """Confirm the app with the code it shows; answers your ten recovery codes."""
    return RecoveryCodesOut(recovery_codes=second_factors.confirm_totp(uow, me.id, body.code))


@router.post("/me/totp/disable", status_code=204)
def disable_totp(body: SecondFactorRequest, me: Me, uow: Uow) -> Response:
    """Stop using the authenticator app: takes a fresh code (409 while your org requires it)."""
    second_factors.disable_totp(uow, me.id, body.second_factor.proof())
    return Response(status_code=204)


@router.post("/me/recovery-codes", response_model=RecoveryCodesOut)
def renew_recovery_codes(body: SecondFactorRequest, me: Me, uow: Uow) -> RecoveryCodesOut:
    """Ten new recovery codes for a fresh factor; the old ones stop working."""
    return RecoveryCodesOut(recovery_codes=second_factors.renew_recovery_codes(
        uow, me.id, body.second_factor.proof()))


@router.post("/me/passkeys/registration-options", response_model=dict[str, Any])
def registration_options(me: Me, uow: Uow) -> dict[str, Any]:
    """Options for navigator.credentials.create(); the challenge lasts five minutes, once."""
    return passkeys.registration_options(uow, me.id)


@router.post("/me/passkeys", response_model=PasskeyOut, status_code=201)
def register_passkey(body: PasskeyRequest, me: Me, uow: Uow) -> PasskeyOut:
    """Keep the passkey navigator.credentials.create() made (its JSON as `credential`)."""
    return PasskeyOut.of(passkeys.register_passkey(uow, me.id, body.credential, body.name))


@router.delete("/me/passkeys/{passkey_id}", status_code=204)
def remove_passkey(passkey_id: str, me: Me, uow: Uow) -> Response:
    """Stop accepting a passkey (409 for the last factor while your org requires one)."""
    passkeys.remove_passkey(uow, me.id, passkey_id)
    return Response(status_code=204)


@router.post("/me/passkeys/assertion-options", response_model=dict[str, Any])
def assertion_options(me: Me, uow: Uow) -> dict[str, Any]:
    """Options for navigator.credentials.get(), to give a fresh factor (`second_factor.webauthn`)."""
    return passkeys.assertion_options(uow, me.id)


@router.delete("/orgs/{handle}/people/{person_id}/second-factors", status_code=204)
def reset_factors(handle: str, person_id: str, me: Me, uow: Uow) -> Response:
    """Remove every second factor of a person of your org who lost them (admins; not your own):
    their sessions end and their tokens are revoked."""
    if handle != me.org:
        raise NotFound("person", person_id)
    second_factors.reset_factors(uow, me.id, person_id=person_id)
    return Response(status_code=204)


@router.get("/orgs/{handle}/second-factor-policy", response_model=PolicyOut)
def get_policy(handle: str, me: Me, uow: Uow) -> PolicyOut:
    """Whom your organization requires to have a second factor (admins only)."""
    return PolicyOut(applies_to=second_factors.get_policy(uow, me.id, handle))


@router.put("/orgs/{handle}/second-factor-policy", response_model=PolicyOut)
def set_policy(handle: str, body: PolicyRequest, me: Me, uow: Uow) -> PolicyOut:
    """Require a second factor of `everyone`, of `admins_and_signers`, or of nobody (`none`).
    Admins only. The API tokens of people it newly covers who have no factor are revoked."""
    return PolicyOut(applies_to=second_factors.set_policy(uow, me.id, handle, body.applies_to))
