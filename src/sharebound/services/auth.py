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
from sharebound.domain.errors import (
    InvalidInput,
    NotFound,
    PermissionDenied,
    RateLimited,
    SsoRequired,
    Unauthenticated,
)
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
from sharebound.domain.second_factors import FactorProof
from sharebound.domain.sso import email_domain
from sharebound.domain.values import normalize_email, single_line
from sharebound.services.common import actor, record, require_role
from sharebound.services.orgs import MIN_PASSWORD, NewPerson, add_person_in
from sharebound.services.ports import PasswordHasher
from sharebound.services.second_factors import must_enrol, verify_fresh_factor
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
SECOND_STEP = timedelta(minutes=10)  # why: time to find the phone; then the password again
ENROL_STEP = timedelta(minutes=30)  # why: time to install an authenticator app and set it up
ACTIVE, SECOND_FACTOR, ENROL = "active", "second_factor", "enrol"  # a browser session's stages


SSO_REQUIRED = ("Your organization signs in with single sign-on for this email's domain: "
                "use \u201cContinue with SSO\u201d instead of a password.")


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
    totp_code: str | None = None,
) -> IssuedToken:
    """Exchange an email and password for a bearer token; it lasts `expires_in_days`, or
    `default_days` when not given. No token lasts forever. A person with a second factor
    gives a code too (`totp_code`: from the authenticator app, or a recovery code); one whom
    the org requires to have a factor and who has none gets no token until they set one up."""
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
        if must_enrol(uow, person):
            raise PermissionDenied("your organization requires a second factor: sign in in the "
                                   "browser to set one up, then ask for a token again")
        verify_fresh_factor(uow, person, FactorProof(code=totp_code), field="totp_code")
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
    provider = uow.sso.for_domain(email_domain(email))
    if provider is not None and provider.require_sso:
        # why before anything else: the domain decides, so the answer says nothing of the account
        raise SsoRequired(SSO_REQUIRED)
    check_limits(uow, email, address, now)
    person = uow.orgs.get_person_by_email(normalize_email(email))
    if not password_matches(uow, person, password):
        record_failure(uow, email, address, now)
        uow.commit()
        raise Unauthenticated("wrong email or password")
    assert person is not None
    return person


def _limit_keys(email: str, address: str) -> tuple[str, str, str]:
    """The keys failed attempts count under: the account, the address, and the two together."""
    account = f"account:{normalize_email(email)}"
    where = f"address:{address}"
    # why hashed: an email and an address together may not fit the key column
    return account, where, "pair:" + _digest(f"{account}\n{where}")


def check_limits(uow: UnitOfWork, email: str, address: str, now: datetime) -> None:
    """Refuse (429) while the account or the address has failed too often lately."""
    account, where, pair = _limit_keys(email, address)
    _check_limits(uow, now, account, where, pair)


def record_failure(uow: UnitOfWork, email: str, address: str, now: datetime) -> None:
    """Count a wrong password against the sign-in limits (the caller commits it)."""
    for key in _limit_keys(email, address):
        uow.auth.record_failure(key, now)


def password_matches(uow: UnitOfWork, person: Person | None, password: str) -> bool:
    """Whether `password` is the person's; as slow for an unknown person or none set."""
    stored = uow.auth.password_hash(person.id) if person else None
    known = uow.passwords.verify(stored or _dummy_hash(uow.passwords), password)
    # why the same answer for a deactivated person: it must not tell whether the account exists
    return known and person is not None and stored is not None and person.active


@dataclass(frozen=True)
class BrowserSession:
    cookie: str  # shown once, to be set as an HttpOnly cookie
    person: Person
    csrf: str
    stage: str = ACTIVE  # see SessionRecord.stage: only an active session reaches the pages


def start_session(uow: UnitOfWork, *, email: str, password: str, address: str,
                  hours: int = 12) -> BrowserSession:
    """Sign in from a browser: a session cookie, and the CSRF secret its forms carry. For a
    person with a second factor the session is only a first step (`second_factor`), good for
    `complete_second_step` alone; for one whom the org requires to set one up, it is good for
    enrolment alone (`enrol`, then `finish_enrolment`)."""
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
        if uow.factors.has_factor(person.id):
            started = _new_session(uow, person, SECOND_FACTOR, SECOND_STEP)
        elif must_enrol(uow, person):
            started = _new_session(uow, person, ENROL, ENROL_STEP)
        else:
            started = open_session_in(uow, person, hours)
        uow.commit()
    return started


def open_session_in(uow: UnitOfWork, person: Person, hours: int) -> BrowserSession:
    """An active browser session for `person`, inside a transaction the caller owns: after
    signing in, or for the admin an org was just made for (who typed the password a moment
    ago, and has no second factor yet)."""
    return _new_session(uow, person, ACTIVE, timedelta(hours=hours))


def _new_session(uow: UnitOfWork, person: Person, stage: str, lasts: timedelta) -> BrowserSession:
    now = uow.clock()
    cookie = SESSION_PREFIX + secrets.token_urlsafe(32)
    record_ = SessionRecord(id=new_id("ses"), person_id=person.id, csrf=secrets.token_hex(32),
                            created_at=now, expires_at=now + lasts, ended_at=None, stage=stage)
    uow.auth.add_session(record_, _digest(cookie))
    if stage == ACTIVE:
        record(uow, org_log(person.org), person.id, record_.id, SessionStarted())
    return BrowserSession(cookie=cookie, person=person, csrf=record_.csrf, stage=stage)


def _live_session(uow: UnitOfWork, cookie: str, stage: str) -> SessionRecord:
    found = uow.auth.session_by_hash(_digest(cookie)) if cookie.startswith(SESSION_PREFIX) else None
    if found is None or found.ended_at is not None or found.expires_at <= uow.clock() or found.stage != stage:
        raise Unauthenticated("the session has ended: sign in again")
    return found


def complete_second_step(
    uow: UnitOfWork, *, cookie: str, proof: FactorProof, hours: int = 12
) -> BrowserSession:
    """The second step of signing in: with a right factor, the first step's session ends and a
    new, active one begins (a new cookie: what was known before the factor opens nothing)."""
    with uow:
        pending = _live_session(uow, cookie, SECOND_FACTOR)
        person = uow.orgs.get_person(pending.person_id)
        if person is None:
            raise Unauthenticated("the session has ended: sign in again")
        verify_fresh_factor(uow, person, proof)
        uow.auth.end_session(pending.id, uow.clock())
        started = _new_session(uow, person, ACTIVE, timedelta(hours=hours))
        uow.commit()
    return started


def finish_enrolment(uow: UnitOfWork, *, cookie: str, hours: int = 12) -> BrowserSession | None:
    """Once a person in the enrolment step has set up a factor: their active session (a new
    cookie); None while they still have none."""
    with uow:
        pending = _live_session(uow, cookie, ENROL)
        person = uow.orgs.get_person(pending.person_id)
        if person is None:
            raise Unauthenticated("the session has ended: sign in again")
        if not uow.factors.has_factor(person.id):
            return None
        uow.auth.end_session(pending.id, uow.clock())
        started = _new_session(uow, person, ACTIVE, timedelta(hours=hours))
        uow.commit()
    return started


def session_of(uow: UnitOfWork, cookie: str) -> BrowserSession:
    """The person and CSRF secret of a live session cookie."""
    with uow.reading():
        found = uow.auth.session_by_hash(_digest(cookie)) if cookie.startswith(SESSION_PREFIX) else None
        if found is None or found.ended_at is not None or found.expires_at <= uow.clock():
            raise Unauthenticated("the session has ended: sign in again")
        person = uow.orgs.get_person(found.person_id)
        if person is None or not person.active:
            raise Unauthenticated("the session has ended: sign in again")
        return BrowserSession(cookie=cookie, person=person, csrf=found.csrf, stage=found.stage)


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
        found = uow.auth.token_holder(_digest(token)) if token.startswith(TOKEN_PREFIX) else None
        if found is None:
            raise Unauthenticated("the token is invalid, expired or revoked")
        person, expires_at, revoked_at = found
        if revoked_at is not None or (expires_at is not None and expires_at <= uow.clock()) \
                or not person.active:
            raise Unauthenticated("the token is invalid, expired or revoked")
    uow.remember_signed_in(person)
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


def new_invitation_in(uow: UnitOfWork, person: Person) -> str:
    """An invitation token for `person`, inside the caller's transaction (a representative's
    guest account is invited this way)."""
    return _new_invitation(uow, person)


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
        if not person.active:
            raise NotFound("invitation", "given")
        uow.auth.set_password_hash(person.id, uow.passwords.hash(password))
        uow.auth.use_invitation(found.id, now)
        record(uow, org_log(person.org), person.id, found.id, InvitationAccepted())
        uow.commit()
        return person
