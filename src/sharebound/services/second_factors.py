"""Second factors: TOTP with recovery codes, the org's policy, and the check that an action
asks of a person who has a factor (`verify_fresh_factor`). Passkeys: services/passkeys.py.

TOTP secrets are sealed at rest (docs/encryption.md); recovery codes are stored as SHA-256
hashes (each has 50 random bits and is used once: no slow hash needed). A code is accepted
once: the time step of the last one used is kept, and no code of that step or an earlier one
counts again. Wrong codes count against the person (`FACTOR_FAILURES` per `FACTOR_WINDOW`).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

import pyotp

from sharebound.domain.audit import org_log
from sharebound.domain.errors import (
    Conflict,
    InvalidInput,
    NotFound,
    PermissionDenied,
    RateLimited,
    SecondFactorNeeded,
)
from sharebound.domain.events import (
    RecoveryCodesRenewed,
    RecoveryCodeUsed,
    SecondFactorEnrolled,
    SecondFactorPolicyChanged,
    SecondFactorRemoved,
    SecondFactorsReset,
)
from sharebound.domain.ids import new_id
from sharebound.domain.orgs import Person, Role
from sharebound.domain.second_factors import (
    RECOVERY_CODE_ALPHABET,
    RECOVERY_CODE_GROUPS,
    RECOVERY_CODES,
    TOTP_DIGITS,
    TOTP_PERIOD,
    FactorProof,
    FactorStatus,
    Method,
    Policy,
    TotpFactor,
    candidate_steps,
    format_recovery_code,
    looks_like_recovery_code,
    looks_like_totp,
    normalize_code,
    policy_covers,
)
from sharebound.domain.values import normalize_email
from sharebound.services import passkeys
from sharebound.services.common import actor, record, require_role
from sharebound.services.unit_of_work import UnitOfWork

# why these numbers: the password was right already, so only the factor is guessed; 5 wrong
# codes in 15 minutes leave a guesser about 1 chance in 70,000 a day of hitting one of the
# three live codes, while a person who mistypes twice is not held up
FACTOR_FAILURES = 5
FACTOR_WINDOW = timedelta(minutes=15)
ISSUER = "Sharebound"


def _hash(code: str) -> str:
    return hashlib.sha256(code.encode("utf-8")).hexdigest()


def _failure_key(person: Person) -> str:
    return f"factor:{person.id}"


@dataclass(frozen=True)
class TotpEnrolment:
    secret: str  # base32, shown once, to type into an authenticator app
    uri: str  # otpauth://, for a QR code or a password manager


def status(uow: UnitOfWork, actor_id: str) -> FactorStatus:
    with uow.reading():
        return status_of(uow, actor(uow, actor_id))


def status_of(uow: UnitOfWork, person: Person) -> FactorStatus:
    """`status` inside a transaction the caller owns."""
    totp = uow.factors.totp(person.id)
    policy = uow.factors.policy(person.org)
    return FactorStatus(totp=bool(totp and totp.confirmed_at),
                        totp_pending=bool(totp and not totp.confirmed_at),
                        passkeys=tuple(uow.factors.passkeys_of(person.id)),
                        recovery_codes_left=uow.factors.recovery_codes_left(person.id),
                        policy=policy, required=policy_covers(policy, person.roles))


def must_enrol(uow: UnitOfWork, person: Person) -> bool:
    """Whether the org's policy covers the person and they have no factor yet."""
    covered = policy_covers(uow.factors.policy(person.org), person.roles)
    return covered and not uow.factors.has_factor(person.id)


# --- TOTP -------------------------------------------------------------------------------------

def begin_totp(uow: UnitOfWork, actor_id: str) -> TotpEnrolment:
    """A new TOTP secret, not in use until `confirm_totp` checks a first code from it."""
    with uow:
        person = actor(uow, actor_id)
        found = uow.factors.totp(person.id, lock=True)
        if found is not None and found.confirmed_at is not None:
            raise Conflict("an authenticator app is set up already: disable it first to set up another")
        secret = base64.b32encode(secrets.token_bytes(20)).decode("ascii")  # why 20: RFC 4226's 160 bits
        uow.factors.put_totp(TotpFactor(person_id=person.id, secret=secret, created_at=uow.clock(),
                                        confirmed_at=None, last_step=None))
        uow.commit()
    return TotpEnrolment(secret=secret, uri=_uri(secret, person))


def pending_totp(uow: UnitOfWork, actor_id: str) -> TotpEnrolment | None:
    """The secret being set up and not yet confirmed, to show again after a mistyped code."""
    with uow.reading():
        person = actor(uow, actor_id)
        found = uow.factors.totp(person.id)
    if found is None or found.confirmed_at is not None:
        return None
    return TotpEnrolment(secret=found.secret, uri=_uri(found.secret, person))


def _uri(secret: str, person: Person) -> str:
    return pyotp.TOTP(secret, digits=TOTP_DIGITS, interval=TOTP_PERIOD).provisioning_uri(
        name=person.email, issuer_name=ISSUER)


def confirm_totp(uow: UnitOfWork, actor_id: str, code: str) -> list[str]:
    """Check a first code from the new secret; the factor is then in use. The recovery codes,
    shown once (any earlier ones stop working)."""
    typed = normalize_code(code if isinstance(code, str) else "")
    if not looks_like_totp(typed):
        raise InvalidInput({"code": f"is the {TOTP_DIGITS}-digit code your app shows"})
    with uow:
        person = actor(uow, actor_id)
        now = uow.clock()
        pending = uow.factors.totp(person.id, lock=True)
        if pending is None or pending.confirmed_at is not None:
            raise Conflict("no authenticator app is being set up: start again")
        _check_limit(uow, person)
        step = _matching_step(pending, typed, now)
        if step is None or not uow.factors.use_totp_step(person.id, step, confirm_at=now):
            _fail(uow, person)
            raise SecondFactorNeeded("is not the code your app shows now: check the phone's clock",
                                     field="code")
        codes = _new_recovery_codes(uow, person)
        record(uow, org_log(person.org), person.id, person.id, SecondFactorEnrolled(method=Method.TOTP.value))
        uow.commit()
    return codes


def disable_totp(uow: UnitOfWork, actor_id: str, proof: FactorProof) -> None:
    """Stop using the authenticator app; takes a fresh code (or a passkey or a recovery code).
    Refused while the org requires a factor and the app is the person's only one."""
    with uow:
        person = actor(uow, actor_id)
        found = uow.factors.totp(person.id, lock=True)
        if found is None or found.confirmed_at is None:
            raise Conflict("no authenticator app is set up")
        keys = uow.factors.passkeys_of(person.id)
        if not keys and policy_covers(uow.factors.policy(person.org), person.roles):
            raise Conflict("your organization requires a second factor: add a passkey before "
                           "disabling the authenticator app")
        verify_fresh_factor(uow, person, proof)
        uow.factors.delete_totp(person.id)
        if not keys:
            uow.factors.replace_recovery_codes(person.id, [], uow.clock())
        record(uow, org_log(person.org), person.id, person.id, SecondFactorRemoved(method=Method.TOTP.value))
        uow.commit()


def renew_recovery_codes(uow: UnitOfWork, actor_id: str, proof: FactorProof) -> list[str]:
    """Ten new recovery codes for a fresh factor; the old ones stop working."""
    with uow:
        person = actor(uow, actor_id)
        if verify_fresh_factor(uow, person, proof) is None:
            raise Conflict("set up an authenticator app or a passkey first")
        codes = _new_recovery_codes(uow, person)
        record(uow, org_log(person.org), person.id, person.id, RecoveryCodesRenewed(codes=len(codes)))
        uow.commit()
    return codes


def _new_recovery_codes(uow: UnitOfWork, person: Person) -> list[str]:
    raw = ["".join(secrets.choice(RECOVERY_CODE_ALPHABET) for _ in range(5 * RECOVERY_CODE_GROUPS))
           for _ in range(RECOVERY_CODES)]
    uow.factors.replace_recovery_codes(person.id, [(new_id("rcc"), _hash(c)) for c in raw], uow.clock())
    return [format_recovery_code(c) for c in raw]


def _matching_step(factor: TotpFactor, code: str, now: datetime) -> int | None:
    totp = pyotp.TOTP(factor.secret, digits=TOTP_DIGITS, interval=TOTP_PERIOD)
    for step in candidate_steps(now, factor.last_step):
        if hmac.compare_digest(totp.at(step * TOTP_PERIOD), code):
            return step
    return None


# --- the check an action asks for -------------------------------------------------------------

def verify_fresh_factor(uow: UnitOfWork, person: Person, proof: FactorProof | None, *,
                        field: str = "second_factor") -> str | None:
    """Inside the caller's transaction: the method by which `proof` shows a second factor of
    `person` ("totp", "webauthn", "recovery_code"), or None when they have none. Raises
    `SecondFactorNeeded` when they have one and `proof` is missing or wrong (a wrong one is
    counted and committed first: call this before writing anything), `RateLimited` past
    `FACTOR_FAILURES`. A code is used up, and a recovery code too."""
    now = uow.clock()
    totp = uow.factors.totp(person.id, lock=True)
    confirmed = totp if totp is not None and totp.confirmed_at is not None else None
    has_keys = bool(uow.factors.passkeys_of(person.id))
    if confirmed is None and not has_keys:
        return None
    if proof is None or not proof.given:
        raise SecondFactorNeeded("is required: give the code from your authenticator app, use your "
                                 "passkey, or give a recovery code", field=field)
    _check_limit(uow, person)
    method: Method | None = None
    if proof.webauthn is not None:
        if has_keys and passkeys.check_assertion(uow, person, proof.webauthn):
            method = Method.WEBAUTHN
    else:
        code = normalize_code(proof.code or "")
        if confirmed is not None and looks_like_totp(code):
            step = _matching_step(confirmed, code, now)
            if step is not None and uow.factors.use_totp_step(person.id, step):
                method = Method.TOTP
        elif looks_like_recovery_code(code) and uow.factors.use_recovery_code(person.id, _hash(code), now):
            method = Method.RECOVERY_CODE
            record(uow, org_log(person.org), person.id, person.id,
                   RecoveryCodeUsed(left=uow.factors.recovery_codes_left(person.id)))
    if method is None:
        _fail(uow, person)
        raise SecondFactorNeeded("is wrong, or was used already: wait for the next code", field=field)
    return method.value


def _check_limit(uow: UnitOfWork, person: Person) -> None:
    if uow.auth.failures_since(_failure_key(person), uow.clock() - FACTOR_WINDOW) >= FACTOR_FAILURES:
        raise RateLimited("too many wrong codes: wait 15 minutes and try again",
                          retry_after=int(FACTOR_WINDOW.total_seconds()))


def _fail(uow: UnitOfWork, person: Person) -> None:
    """Count a wrong factor, and keep the count (and a used-up challenge) whatever follows."""
    uow.auth.record_failure(_failure_key(person), uow.clock())
    uow.commit()


# --- the org's policy -------------------------------------------------------------------------

def get_policy(uow: UnitOfWork, actor_id: str, handle: str) -> Policy:
    with uow.reading():
        person = actor(uow, actor_id)
        _own_org_admin(person, handle)
        return uow.factors.policy(person.org)


def set_policy(uow: UnitOfWork, actor_id: str, handle: str, applies_to: str) -> Policy:
    """Require a second factor of everyone, of admins and signers, or of nobody. The API tokens
    of people the policy now covers who have no factor are revoked: they enrol at the next
    sign-in, and then issue new ones."""
    try:
        policy = Policy(applies_to)
    except ValueError:
        raise InvalidInput({"applies_to": "is one of " + ", ".join(p.value for p in Policy)}) from None
    with uow:
        person = actor(uow, actor_id)
        _own_org_admin(person, handle)
        old = uow.factors.policy(person.org)
        if old is policy:
            return policy
        now = uow.clock()
        uow.factors.set_policy(person.org, policy, person.id, now)
        revoked = 0
        for someone in uow.orgs.people_of(person.org):
            if policy_covers(policy, someone.roles) and not uow.factors.has_factor(someone.id):
                revoked += uow.auth.revoke_tokens_of(someone.id, now)
        record(uow, org_log(person.org), person.id, person.org,
               SecondFactorPolicyChanged(old=old.value, new=policy.value, tokens_revoked=revoked))
        uow.commit()
    return policy


def reset_factors(uow: UnitOfWork, actor_id: str | None, *, person_id: str | None = None,
                  email: str | None = None) -> Person:
    """For a person who lost their phone, passkeys and recovery codes: remove every factor,
    end their sessions and revoke their tokens. An admin of their org does it (not for
    themselves: another admin must), or the operator (`actor_id` None, from the CLI). If the
    policy covers them, they set up a new factor at their next sign-in."""
    with uow:
        person = (uow.orgs.get_person(person_id) if person_id
                  else uow.orgs.get_person_by_email(normalize_email(email or "")))
        if actor_id is not None:
            admin = actor(uow, actor_id)
            if person is None or person.org != admin.org:
                raise NotFound("person", person_id or email or "")
            require_role(admin, Role.ADMIN)
            if admin.id == person.id:
                raise PermissionDenied("another admin must reset your second factors")
        if person is None:
            raise NotFound("person", person_id or email or "")
        now = uow.clock()
        keys = uow.factors.passkeys_of(person.id)
        totp = uow.factors.totp(person.id, lock=True)
        for key in keys:
            uow.factors.delete_passkey(key.id)
        uow.factors.delete_totp(person.id)
        uow.factors.replace_recovery_codes(person.id, [], now)
        uow.auth.end_sessions_of(person.id, now)
        revoked = uow.auth.revoke_tokens_of(person.id, now)
        record(uow, org_log(person.org), actor_id, person.id, SecondFactorsReset(
            passkeys=len(keys), totp=bool(totp and totp.confirmed_at), tokens_revoked=revoked))
        uow.commit()
    return person


def people_with_factors(uow: UnitOfWork, actor_id: str) -> list[tuple[Person, bool, bool]]:
    """An admin's view of their org: each person, whether they have a factor, and whether the
    policy requires one of them."""
    with uow.reading():
        person = actor(uow, actor_id)
        require_role(person, Role.ADMIN)
        policy = uow.factors.policy(person.org)
        return [(p, uow.factors.has_factor(p.id), policy_covers(policy, p.roles))
                for p in uow.orgs.people_of(person.org)]


def _own_org_admin(person: Person, handle: str) -> None:
    if handle != person.org:
        raise NotFound("organization", handle)
    require_role(person, Role.ADMIN)
