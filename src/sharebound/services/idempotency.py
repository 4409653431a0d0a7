"""Idempotency keys of the API: claim a key, keep its claim alive, store or drop the answer.

Each is one short transaction of its own, around (not inside) the use case the request runs:
the key is claimed and committed before the use case starts, so a concurrent duplicate sees
it; the answer is stored right after. No audit event: no business state changes here.
"""

from __future__ import annotations

from datetime import timedelta

from sharebound.domain.idempotency import KeyScope, StoredAnswer
from sharebound.services.unit_of_work import UnitOfWork

# why: long enough to outlive a renewal missed under load, short enough that a client retrying
# after the server died is served again within a minute
LEASE = timedelta(seconds=30)
RENEW_EVERY = LEASE / 3  # why: two renewals may fail before the claim runs out


def begin(uow: UnitOfWork, scope: KeyScope, claim: str) -> StoredAnswer | None:
    """None when this request holds the key now; else what the key holds already."""
    with uow:
        now = uow.clock()
        found = uow.idempotency.claim(scope, claim, now, now + LEASE)
        uow.commit()
    return found


def renew(uow: UnitOfWork, scope: KeyScope, claim: str) -> bool:
    with uow:
        kept = uow.idempotency.renew(scope, claim, uow.clock() + LEASE)
        uow.commit()
    return kept


def complete(uow: UnitOfWork, scope: KeyScope, claim: str, *, fingerprint: str, status: int,
             headers: list[tuple[str, str]], body: bytes | None) -> None:
    with uow:
        uow.idempotency.complete(scope, claim, fingerprint=fingerprint, status=status,
                                 headers=headers, body=body)
        uow.commit()


def release(uow: UnitOfWork, scope: KeyScope, claim: str) -> None:
    """Give the key up (the request failed in a way a retry may redo): the next one runs anew."""
    with uow:
        uow.idempotency.release(scope, claim)
        uow.commit()
