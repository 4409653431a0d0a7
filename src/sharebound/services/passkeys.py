"""Passkeys (WebAuthn): the registration and authentication ceremonies.

The server makes each challenge (32 random bytes), keeps it for `CHALLENGE_MINUTES`, and takes
it once; the relying party (RP id and origin) comes from SHAREBOUND_BASE_URL. A passkey's
public key and signature counter are stored; an assertion from another origin, for another
RP id, with a counter that did not grow, or for a challenge not issued to this person, fails.
"""

from __future__ import annotations

import base64
import json
import secrets
from collections.abc import Mapping
from datetime import timedelta
from typing import Any

from webauthn import (
    generate_authentication_options,
    generate_registration_options,
    options_to_json,
    verify_authentication_response,
    verify_registration_response,
)
from webauthn.helpers.exceptions import WebAuthnException
from webauthn.helpers.structs import (
    AuthenticatorSelectionCriteria,
    PublicKeyCredentialDescriptor,
    ResidentKeyRequirement,
    UserVerificationRequirement,
)

from sharebound.domain.audit import org_log
from sharebound.domain.errors import Conflict, InvalidInput, NotFound
from sharebound.domain.events import SecondFactorEnrolled, SecondFactorRemoved
from sharebound.domain.ids import new_id
from sharebound.domain.orgs import Person
from sharebound.domain.second_factors import Challenge, Method, Passkey, policy_covers
from sharebound.services.common import actor, record, required_text
from sharebound.services.unit_of_work import UnitOfWork

CHALLENGE_MINUTES = 5  # why: a ceremony takes a person seconds; an old challenge is a replay
REGISTER = "register"
AUTHENTICATE = "authenticate"
MAX_PASSKEY_NAME = 100


def _b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def _unb64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _new_challenge(uow: UnitOfWork, person: Person, purpose: str) -> bytes:
    raw = secrets.token_bytes(32)
    now = uow.clock()
    uow.factors.add_challenge(Challenge(id=new_id("wac"), person_id=person.id, purpose=purpose,
                                        challenge=_b64url(raw),
                                        expires_at=now + timedelta(minutes=CHALLENGE_MINUTES),
                                        used_at=None), now)
    return raw


def registration_options(uow: UnitOfWork, actor_id: str) -> dict[str, Any]:
    """The options for navigator.credentials.create(), as JSON: a new challenge is kept."""
    with uow:
        person = actor(uow, actor_id)
        rp = uow.relying_party
        known = uow.factors.passkeys_of(person.id)
        options = generate_registration_options(
            rp_id=rp.id, rp_name=rp.name, user_name=person.email, user_display_name=person.name,
            user_id=person.id.encode("ascii"), challenge=_new_challenge(uow, person, REGISTER),
            authenticator_selection=AuthenticatorSelectionCriteria(
                resident_key=ResidentKeyRequirement.PREFERRED,
                user_verification=UserVerificationRequirement.PREFERRED),
            exclude_credentials=[PublicKeyCredentialDescriptor(id=_unb64url(k.credential_id)) for k in known])
        uow.commit()
    parsed: dict[str, Any] = json.loads(options_to_json(options))
    return parsed


def register_passkey(uow: UnitOfWork, actor_id: str, credential: Any, name: str = "") -> Passkey:
    """Keep the passkey the browser made from our registration options."""
    label = required_text("name", name or "Passkey", MAX_PASSKEY_NAME)
    challenge = _challenge_of(credential, "webauthn.create")
    with uow:
        person = actor(uow, actor_id)
        now = uow.clock()
        rp = uow.relying_party
        if challenge is None or not uow.factors.take_challenge(person.id, REGISTER, challenge, now):
            uow.commit()  # why: a wrong try uses the challenge up too
            raise InvalidInput({"credential": "is not an answer to a challenge we issued to you "
                                              "in the last few minutes: try again"})
        try:
            verified = verify_registration_response(
                credential=dict(credential), expected_challenge=_unb64url(challenge),
                expected_rp_id=rp.id, expected_origin=rp.origin)
        except (WebAuthnException, ValueError, KeyError, TypeError) as bad:
            uow.commit()
            raise InvalidInput({"credential": f"was refused: {bad}"}) from None
        credential_id = _b64url(verified.credential_id)
        if uow.factors.passkey_by_credential(credential_id) is not None:
            raise InvalidInput({"credential": "this passkey is registered already"})
        key = Passkey(id=new_id("pky"), person_id=person.id, credential_id=credential_id,
                      public_key=verified.credential_public_key, sign_count=verified.sign_count,
                      name=label, created_at=now, last_used_at=None)
        uow.factors.add_passkey(key)
        record(uow, org_log(person.org), person.id, person.id,
               SecondFactorEnrolled(method=Method.WEBAUTHN.value, passkey=key.id))
        uow.commit()
    return key


def assertion_options(uow: UnitOfWork, person_id: str) -> dict[str, Any]:
    """The options for navigator.credentials.get() with this person's passkeys, as JSON; a
    new challenge is kept. (At sign-in the person has only given their password so far.)"""
    with uow:
        person = uow.orgs.get_person(person_id)
        if person is None:
            raise NotFound("person", person_id)
        known = uow.factors.passkeys_of(person.id)
        if not known:
            raise InvalidInput({"passkey": "you have no passkey: use your authenticator app"})
        options = generate_authentication_options(
            rp_id=uow.relying_party.id, challenge=_new_challenge(uow, person, AUTHENTICATE),
            allow_credentials=[PublicKeyCredentialDescriptor(id=_unb64url(k.credential_id)) for k in known],
            user_verification=UserVerificationRequirement.PREFERRED)
        uow.commit()
    parsed: dict[str, Any] = json.loads(options_to_json(options))
    return parsed


def check_assertion(uow: UnitOfWork, person: Person, assertion: Mapping[str, Any]) -> bool:
    """Inside the caller's transaction: whether `assertion` is a fresh signature by one of the
    person's passkeys over a challenge issued to them (the challenge is used up either way)."""
    now = uow.clock()
    challenge = _challenge_of(assertion, "webauthn.get")
    if challenge is None or not uow.factors.take_challenge(person.id, AUTHENTICATE, challenge, now):
        return False
    key = uow.factors.passkey_by_credential(str(assertion.get("id", "")), lock=True)
    if key is None or key.person_id != person.id:
        return False
    rp = uow.relying_party
    try:
        verified = verify_authentication_response(
            credential=dict(assertion), expected_challenge=_unb64url(challenge), expected_rp_id=rp.id,
            expected_origin=rp.origin, credential_public_key=key.public_key,
            credential_current_sign_count=key.sign_count)
    except (WebAuthnException, ValueError, KeyError, TypeError):
        return False
    return uow.factors.use_passkey(key.id, key.sign_count, verified.new_sign_count, now)


def _challenge_of(credential: Any, kind: str) -> str | None:
    """The challenge a credential's client data answers (not yet checked), or None."""
    try:
        client = json.loads(_unb64url(credential["response"]["clientDataJSON"]))
        challenge = client["challenge"]
        if client.get("type") != kind or not isinstance(challenge, str) or len(challenge) > 100:
            return None
        return challenge
    except (KeyError, TypeError, ValueError):
        return None


def remove_passkey(uow: UnitOfWork, actor_id: str, passkey_id: str) -> None:
    """Stop accepting a passkey. Refused while the org requires a factor and it is the last one."""
    with uow:
        person = actor(uow, actor_id)
        known = uow.factors.passkeys_of(person.id)
        key = next((k for k in known if k.id == passkey_id), None)
        if key is None:
            raise NotFound("passkey", passkey_id)
        totp = uow.factors.totp(person.id)
        others = len(known) - 1 + (1 if totp is not None and totp.confirmed_at is not None else 0)
        if not others and policy_covers(uow.factors.policy(person.org), person.roles):
            raise Conflict("your organization requires a second factor: set up another before "
                           "removing your last passkey")
        uow.factors.delete_passkey(key.id)
        if not others:
            uow.factors.replace_recovery_codes(person.id, [], uow.clock())
        record(uow, org_log(person.org), person.id, person.id,
               SecondFactorRemoved(method=Method.WEBAUTHN.value, passkey=key.id))
        uow.commit()
