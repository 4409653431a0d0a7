"""Sharebound: share information with partners within the boundaries of the NDA you signed.

The library's public API: settings and bootstrap, the use cases, the rules and their
values, and the errors. Anything not listed in `__all__` is internal.
"""

from sharebound.bootstrap import App, build, init
from sharebound.config import Settings
from sharebound.domain.classification import Classification
from sharebound.domain.decisions import Decision, Reason
from sharebound.domain.errors import (
    Busy,
    Conflict,
    DigestMismatch,
    InvalidInput,
    InvalidTerms,
    NotFound,
    PermissionDenied,
    RateLimited,
    Refused,
    ShareboundError,
    Unauthenticated,
)
from sharebound.domain.rules import decide_access, decide_disclosure
from sharebound.domain.terms import AgreementTerms, parse_terms
from sharebound.services.disclosures import DisclosureDraft, check_disclosure, disclose

__version__ = "0.1.0"


def __getattr__(name: str) -> object:
    """`SharboundError`, the old misspelt name, for one more version: it warns."""
    if name == "SharboundError":
        from sharebound.domain import errors  # why here: only the deprecated name needs it

        return getattr(errors, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

__all__ = [
    "AgreementTerms",
    "App",
    "Busy",
    "Classification",
    "Conflict",
    "Decision",
    "DigestMismatch",
    "DisclosureDraft",
    "InvalidInput",
    "InvalidTerms",
    "NotFound",
    "PermissionDenied",
    "RateLimited",
    "Reason",
    "Refused",
    "Settings",
    "ShareboundError",
    "Unauthenticated",
    "__version__",
    "build",
    "check_disclosure",
    "decide_access",
    "decide_disclosure",
    "disclose",
    "init",
    "parse_terms",
]
