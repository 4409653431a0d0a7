"""Open sign-up: anyone creates an organization and becomes its first admin (when the
instance allows it: SHAREBOUND_OPEN_SIGNUP). The API (`POST /api/v1/orgs`) and the page
(`/signup`) call the same use case; the page also signs the new admin in."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sharebound.domain.errors import RateLimited
from sharebound.domain.orgs import Org, Person
from sharebound.services.auth import BrowserSession, open_session_in
from sharebound.services.orgs import NewOrg, create_org_in
from sharebound.services.unit_of_work import UnitOfWork

# why these numbers: an office behind one address signs up a handful of organizations in an
# hour at most; a script making orgs by the hundred is stopped after 20 (counted like failed
# sign-ins, in the same table and window style as services/auth.py)
SIGNUP_WINDOW = timedelta(hours=1)
SIGNUPS_PER_ADDRESS = 20


@dataclass(frozen=True)
class SignedUp:
    org: Org
    admin: Person
    session: BrowserSession | None  # for the page: the new admin is signed in


def sign_up(uow: UnitOfWork, draft: NewOrg, *, address: str,
            session_hours: int | None = None) -> SignedUp:
    """Create the org and its first admin; with `session_hours`, a browser session too.
    Each attempt from an address counts (also refused ones: a guesser of free handles is slowed)."""
    key = f"signup:{address}"
    with uow:
        now = uow.clock()
        if uow.auth.failures_since(key, now - SIGNUP_WINDOW) >= SIGNUPS_PER_ADDRESS:
            raise RateLimited("too many sign-ups from this address: wait an hour and try again",
                              retry_after=int(SIGNUP_WINDOW.total_seconds()))
        uow.auth.record_failure(key, now)
        uow.commit()
    with uow:
        org, admin = create_org_in(uow, draft)
        session = open_session_in(uow, admin, session_hours) if session_hours else None
        uow.commit()
    return SignedUp(org=org, admin=admin, session=session)
