"""The named errors every layer raises; each carries its HTTP status, title and CLI exit code.

    ShareboundError
    ├── InvalidInput          bad input, naming each field (422 / exit 2)
    │   ├── InvalidTerms      agreement terms that are malformed or contradict themselves
    │   ├── SecondFactorNeeded  a fresh second factor is missing or wrong (field `second_factor`)
    │   ├── BadPageRequest  a list's `limit` out of range or an `after` cursor we never gave (400)
    │   └── BadSearchQuery  a search's `q` with no word to look for, or too long (400)
    ├── NotFound              unknown, or not visible to the caller (404 / exit 3)
    ├── PermissionDenied      the caller lacks the role the action needs (403 / exit 4)
    │   └── ReauthenticationRequired  confirm it is you (password...) for this action
    ├── Conflict              the state does not allow it now (409 / exit 5)
    │   └── DigestMismatch    signing a version that is no longer the current one
    ├── Refused               the rules said no; carries the decision's reasons (403 / exit 6)
    ├── Unauthenticated       no valid credentials (401 / exit 7)
    │   ├── SsoRequired       a password for an email whose org signs in with SSO only
    │   └── SsoRefused        an SSO sign-in that failed a check; `reason` names which
    ├── RateLimited           too many failed sign-ins; try again later (429 / exit 8)
    ├── Busy                  the database stayed busy; try again (503 / exit 9)
    └── DamagedRecord         a stored agreement no longer matches what was signed (500 / exit 10)
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sharebound.domain.decisions import Decision


class ShareboundError(Exception):
    """Base of every error Sharebound raises on purpose."""

    code = "error"
    status = 400  # the HTTP status the API and the pages answer with
    title = "Bad request"  # the problem document's title
    exit_code = 1  # the CLI's exit code; docs/cli.md lists them
    # Whether a form says it next to itself (the person can act on it), rather than the
    # page answering with its status: what is not found stays a 404, a busy database a 503.
    on_form = True

    def why(self) -> str:
        """What went wrong, in the words a person reads next to the form."""
        return str(self)


class InvalidInput(ShareboundError):
    """Input that is malformed: `errors` maps each bad field to what is wrong with it."""

    code = "invalid_input"
    status = 422
    title = "Invalid input"
    exit_code = 2

    def __init__(self, errors: Mapping[str, str]) -> None:
        self.errors = dict(errors)
        super().__init__("; ".join(f"{field}: {message}" for field, message in self.errors.items()))

    def why(self) -> str:
        return "; ".join(self.errors.values())


class InvalidTerms(InvalidInput):
    code = "invalid_terms"


class SecondFactorNeeded(InvalidInput):
    """The person has a second factor and this action needs it fresh: none was given, or the
    one given is wrong or used already."""

    code = "second_factor_required"

    def __init__(self, message: str, field: str = "second_factor") -> None:
        super().__init__({field: message})
        self.message = message

    def why(self) -> str:
        return f"the second factor {self.message}"


class BadPageRequest(InvalidInput):
    """A list's paging parameters are wrong (`limit` out of range, a malformed `after`): a
    400 naming the parameter, since the request itself, not a resource's fields, is bad."""

    code = "bad_page_request"
    status = 400
    title = "Bad paging parameters"


class BadSearchQuery(InvalidInput):
    """A search's `q` that names nothing to look for, or is too long: a 400 naming `q` (no
    query can have a syntax error: domain/search.py reads words and quoted phrases only)."""

    code = "bad_search_query"
    status = 400
    title = "Bad search query"


class NotFound(ShareboundError):
    code = "not_found"
    status = 404
    title = "Not found"
    exit_code = 3
    on_form = False

    def __init__(self, kind: str, ident: str) -> None:
        self.kind = kind
        self.ident = ident
        super().__init__(f"{kind} {ident!r} not found")


class PermissionDenied(ShareboundError):
    code = "permission_denied"
    status = 403
    title = "Permission denied"
    exit_code = 4


class ReauthenticationRequired(PermissionDenied):
    """An action that needs the person to confirm it is them now (a signature): `errors` names
    the field to give (`password`) and what is wrong with it. Missing or wrong, nothing changes."""

    code = "reauthentication_required"
    title = "Confirm it is you"

    def __init__(self, errors: Mapping[str, str]) -> None:
        self.errors = dict(errors)
        super().__init__("; ".join(f"{field}: {message}" for field, message in self.errors.items()))

    def why(self) -> str:
        return "; ".join(self.errors.values())


class Conflict(ShareboundError):
    code = "conflict"
    status = 409
    title = "Conflict"
    exit_code = 5


class DigestMismatch(Conflict):
    code = "digest_mismatch"


class Refused(ShareboundError):
    """The rules refused; `decision.reasons` lists every failing reason."""

    code = "refused"
    status = 403
    title = "Refused by the agreement"
    exit_code = 6

    def __init__(self, decision: Decision, items: Sequence[Mapping[str, object]] = ()) -> None:
        self.decision = decision
        self.items = list(items)  # a package: each item with its own decision
        super().__init__("; ".join(f"{r.code}: {r.message}" for r in decision.reasons))

    def why(self) -> str:
        return "; ".join(reason.message for reason in self.decision.reasons)


class Unauthenticated(ShareboundError):
    code = "unauthenticated"
    status = 401
    title = "Not authenticated"
    exit_code = 7
    on_form = False


class SsoRequired(Unauthenticated):
    """Password sign-in refused: the email's domain signs in through its org's identity
    provider. Said for the domain, whether or not the account exists."""

    code = "sso_required"
    title = "Single sign-on required"


class SsoRefused(Unauthenticated):
    """An SSO sign-in failed a check (state, nonce, issuer, audience, signature, ...); it says
    which, and never whether an account exists."""

    code = "sso_refused"
    title = "Single sign-on refused"

    def __init__(self, reason: str, message: str) -> None:
        self.reason = reason
        super().__init__(message)


class RateLimited(ShareboundError):
    code = "rate_limited"
    status = 429
    title = "Too many attempts"
    exit_code = 8
    on_form = False

    def __init__(self, message: str, retry_after: int) -> None:
        self.retry_after = retry_after
        super().__init__(message)


class Busy(ShareboundError):
    code = "busy"
    status = 503
    title = "Busy"
    exit_code = 9
    on_form = False


class DamagedRecord(ShareboundError):
    """A stored record no longer hashes to the digest that was signed: refused, never repaired
    or re-rendered (someone or something changed the database; operators must look)."""

    code = "damaged_record"
    status = 500
    title = "Agreement record is damaged"
    exit_code = 10
    on_form = False


def __getattr__(name: str) -> type[ShareboundError]:
    """`SharboundError`, the old misspelt name, for one more version: it warns."""
    if name == "SharboundError":
        warnings.warn("SharboundError is deprecated: use ShareboundError", DeprecationWarning,
                      stacklevel=2)
        return ShareboundError
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
