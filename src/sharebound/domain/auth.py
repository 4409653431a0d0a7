"""The records of signing in: API tokens, invitations and browser sessions (their secrets are
stored only as hashes, by the repository)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True, slots=True)
class TokenRecord:
    id: str
    person_id: str
    name: str
    created_at: datetime
    expires_at: datetime | None
    revoked_at: datetime | None


@dataclass(frozen=True, slots=True)
class InvitationRecord:
    id: str
    person_id: str
    expires_at: datetime
    used_at: datetime | None


@dataclass(frozen=True, slots=True)
class SessionRecord:
    id: str
    person_id: str
    csrf: str
    created_at: datetime
    expires_at: datetime
    ended_at: datetime | None
    # "active"; "second_factor": the password was right, a factor is still to give; "enrol":
    # the org requires a factor the person has not set up (only enrolment answers)
    stage: str = "active"
    method: str = "password"  # how the person proved who they are: password | sso
    authenticated_at: datetime | None = None  # when they did (SSO: the provider's auth_time)


@dataclass(frozen=True, slots=True)
class FormClaim:
    """A once-only form's id, claimed by the person who submitted it; `result` is where it
    led ("" while the first submit is still being handled, or failed half-way)."""

    form_id: str
    person_id: str
    result: str
