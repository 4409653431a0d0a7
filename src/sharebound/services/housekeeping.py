"""Housekeeping: rows that served their purpose and would otherwise pile up forever. The
worker runs it on every pass; it changes no business state, so it writes no audit event."""

from __future__ import annotations

from datetime import timedelta

from sharebound.services.auth import FAILURE_WINDOW
from sharebound.services.unit_of_work import UnitOfWork

# why: the rate limit reads 15 minutes back; a day of failures still shows an attack's shape
KEEP_FAILURES = max(FAILURE_WINDOW, timedelta(days=1))
# why: a week after a session expired or ended, its row only answers "signed out"
KEEP_SESSIONS = timedelta(days=7)
# why: a double submit comes within seconds; a day also covers a form resent the next morning
KEEP_FORMS = timedelta(days=1)
# why: the promise made to API clients: a retry within a day of the first request replays it
KEEP_IDEMPOTENCY_KEYS = timedelta(hours=24)
# why: a WebAuthn challenge lives 5 minutes; an hour past its end it only takes room
KEEP_CHALLENGES = timedelta(hours=1)


def prune(uow: UnitOfWork) -> int:
    """Delete old sign-in failures, long-gone sessions, old form claims, idempotency keys
    older than a day and expired WebAuthn challenges: the rows deleted."""
    with uow:
        now = uow.clock()
        deleted = uow.auth.prune(failures_before=now - KEEP_FAILURES,
                                 sessions_before=now - KEEP_SESSIONS, forms_before=now - KEEP_FORMS)
        deleted += uow.idempotency.prune(before=now - KEEP_IDEMPOTENCY_KEYS)
        deleted += uow.factors.prune_challenges(now - KEEP_CHALLENGES)
        uow.commit()
    return deleted
