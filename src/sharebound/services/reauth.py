"""Re-authentication: a person confirms it is them, now, for one action (a signature).

`confirm_identity` is the one place that decides; it returns the methods the person used, in
the words a signature's evidence records ("password"; later "totp", "webauthn", "sso"). A new
way to confirm (a second factor, a fresh single sign-on) is a new keyword argument here and a
new method name: callers pass what their form or request carried and record what comes back.

A wrong password counts against the sign-in limits (services/auth.py), so that re-auth is no
side door for guessing; the failure is committed before the refusal, the rest rolls back.
"""

from __future__ import annotations

from datetime import timedelta

from sharebound.domain.errors import ReauthenticationRequired
from sharebound.domain.esign import PASSWORD
from sharebound.domain.orgs import Person
from sharebound.services import auth, sso
from sharebound.services.unit_of_work import UnitOfWork

SSO = "sso"  # the method a fresh single sign-on gives
SSO_FRESH = timedelta(minutes=5)  # why: long enough to come back from the provider and sign


def confirm_identity(
    uow: UnitOfWork, person: Person, *, password: str | None, address: str = "unknown",
    session_cookie: str | None = None,
) -> tuple[str, ...]:
    """The methods by which `person` just confirmed it is them; call inside the caller's
    transaction, before it writes anything. Missing or wrong: `ReauthenticationRequired`
    naming the field (a 403; nothing changes but the counted failure). Without a password, a
    browser session (`session_cookie`) that signed in through the org's single sign-on within
    SSO_FRESH counts ("sso": /sso/reauth asks the provider for a fresh sign-in)."""
    if password is None or password == "":
        if session_cookie and sso.fresh_sso_in(uow, session_cookie, SSO_FRESH):
            return (SSO,)
        raise ReauthenticationRequired(
            {"password": "is required: type your password (or, if you sign in through single "
                         "sign-on, confirm with your identity provider first) to confirm it is you"})
    now = uow.clock()
    auth.check_limits(uow, person.email, address, now)
    if not auth.password_matches(uow, person, password):
        auth.record_failure(uow, person.email, address, now)
        uow.commit()
        raise ReauthenticationRequired({"password": "is not your password"})
    return (PASSWORD,)
