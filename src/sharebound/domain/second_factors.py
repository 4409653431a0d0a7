"""Second factors: who an org's policy covers, TOTP time steps, recovery codes, and the proof a
person gives of a factor (docs/second-factors.md). Pure: the time is a parameter."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any
from urllib.parse import urlsplit

from sharebound.domain.orgs import Role

TOTP_PERIOD = 30  # why: seconds per code, what every authenticator app uses (RFC 6238's default)
TOTP_DIGITS = 6  # why: what every authenticator app shows
# why 1: a code typed in the last seconds of its period, or read off a phone whose clock is a
# little behind, still counts; a wider window only gives a guesser more live codes
TOTP_DRIFT_STEPS = 1
RECOVERY_CODES = 10  # why: enough for a lost phone and a few sign-ins until a new one is set up
RECOVERY_CODE_GROUPS = 2  # two groups of five characters: "k7m2q-x9c4r"
RECOVERY_CODE_ALPHABET = "23456789abcdefghjkmnpqrstuvwxyz"  # why: no 0/o, 1/l/i to misread


class Policy(StrEnum):
    """Whom an organization requires to have a second factor."""

    NONE = "none"
    ADMINS_AND_SIGNERS = "admins_and_signers"
    EVERYONE = "everyone"


class Method(StrEnum):
    """How a person proved a second factor: what a signature's evidence records."""

    TOTP = "totp"
    WEBAUTHN = "webauthn"
    RECOVERY_CODE = "recovery_code"


def policy_covers(policy: Policy, roles: frozenset[Role]) -> bool:
    """Whether a person holding `roles` must have a second factor under `policy`."""
    if policy is Policy.EVERYONE:
        return True
    if policy is Policy.ADMINS_AND_SIGNERS:
        return bool(roles & {Role.ADMIN, Role.SIGNER})
    return False


def time_step(at: datetime) -> int:
    """The TOTP time step (RFC 6238) that `at` falls in."""
    return int(at.timestamp()) // TOTP_PERIOD


def candidate_steps(at: datetime, last_used: int | None) -> list[int]:
    """The steps whose code is accepted at `at`: the current one and its neighbours, but none
    at or before the step last used, so that a code (or an older one) is never used twice."""
    now = time_step(at)
    steps = range(now - TOTP_DRIFT_STEPS, now + TOTP_DRIFT_STEPS + 1)
    return [s for s in steps if last_used is None or s > last_used]


def normalize_code(text: str) -> str:
    """A typed code without spaces and dashes, in lower case: `123 456` is `123456`, and
    `K7M2Q-X9C4R` is `k7m2qx9c4r`."""
    return "".join(c for c in text.lower() if c not in " -\t")


def looks_like_totp(code: str) -> bool:
    return len(code) == TOTP_DIGITS and code.isascii() and code.isdigit()


def looks_like_recovery_code(code: str) -> bool:
    return len(code) == 5 * RECOVERY_CODE_GROUPS and all(c in RECOVERY_CODE_ALPHABET for c in code)


def format_recovery_code(raw: str) -> str:
    """`k7m2qx9c4r` as shown to the person: `k7m2q-x9c4r`."""
    return "-".join(raw[i:i + 5] for i in range(0, len(raw), 5))


@dataclass(frozen=True, slots=True)
class RelyingParty:
    """Who passkeys are made for: the RP id (a host name) and the origin pages run at."""

    id: str
    origin: str
    name: str = "Sharebound"

    @classmethod
    def of_url(cls, base_url: str, rp_id: str | None = None) -> RelyingParty:
        """From the address people reach the app at (SHAREBOUND_BASE_URL): its origin, and
        its host as the RP id unless `rp_id` names a parent domain."""
        parts = urlsplit(base_url)
        origin = f"{parts.scheme}://{parts.netloc}".lower()
        return cls(id=(rp_id or parts.hostname or "localhost").lower(), origin=origin)


@dataclass(frozen=True, slots=True)
class FactorProof:
    """What a person gives as a fresh second factor: a code (from the TOTP app, or a recovery
    code) or a WebAuthn assertion (the JSON of navigator.credentials.get())."""

    code: str | None = None
    webauthn: Mapping[str, Any] | None = None

    @property
    def given(self) -> bool:
        return bool(self.code) or self.webauthn is not None


@dataclass(frozen=True, slots=True)
class Passkey:
    id: str
    person_id: str
    credential_id: str  # base64url, as the browser names it
    public_key: bytes  # COSE
    sign_count: int
    name: str
    created_at: datetime
    last_used_at: datetime | None


@dataclass(frozen=True, slots=True)
class TotpFactor:
    person_id: str
    secret: str  # base32; sealed at rest by the repository
    created_at: datetime
    confirmed_at: datetime | None  # None: enrolment begun, no code checked yet
    last_step: int | None  # the time step of the code last accepted


@dataclass(frozen=True, slots=True)
class Challenge:
    """A WebAuthn challenge the server issued: single use, short-lived."""

    id: str
    person_id: str
    purpose: str  # "register" or "authenticate"
    challenge: str  # base64url
    expires_at: datetime
    used_at: datetime | None


@dataclass(frozen=True, slots=True)
class FactorStatus:
    """A person's second factors, as their security page and `GET /me/second-factors` show them."""

    totp: bool
    totp_pending: bool
    passkeys: tuple[Passkey, ...]
    recovery_codes_left: int
    policy: Policy
    required: bool  # the org's policy covers this person

    @property
    def any(self) -> bool:
        return self.totp or bool(self.passkeys)
