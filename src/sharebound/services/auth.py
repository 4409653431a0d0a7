"""Signing in: passwords, API tokens, invitations, and limits on failed attempts.

Secrets are random (`secrets.token_urlsafe`), shown once, and stored only as SHA-256
hashes; a high-entropy token needs no slow hash. Passwords use Argon2id.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache

from sharebound.domain.audit import org_log
from sharebound.domain.auth import InvitationRecord, SessionRecord, TokenRecord
from sharebound.domain.errors import InvalidInput, NotFound, RateLimited, Unauthenticated
from sharebound.domain.events import (
    InvitationAccepted,
    InvitationIssued,
    PasswordChanged,
    SessionEnded,
    SessionStarted,
    TokenIssued,
    TokenRevoked,
)
from sharebound.domain.ids import new_id
from sharebound.domain.limits import MAX_TOKEN_DAYS
from sharebound.domain.orgs import Person, Role
from sharebound.domain.values import normalize_email, single_line
from sharebound.services.common import actor, record, require_role
from sharebound.services.orgs import MIN_PASSWORD, NewPerson, add_person_in
from sharebound.services.ports import PasswordHasher
from sharebound.services.unit_of_work import UnitOfWork

TOKEN_PREFIX = "sbt_"
SESSION_PREFIX = "sbs_"
INVITATION_PREFIX = "sbi_"
INVITATION_DAYS = 7
DEFAULT_TOKEN_DAYS = 90  # why: a forgotten token stops working within a quarter (SHAREBOUND_TOKEN_DAYS)
# why these numbers: 5 is enough for a person who mistypes a few times and far too few to
# guess a password. They count per account *and address*, so that a stranger cannot lock a
# person out by failing five times from elsewhere; an address gets 20 in all (an office shares
# one); an account 50 from everywhere together, which stops a guesser spread over many
# addresses, while locking it out takes a stranger at least three addresses' full budget.
FAILURE_WINDOW = timedelta(minutes=15)
ACCOUNT_FAILURES = 5  # per account from one address
ADDRESS_FAILURES = 20  # per address, whatever the accounts
ACCOUNT_WIDE_FAILURES = 50  # per account, from every address together


@cache
def _dummy_hash(passwords: PasswordHasher) -> str:
    """A valid hash of a random password: unknown accounts take as long to refuse as known ones."""
    return passwords.hash(secrets.token_urlsafe(16))


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class IssuedToken:
    token: str  # shown once
    record: TokenRecord
    person: Person


def issue_token(
    uow: UnitOfWork, *, email: str, password: str, address: str, name: str = "api",
    expires_in_days: int | None = None, default_days: int = DEFAULT_TOKEN_DAYS,
) -> IssuedToken:
    """Exchange an email and password for a bearer token; it lasts `expires_in_days`, or
    `default_days` when not given. No token lasts forever."""
    errors = {}
    if not isinstance(email, str) or not email.strip():
        errors["email"] = "is required"
    if not isinstance(password, str) or not password:
        errors["password"] = "is required"
    try:
        single_line("name", name, 100)
    except InvalidInput as bad:
        errors.update(bad.errors)
    if expires_in_days is not None and not 1 <= expires_in_days <= MAX_TOKEN_DAYS:
        errors["expires_in_days"] = f"must be from 1 to {MAX_TOKEN_DAYS}"
    if errors:
        raise InvalidInput(errors)
    with uow:
        now = uow.clock()
        person = _signed_in(uow, email, password, address, now)
        token = TOKEN_PREFIX + secrets.token_urlsafe(32)
        expires_at = now + timedelta(days=expires_in_days or default_days)
        token_record = TokenRecord(id=new_id("tok"), person_id=person.id, name=name.strip(),
                                   created_at=now, expires_at=expires_at, revoked_at=None)
        uow.auth.add_token(token_record, _digest(token))
        record(uow, org_log(person.org), person.id, token_record.id, TokenIssued())
        uow.commit()
    return IssuedToken(token=token, record=token_record, person=person)


def _signed_in(uow: UnitOfWork, email: str, password: str, address: str, now: datetime) -> Person:
    """The person these credentials belong to; a failure is recorded (and committed) first."""
    account = f"account:{normalize_email(email)}"
    where = f"address:{address}"
    # why hashed: an email and an address together may not fit the key column
    pair = "pair:" + _digest(f"{account}\n{where}")
    _check_limits(uow, now, account, where, pair)
    person = uow.orgs.get_person_by_email(normalize_email(email))
    stored = uow.auth.password_hash(person.id) if person else None
    known = uow.passwords.verify(stored or _dummy_hash(uow.passwords), password)
    if not known or person is None or stored is None:
        for key in (account, where, pair):
            uow.auth.record_failure(key, now)
        uow.commit()
        raise Unauthenticated("wrong email or password")
    return person


@dataclass(frozen=True)
class BrowserSession:
    cookie: str  # shown once, to be set as an HttpOnly cookie
    person: Person
    csrf: str


def start_session(uow: UnitOfWork, *, email: str, password: str, address: str,
                  hours: int = 12) -> BrowserSession:
    """Sign in from a browser: a session cookie, and the CSRF secret its forms carry."""
    errors = {}
    if not isinstance(email, str) or not email.strip():
        errors["email"] = "is required"
    if not isinstance(password, str) or not password:
        errors["password"] = "is required"
    if errors:
        raise InvalidInput(errors)
    with uow:
        now = uow.clock()
        person = _signed_in(uow, email, password, address, now)
        started = open_session_in(uow, person, hours)
        uow.commit()
    return started


def open_session_in(uow: UnitOfWork, person: Person, hours: int) -> BrowserSession:
    """A browser session for `person`, inside a transaction the caller owns: after signing in,
    or for the admin an org was just made for (who typed the password a moment ago)."""
    now = uow.clock()
    cookie = SESSION_PREFIX + secrets.token_urlsafe(32)
    record_ = SessionRecord(id=new_id("ses"), person_id=person.id, csrf=secrets.token_hex(32),
                            created_at=now, expires_at=now + timedelta(hours=hours), ended_at=None)
    uow.auth.add_session(record_, _digest(cookie))
    record(uow, org_log(person.org), person.id, record_.id, SessionStarted())
    return BrowserSession(cookie=cookie, person=person, csrf=record_.csrf)


def session_of(uow: UnitOfWork, cookie: str) -> BrowserSession:
    """The person and CSRF secret of a live session cookie."""
    with uow.reading():
        found = uow.auth.session_by_hash(_digest(cookie)) if cookie.startswith(SESSION_PREFIX) else None
        if found is None or found.ended_at is not None or found.expires_at <= uow.clock():
            raise Unauthenticated("the session has ended: sign in again")
        person = uow.orgs.get_person(found.person_id)
        if person is None:
            raise Unauthenticated("the session has ended: sign in again")
        return BrowserSession(cookie=cookie, person=person, csrf=found.csrf)


def end_session(uow: UnitOfWork, cookie: str) -> None:
    with uow:
        found = uow.auth.session_by_hash(_digest(cookie)) if cookie.startswith(SESSION_PREFIX) else None
        if found is not None and found.ended_at is None:
            uow.auth.end_session(found.id, uow.clock())
            person = uow.orgs.get_person(found.person_id)
            if person is not None:
                record(uow, org_log(person.org), person.id, found.id, SessionEnded())
            uow.commit()


def _check_limits(uow: UnitOfWork, now: datetime, account: str, address: str, pair: str) -> None:
    since = now - FAILURE_WINDOW
    if (uow.auth.failures_since(pair, since) >= ACCOUNT_FAILURES
            or uow.auth.failures_since(address, since) >= ADDRESS_FAILURES
            or uow.auth.failures_since(account, since) >= ACCOUNT_WIDE_FAILURES):
        raise RateLimited("too many failed sign-ins: wait 15 minutes and try again",
                          retry_after=int(FAILURE_WINDOW.total_seconds()))


def authenticate(uow: UnitOfWork, token: str) -> Person:
    """The person a bearer token belongs to, if it is valid now."""
    with uow.reading():
        found = uow.auth.token_by_hash(_digest(token)) if token.startswith(TOKEN_PREFIX) else None
        if found is None or found.revoked_at is not None or (
            found.expires_at is not None and found.expires_at <= uow.clock()
        ):
            raise Unauthenticated("the token is invalid, expired or revoked")
        person = uow.orgs.get_person(found.person_id)
        if person is None:
            raise Unauthenticated("the token is invalid, expired or revoked")
        return person


def list_tokens(uow: UnitOfWork, actor_id: str) -> list[TokenRecord]:
    with uow.reading():
        return uow.auth.tokens_of(actor(uow, actor_id).id)


def revoke_token(uow: UnitOfWork, actor_id: str, token_id: str) -> TokenRecord:
    with uow:
        person = actor(uow, actor_id)
        found = next((t for t in uow.auth.tokens_of(person.id) if t.id == token_id), None)
        if found is None:
            raise NotFound("token", token_id)
        if found.revoked_at is None:
            uow.auth.revoke_token(found.id, uow.clock())
            record(uow, org_log(person.org), person.id, found.id, TokenRevoked())
            uow.commit()
        return next(t for t in uow.auth.tokens_of(person.id) if t.id == token_id)


def change_password(
    uow: UnitOfWork, actor_id: str, *, current: str, new: str, keep_session: str | None = None,
    keep_tokens: bool = False,
) -> None:
    """Change your own password; every other browser session of yours ends, and every API
    token too (whoever took the old password may have made one), unless `keep_tokens`."""
    if not isinstance(new, str) or len(new) < MIN_PASSWORD:
        raise InvalidInput({"new_password": f"must be at least {MIN_PASSWORD} characters"})
    with uow:
        person = actor(uow, actor_id)
        stored = uow.auth.password_hash(person.id)
        if stored is None or not uow.passwords.verify(stored, current):
            raise InvalidInput({"current_password": "is not your current password"})
        uow.auth.set_password_hash(person.id, uow.passwords.hash(new))
        uow.auth.end_sessions_of(person.id, uow.clock(),
                                 keep=_digest(keep_session) if keep_session else None)
        revoked = 0 if keep_tokens else uow.auth.revoke_tokens_of(person.id, uow.clock())
        record(uow, org_log(person.org), person.id, person.id,
               PasswordChanged(tokens_revoked=revoked, tokens_kept=keep_tokens))
        uow.commit()


def invite_person(
    uow: UnitOfWork, actor_id: str | None, new: NewPerson
) -> tuple[Person, str | None]:
    """Add a person; without a password they get an invitation token that lets them set one."""
    with uow:
        person = add_person_in(uow, actor_id, new)
        invitation = _new_invitation(uow, person) if new.password is None else None
        uow.commit()
    return person, invitation


def invite_again(uow: UnitOfWork, actor_id: str | None, person_id: str) -> str:
    """A fresh invitation for a person of the actor's org (or any, for the operator)."""
    with uow:
        person = uow.orgs.get_person(person_id)
        if actor_id is not None:
            admin = actor(uow, actor_id)
            if person is None or person.org != admin.org:
                raise NotFound("person", person_id)
            require_role(admin, Role.ADMIN)
        if person is None:
            raise NotFound("person", person_id)
        token = _new_invitation(uow, person)
        record(uow, org_log(person.org), actor_id, person.id, InvitationIssued())
        uow.commit()
    return token


def _new_invitation(uow: UnitOfWork, person: Person) -> str:
    invitation = INVITATION_PREFIX + secrets.token_urlsafe(32)
    now = uow.clock()
    uow.auth.add_invitation(
        InvitationRecord(id=new_id("inv"), person_id=person.id,
                         expires_at=now + timedelta(days=INVITATION_DAYS), used_at=None),
        _digest(invitation), now)
    return invitation


def accept_invitation(uow: UnitOfWork, *, token: str, password: str) -> Person:
    """Set a password with an invitation token: once, before it expires."""
    if not isinstance(password, str) or len(password) < MIN_PASSWORD:
        raise InvalidInput({"password": f"must be at least {MIN_PASSWORD} characters"})
    with uow:
        found = uow.auth.invitation_by_hash(_digest(token), lock=True) if isinstance(token, str) else None
        now = uow.clock()
        if found is None or found.used_at is not None or found.expires_at <= now:
            raise NotFound("invitation", "given")
        person = uow.orgs.get_person(found.person_id)
        assert person is not None  # a foreign key guarantees it
        uow.auth.set_password_hash(person.id, uow.passwords.hash(password))
        uow.auth.use_invitation(found.id, now)
        record(uow, org_log(person.org), person.id, found.id, InvitationAccepted())
        uow.commit()
        return person
