"""The named errors every layer raises; entrypoints map them once to HTTP and exit codes.

    SharboundError
    ├── InvalidInput          bad input, naming each field (422 / exit 2)
    │   └── InvalidTerms      agreement terms that are malformed or contradict themselves
    ├── NotFound              unknown, or not visible to the caller (404 / exit 3)
    ├── PermissionDenied      the caller lacks the role the action needs (403 / exit 4)
    ├── Conflict              the state does not allow it now (409 / exit 5)
    │   └── DigestMismatch    signing a version that is no longer the current one
    ├── Refused               the rules said no; carries the decision's reasons (403 / exit 6)
    ├── Unauthenticated       no valid credentials (401 / exit 7)
    ├── RateLimited           too many failed sign-ins; try again later (429 / exit 8)
    └── Busy                  the database stayed busy; try again (503 / exit 9)
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sharebound.domain.decisions import Decision


class SharboundError(Exception):
    """Base of every error Sharebound raises on purpose."""

    code = "error"


class InvalidInput(SharboundError):
    """Input that is malformed: `errors` maps each bad field to what is wrong with it."""

    code = "invalid_input"

    def __init__(self, errors: Mapping[str, str]) -> None:
        self.errors = dict(errors)
        super().__init__("; ".join(f"{field}: {message}" for field, message in self.errors.items()))


class InvalidTerms(InvalidInput):
    code = "invalid_terms"


class NotFound(SharboundError):
    code = "not_found"

    def __init__(self, kind: str, ident: str) -> None:
        self.kind = kind
        self.ident = ident
        super().__init__(f"{kind} {ident!r} not found")


class PermissionDenied(SharboundError):
    code = "permission_denied"


class Conflict(SharboundError):
    code = "conflict"


class DigestMismatch(Conflict):
    code = "digest_mismatch"


class Refused(SharboundError):
    """The rules refused; `decision.reasons` lists every failing reason."""

    code = "refused"

    def __init__(self, decision: Decision) -> None:
        self.decision = decision
        super().__init__("; ".join(f"{r.code}: {r.message}" for r in decision.reasons))


class Unauthenticated(SharboundError):
    code = "unauthenticated"


class RateLimited(SharboundError):
    code = "rate_limited"

    def __init__(self, message: str, retry_after: int) -> None:
        self.retry_after = retry_after
        super().__init__(message)


class Busy(SharboundError):
    code = "busy"
