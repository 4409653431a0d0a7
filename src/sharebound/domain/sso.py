"""Single sign-on with OpenID Connect (docs/sso.md): an org's identity provider, who gets which
roles, and the checks on an ID token's claims.

Pure: the caller fetches discovery and keys and checks the token's signature
(adapters/oidc.py); time is a parameter. Every refusal is an `SsoRefused` with a stable
`reason` and a message that says what failed, never whether an account exists.
"""

from __future__ import annotations

import hmac
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

from sharebound.domain.addresses import AllowList, literal_address, normalize_host
from sharebound.domain.errors import InvalidInput, SsoRefused
from sharebound.domain.limits import MAX_URL
from sharebound.domain.orgs import Role
from sharebound.domain.values import is_email, normalize_email, single_line

MAX_DOMAINS = 20  # why: an org's own mail domains, not a list of customers
MAX_RULES = 50  # why: a rule per group that matters; more is a directory, which SCIM syncs
MAX_CLIENT_ID = 255
MAX_SECRET = 1000
MAX_CLAIM_VALUE = 200
CLOCK_SKEW = timedelta(minutes=2)  # why: the provider's clock and ours may differ a little
LOGIN_TTL = timedelta(minutes=10)  # why: time to type a password (and a second factor) at the provider
REAUTH_MAX_AGE = timedelta(minutes=5)  # why: "fresh": the person typed their credentials just now
SCOPES = "openid email profile"


@dataclass(frozen=True, slots=True)
class RoleRule:
    """People whose ID token's `claim` is `value` (or, for a list claim such as `groups`,
    holds it) get `roles`."""

    claim: str
    value: str
    roles: frozenset[Role]

    def data(self) -> dict[str, object]:
        return {"claim": self.claim, "value": self.value, "roles": sorted(self.roles)}


@dataclass(frozen=True, slots=True)
class SsoSettings:
    """What an admin gives; `client_secret` None keeps the one stored."""

    issuer: str
    client_id: str
    client_secret: str | None
    domains: frozenset[str]
    role_rules: tuple[RoleRule, ...]
    require_sso: bool
    jit: bool


@dataclass(frozen=True, slots=True)
class Endpoints:
    """What discovery found at the issuer."""

    authorization: str
    token: str
    jwks: str


@dataclass(frozen=True, slots=True)
class SsoProvider:
    org: str
    issuer: str
    client_id: str
    client_secret: str
    endpoints: Endpoints
    domains: frozenset[str]
    role_rules: tuple[RoleRule, ...]
    require_sso: bool
    jit: bool
    updated_by: str
    updated_at: datetime


@dataclass(frozen=True, slots=True)
class PendingLogin:
    """An SSO sign-in under way, as stored between the redirect and the callback."""

    org: str
    browser_hash: str
    nonce: str
    verifier: str
    next_url: str
    session_id: str | None  # a re-authentication of this session
    created_at: datetime
    expires_at: datetime


@dataclass(frozen=True, slots=True)
class Identity:
    """Who the provider says signed in, after every check passed."""

    subject: str
    email: str
    name: str
    roles: frozenset[Role]
    auth_time: datetime | None


def email_domain(email: str) -> str:
    return normalize_email(email).rpartition("@")[2]


def check_issuer_url(field: str, value: object, allow: AllowList) -> str:
    """An https URL (http only for a host the operator allows, as on a test loopback) with a
    host and no query or fragment."""
    url = single_line(field, value, MAX_URL)
    parts = urlsplit(url)
    host = parts.hostname or ""
    if parts.scheme not in ("https", "http") or not host or parts.query or parts.fragment:
        raise InvalidInput({field: "must be an https:// URL with a host, and no query or fragment"})
    if parts.scheme == "http" and not _allowed(host, allow):
        raise InvalidInput({field: "must use https://"})
    return url


def _allowed(host: str, allow: AllowList) -> bool:
    address = literal_address(host)
    return allow.allows_host(host) or (address is not None and allow.allows_address(address))


def parse_settings(data: object, *, allow: AllowList, has_secret: bool) -> SsoSettings:
    """An admin's provider settings, every bad field named at once."""
    if not isinstance(data, Mapping):
        raise InvalidInput({"body": "must be a JSON object"})
    errors: dict[str, str] = {}
    known = {"issuer", "client_id", "client_secret", "domains", "role_mapping", "require_sso", "jit"}
    for key in data:
        if key not in known:
            errors[str(key)[:100]] = "is not a field of the SSO settings"
    issuer = client_id = ""
    secret: str | None = None
    try:
        issuer = check_issuer_url("issuer", data.get("issuer"), allow).rstrip("/")
    except InvalidInput as bad:
        errors.update(bad.errors)
    try:
        client_id = single_line("client_id", data.get("client_id"), MAX_CLIENT_ID)
    except InvalidInput as bad:
        errors.update(bad.errors)
    given_secret = data.get("client_secret")
    if given_secret is None or given_secret == "":
        if not has_secret:
            errors["client_secret"] = "is required"
    elif (not isinstance(given_secret, str) or len(given_secret) > MAX_SECRET
          or given_secret != given_secret.strip()):
        errors["client_secret"] = f"must be text of at most {MAX_SECRET} characters, without spaces around"
    else:
        secret = given_secret
    domains = _domains(data.get("domains"), errors)
    rules = _rules(data.get("role_mapping", []), errors)
    flags = {}
    for name in ("require_sso", "jit"):
        value = data.get(name, False)
        if not isinstance(value, bool):
            errors[name] = "must be true or false"
        flags[name] = value is True
    if errors:
        raise InvalidInput(errors)
    return SsoSettings(issuer=issuer, client_id=client_id, client_secret=secret, domains=domains,
                       role_rules=rules, require_sso=flags["require_sso"], jit=flags["jit"])


def _domains(given: object, errors: dict[str, str]) -> frozenset[str]:
    if not isinstance(given, list) or not given or len(given) > MAX_DOMAINS:
        errors["domains"] = f"must list 1 to {MAX_DOMAINS} email domains"
        return frozenset()
    found: set[str] = set()
    for raw in given:
        name = normalize_host(raw) if isinstance(raw, str) else ""
        labels = name.split(".")
        if (len(name) > 253 or len(labels) < 2  # why 253: the longest DNS name
                or not all(0 < len(p) <= 63 and all(c.isalnum() or c == "-" for c in p) for p in labels)
                or literal_address(name) is not None):
            errors["domains"] = f"{str(raw)[:100]!r} is not an email domain (like acme.example)"
            return frozenset()
        found.add(name)
    return frozenset(found)


def _rules(given: object, errors: dict[str, str]) -> tuple[RoleRule, ...]:
    if not isinstance(given, list) or len(given) > MAX_RULES:
        errors["role_mapping"] = f"must be a list of at most {MAX_RULES} rules"
        return ()
    rules: list[RoleRule] = []
    for index, rule in enumerate(given):
        where = f"role_mapping[{index}]"
        if not isinstance(rule, Mapping) or set(rule) != {"claim", "value", "roles"}:
            errors[where] = "must be an object with claim, value and roles"
            continue
        claim, value, roles = rule["claim"], rule["value"], rule["roles"]
        if not isinstance(claim, str) or not claim.strip() or len(claim) > 100 or claim in _RESERVED:
            errors[f"{where}.claim"] = "must name a claim of the ID token (e.g. groups)"
        if not isinstance(value, str) or not value.strip() or len(value) > MAX_CLAIM_VALUE:
            errors[f"{where}.value"] = f"must be text of 1 to {MAX_CLAIM_VALUE} characters"
        if (not isinstance(roles, list) or not roles
                or not all(isinstance(r, str) and r in Role.__members__.values() for r in roles)):
            errors[f"{where}.roles"] = "must list roles among admin, signer and member"
            continue
        if isinstance(claim, str) and isinstance(value, str):
            rules.append(RoleRule(claim.strip(), value.strip(), frozenset(Role(r) for r in roles)))
    return tuple(rules)


# why: these claims say who and when, not what group; a rule on them would be a typo or a trick
_RESERVED = frozenset({"iss", "aud", "exp", "iat", "nonce", "azp", "auth_time", "sub", "email_verified"})


def roles_for(rules: tuple[RoleRule, ...], claims: Mapping[str, object]) -> frozenset[Role]:
    """The roles every matching rule gives; `member` when none matches."""
    roles: set[Role] = set()
    for rule in rules:
        have = claims.get(rule.claim)
        values = have if isinstance(have, list) else [have]
        if any(isinstance(v, str) and v == rule.value for v in values):
            roles |= rule.roles
    return frozenset(roles or {Role.MEMBER})


def _refuse(reason: str, message: str) -> SsoRefused:
    return SsoRefused(reason, message)


def check_claims(claims: Mapping[str, object], *, provider: SsoProvider, nonce: str, now: datetime,
                 max_age: timedelta | None = None) -> Identity:
    """The identity in an ID token whose signature was checked, if every claim holds:
    iss, aud (and azp), exp, iat, nonce, email_verified, the email's domain; and auth_time
    within `max_age` when a fresh sign-in was asked for."""
    if claims.get("iss") != provider.issuer and claims.get("iss") != provider.issuer + "/":
        raise _refuse("issuer", "The sign-in came from another identity provider than your "
                      "organization's (wrong issuer).")
    audience = claims.get("aud")
    audiences = audience if isinstance(audience, list) else [audience]
    if provider.client_id not in audiences or (
            len(audiences) > 1 and claims.get("azp") != provider.client_id):
        raise _refuse("audience", "The identity provider's answer was issued for another "
                      "application (wrong audience).")
    expires, issued = _seconds(claims.get("exp")), _seconds(claims.get("iat"))
    if expires is None or issued is None:
        raise _refuse("expired", "The identity provider's answer has no valid time.")
    if _at(expires) <= now - CLOCK_SKEW:
        raise _refuse("expired", "The identity provider's answer has expired: sign in again.")
    if _at(issued) > now + CLOCK_SKEW:
        raise _refuse("expired", "The identity provider's answer is dated in the future: check "
                      "the clocks.")
    given_nonce = claims.get("nonce")
    if not isinstance(given_nonce, str) or not hmac.compare_digest(given_nonce.encode(), nonce.encode()):
        raise _refuse("nonce", "The identity provider's answer belongs to another sign-in "
                      "(wrong nonce): start again.")
    email = claims.get("email")
    if not isinstance(email, str) or not is_email(email.strip()):
        raise _refuse("email", "The identity provider gave no email address: ask your admin to "
                      "release the email claim to Sharebound.")
    if claims.get("email_verified") is not True:
        raise _refuse("email_not_verified", "The identity provider has not verified this email "
                      "address, so it cannot sign you in here.")
    if email_domain(email) not in provider.domains:
        raise _refuse("domain", "This email address is not on a domain of the organization "
                      "whose identity provider signed you in.")
    auth_time = _seconds(claims.get("auth_time"))
    if max_age is not None and (auth_time is None or _at(auth_time) < now - max_age - CLOCK_SKEW):
        raise _refuse("auth_time", "The identity provider did not ask for your credentials again "
                      "just now, so this cannot confirm it is you.")
    subject = claims.get("sub")
    if not isinstance(subject, str) or not subject:
        raise _refuse("subject", "The identity provider's answer names no subject.")
    name = claims.get("name")
    shown = name.strip()[:200] if isinstance(name, str) and name.strip() else email.split("@")[0]
    return Identity(subject=subject, email=normalize_email(email), name=" ".join(shown.split()),
                    roles=roles_for(provider.role_rules, claims),
                    auth_time=_at(auth_time) if auth_time is not None else None)


def _seconds(value: object) -> int | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return int(value)


def _at(seconds: int) -> datetime:
    try:
        return datetime.fromtimestamp(seconds, UTC)
    except (OverflowError, OSError, ValueError):
        return datetime.max.replace(tzinfo=UTC) if seconds > 0 else datetime.min.replace(tzinfo=UTC)
