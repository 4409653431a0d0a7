"""Sharebound: share information with partners within the boundaries of the NDA you signed.

The library's public API: settings and bootstrap, the use cases, the rules and their
values, and the errors. Anything not listed in `__all__` is internal.
"""

from sharebound.bootstrap import App, build, init
from sharebound.config import Settings
from sharebound.domain.classification import Classification
from sharebound.domain.decisions import Decision, Reason
from sharebound.domain.errors import (
    Conflict,
    DigestMismatch,
    InvalidInput,
    InvalidTerms,
    NotFound,
    PermissionDenied,
    Refused,
    ShareboundError,
)
from sharebound.domain.rules import decide_access, decide_disclosure
from sharebound.domain.terms import AgreementTerms, parse_terms
from sharebound.services.disclosures import DisclosureDraft

__version__ = "0.1.0"

__all__ = [
    "AgreementTerms",
    "App",
    "Classification",
    "Conflict",
    "Decision",
    "DigestMismatch",
    "DisclosureDraft",
    "InvalidInput",
    "InvalidTerms",
    "NotFound",
    "PermissionDenied",
    "Reason",
    "Refused",
    "Settings",
    "ShareboundError",
    "__version__",
    "build",
    "decide_access",
    "decide_disclosure",
    "init",
    "parse_terms",
]
