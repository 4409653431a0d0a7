"""Single sign-on with OpenID Connect (docs/sso.md): an org's admins register its identity
provider; people on its email domains sign in through it (authorization code flow with PKCE
S256, state and nonce), and are created at their first sign-in when the org wants that.

The flow: `begin` stores a sign-in under way (state's hash, nonce, PKCE verifier) bound to
the browser by the hash of a cookie, and gives the provider's authorization URL; `finish`
takes it back by the state (once), checks the cookie, exchanges the code, checks the ID
token's signature against the provider's keys and its claims (domain/sso.py), then starts a
session as a password sign-in does. Every refusal changes nothing and says what failed, never
whether an account exists.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass, replace
from datetime import timedelta
from urllib.parse import urlencode

from authlib.oauth2.rfc7636 import create_s256_code_challenge

from sharebound.adapters.oidc import BadSignature, Oidc, ProviderError
from sharebound.domain.audit import OPERATOR_LOG, org_log
from sharebound.domain.auth import SessionRecord
from sharebound.domain.errors import Conflict, InvalidInput, NotFound, SsoRefused
from sharebound.domain.events import PersonProvisioned, SsoConfigured, SsoRemoved, SsoSignedIn
from sharebound.domain.ids import new_id
from sharebound.domain.orgs import Person, Role
from sharebound.domain.sso import (
    LOGIN_TTL,
    REAUTH_MAX_AGE,
    SCOPES,
    PendingLogin,
    SsoProvider,
    check_claims,
    email_domain,
    parse_settings,
)
from sharebound.domain.values import is_email, normalize_email
from sharebound.services.auth import (
    ACTIVE,
    ENROL,
    ENROL_STEP,
    SECOND_FACTOR,
    SECOND_STEP,
    SESSION_PREFIX,
    BrowserSession,
)
from sharebound.services.common import actor, record, require_role
from sharebound.services.second_factors import must_enrol
from sharebound.services.unit_of_work import UnitOfWork

CALLBACK_PATH = "/sso/callback"


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def redirect_uri(base_url: str) -> str:
    """Where the provider sends the browser back: register it as the client's redirect URI."""
    return base_url.rstrip("/") + CALLBACK_PATH


def _admin_of(uow: UnitOfWork, actor_id: str, handle: str) -> Person:
    person = actor(uow, actor_id)
    if person.org != handle:
        raise NotFound("org", handle)
    require_role(person, Role.ADMIN)
    return person


def get_provider(uow: UnitOfWork, actor_id: str, handle: str) -> SsoProvider | None:
    """The org's provider settings (the secret stays inside: callers show only that it is set)."""
    with uow.reading():
        _admin_of(uow, actor_id, handle)
        return uow.sso.get(handle)


def configure(uow: UnitOfWork, actor_id: str, handle: str, data: object, *, oidc: Oidc) -> SsoProvider:
    """Set or change the org's provider. Discovery is fetched from the issuer first (only
    there, under the address rule); a domain another org claims, or that people of another org
    sign in with, is a conflict."""
    with uow.reading():  # why first: who asks is checked before anything is fetched for them
        _admin_of(uow, actor_id, handle)
        before = uow.sso.get(handle)
    settings = parse_settings(data, allow=oidc.allow, has_secret=before is not None)
    try:
        endpoints = oidc.discover(settings.issuer)
    except ProviderError as error:
        raise InvalidInput({"issuer": f"discovery failed: the provider {error}"}) from None
    with uow:
        person = _admin_of(uow, actor_id, handle)
        current = uow.sso.get(handle, lock=True)
        for domain in sorted(settings.domains):
            owner = uow.sso.domain_owner(domain)
            if owner is not None and owner != handle:
                raise Conflict(f"the domain {domain} belongs to another organization's single sign-on")
            if uow.sso.people_elsewhere(domain, handle):
                raise Conflict(f"people of another organization sign in with {domain} addresses; "
                               "a domain can belong to one organization only")
        secret = settings.client_secret or (current.client_secret if current else "")
        provider = SsoProvider(
            org=handle, issuer=settings.issuer, client_id=settings.client_id, client_secret=secret,
            endpoints=endpoints, domains=settings.domains, role_rules=settings.role_rules,
            require_sso=settings.require_sso, jit=settings.jit, updated_by=person.id,
            updated_at=uow.clock())
        uow.sso.save(provider)
        record(uow, org_log(handle), person.id, handle, SsoConfigured(
            issuer=provider.issuer, client_id=provider.client_id,
            domains=tuple(sorted(provider.domains)),
            role_mapping=tuple(f"{r.claim}={r.value}: {','.join(sorted(r.roles))}"
                               for r in provider.role_rules),
            require_sso=provider.require_sso, jit=provider.jit,
            secret_changed=settings.client_secret is not None))
        uow.commit()
    return provider


def remove(uow: UnitOfWork, actor_id: str | None, handle: str) -> None:
    """Turn single sign-on off for the org: its people sign in with passwords again. The
    operator may do it too (actor None: `sharebound sso remove`), when the provider is gone."""
    with uow:
        if actor_id is not None:
            _admin_of(uow, actor_id, handle)
        current = uow.sso.get(handle, lock=True)
        if current is None:
            raise NotFound("single sign-on of org", handle)
        uow.sso.remove(handle)
        record(uow, org_log(handle), actor_id, handle, SsoRemoved(issuer=current.issuer))
        if actor_id is None:
            record(uow, OPERATOR_LOG, None, handle, SsoRemoved(issuer=current.issuer))
        uow.commit()


def required_for(uow: UnitOfWork, email: str) -> bool:
    """Whether an email's domain must sign in through its org's provider (inside the caller's
    transaction). Decided by the domain alone: it says nothing about the account."""
    provider = uow.sso.for_domain(email_domain(email))
    return provider is not None and provider.require_sso


@dataclass(frozen=True)
class Started:
    url: str  # the provider's authorization URL, to redirect the browser to
    browser: str  # the secret to set as a short-lived cookie: binds the callback to this browser


def begin(uow: UnitOfWork, *, email: str, next_url: str, base_url: str,
          reauth_cookie: str | None = None) -> Started:
    """Start an SSO sign-in for an email's domain; with `reauth_cookie`, a fresh sign-in
    (prompt=login, max_age=0) that re-authenticates that live session."""
    if not isinstance(email, str) or not is_email(email.strip()):
        raise InvalidInput({"email": "must be an email address"})
    email = normalize_email(email)
    with uow:
        provider = uow.sso.for_domain(email_domain(email))
        if provider is None:
            raise NotFound("single sign-on for the domain", email_domain(email))
        session_id = None
        if reauth_cookie is not None:
            found = uow.auth.session_by_hash(_digest(reauth_cookie))
            if found is None or found.ended_at is not None or found.expires_at <= uow.clock():
                raise NotFound("session", "given")
            session_id = found.id
        state, nonce, verifier, browser = (secrets.token_urlsafe(32) for _ in range(4))
        now = uow.clock()
        uow.sso.prune(now)
        uow.sso.add_login(_digest(state), PendingLogin(
            org=provider.org, browser_hash=_digest(browser), nonce=nonce, verifier=verifier,
            next_url=next_url, session_id=session_id, created_at=now, expires_at=now + LOGIN_TTL))
        uow.commit()
    query = {"response_type": "code", "client_id": provider.client_id,
             "redirect_uri": redirect_uri(base_url), "scope": SCOPES, "state": state, "nonce": nonce,
             "code_challenge": create_s256_code_challenge(verifier), "code_challenge_method": "S256",
             "login_hint": email}
    if session_id is not None:
        query |= {"prompt": "login", "max_age": "0"}
    separator = "&" if "?" in provider.endpoints.authorization else "?"
    return Started(url=provider.endpoints.authorization + separator + urlencode(query), browser=browser)


@dataclass(frozen=True)
class Finished:
    session: BrowserSession
    next_url: str
    provisioned: bool
    reauthenticated: bool


def _refused(reason: str, message: str) -> SsoRefused:
    return SsoRefused(reason, message)


def finish(uow: UnitOfWork, *, state: str, code: str | None, error: str | None, browser: str,
           base_url: str, oidc: Oidc, hours: int) -> Finished:
    """The provider's answer at the callback, checked; a session for the person it names."""
    with uow:
        login = uow.sso.take_login(_digest(state)) if state else None
        now = uow.clock()
        if (login is None or login.expires_at <= now or not browser
                or not hmac.compare_digest(login.browser_hash, _digest(browser))):
            raise _refused("state", "This sign-in link is not one this browser started, or it has "
                           "expired: start again from the sign-in page.")
        provider = uow.sso.get(login.org)
        uow.commit()  # why: the state is used up, whatever happens next
    if provider is None:
        raise _refused("state", "Single sign-on was turned off meanwhile: sign in again.")
    if error or not code:
        raise _refused("provider", "The identity provider did not sign you in"
                       + (" (it answered: access denied)." if error == "access_denied" else "."))
    try:
        id_token = oidc.exchange(provider.endpoints, code=code, verifier=login.verifier,
                                 redirect_uri=redirect_uri(base_url), client_id=provider.client_id,
                                 client_secret=provider.client_secret)
        claims = oidc.verified_claims(provider.endpoints, id_token)
    except BadSignature:
        raise _refused("signature", "The identity provider's answer is not signed with its keys "
                       "(it was altered, or came from elsewhere).") from None
    except ProviderError as problem:
        raise _refused("provider", f"The identity provider {problem}: try again later, or ask "
                       "your admin.") from None
    with uow:
        now = uow.clock()
        identity = check_claims(claims, provider=provider, nonce=login.nonce, now=now,
                                max_age=REAUTH_MAX_AGE if login.session_id else None)
        person = uow.orgs.get_person_by_email(identity.email)
        provisioned = False
        if person is not None and not person.active:
            # why the same words as for someone never added: it must not tell the account exists
            raise _refused("account", "Your organization has not given you access to Sharebound "
                           "yet: ask its admin to add you.")
        if person is not None and person.org != provider.org:
            raise _refused("account", "Your organization's identity provider cannot sign you in to "
                           "this account: ask your Sharebound admin.")
        if person is None:
            if not provider.jit:
                raise _refused("account", "Your organization has not given you access to Sharebound "
                               "yet: ask its admin to add you.")
            person = Person(id=new_id("per"), org=provider.org, name=identity.name,
                            email=identity.email, roles=identity.roles, created_at=now)
            uow.orgs.add_person(person, None)
            record(uow, org_log(provider.org), None, person.id,
                   PersonProvisioned(issuer=provider.issuer, roles=tuple(sorted(person.roles))))
            provisioned = True
        if login.session_id is not None:
            at = identity.auth_time or now  # why: check_claims required a fresh auth_time
            current = uow.auth.session_by_id(login.session_id)
            if current is None or current.person_id != person.id or current.ended_at is not None:
                raise _refused("account", "You signed in at the identity provider as someone else "
                               "than the person of this session.")
            uow.auth.reauthenticate_session(current.id, "sso", at)
            session = replace(current, method="sso", authenticated_at=at)
            cookie = ""
        else:
            # why the same steps as a password sign-in: the provider does not stand in for the
            # person's own second factor, nor for the org's policy that asks for one
            if uow.factors.has_factor(person.id):
                stage, lasts = SECOND_FACTOR, SECOND_STEP
            elif must_enrol(uow, person):
                stage, lasts = ENROL, ENROL_STEP
            else:
                stage, lasts = ACTIVE, timedelta(hours=hours)
            cookie = SESSION_PREFIX + secrets.token_urlsafe(32)
            session = SessionRecord(id=new_id("ses"), person_id=person.id, csrf=secrets.token_hex(32),
                                    created_at=now, expires_at=now + lasts, ended_at=None, stage=stage,
                                    method="sso", authenticated_at=identity.auth_time)
            uow.auth.add_session(session, _digest(cookie))
        record(uow, org_log(person.org), person.id, session.id,
               SsoSignedIn(issuer=provider.issuer, reauthentication=login.session_id is not None))
        uow.commit()
    return Finished(session=BrowserSession(cookie=cookie, person=person, csrf=session.csrf,
                                           stage=session.stage),
                    next_url=login.next_url, provisioned=provisioned,
                    reauthenticated=login.session_id is not None)


def reauthenticated_within(uow: UnitOfWork, cookie: str, within: timedelta) -> bool:
    """Whether this browser session's person proved who they are through SSO within `within`
    of now (a fresh sign-in with prompt=login, or the sign-in that started the session):
    signing may accept it as re-authentication (docs/sso.md)."""
    with uow.reading():
        return fresh_sso_in(uow, cookie, within)


def fresh_sso_in(uow: UnitOfWork, cookie: str, within: timedelta) -> bool:
    """`reauthenticated_within` inside a transaction the caller owns."""
    found = uow.auth.session_by_hash(_digest(cookie)) if cookie.startswith(SESSION_PREFIX) else None
    now = uow.clock()
    if found is None or found.ended_at is not None or found.expires_at <= now:
        return False
    at = found.authenticated_at  # None: the provider did not say when the person signed in
    return found.method == "sso" and at is not None and now - within <= at <= now + timedelta(minutes=2)
