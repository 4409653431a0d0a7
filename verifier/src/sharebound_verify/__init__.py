"""sharebound-verify: check a Sharebound transparency log without trusting the server.

The library's public names; the command is `sharebound_verify.cli:main`.
"""

from sharebound_verify.check import Finding, Report, verify_entries, verify_log
from sharebound_verify.leaves import canonical_json, check_opening, parse_leaf
from sharebound_verify.merkle import (
    EMPTY_ROOT,
    RootBuilder,
    leaf_hash,
    node_hash,
    root_of,
    verify_consistency,
    verify_inclusion,
)
from sharebound_verify.note import (
    Checkpoint,
    Note,
    SigningKey,
    VerifierKey,
    cosignature_time,
    parse_checkpoint,
    parse_note,
    parse_signing_key,
    parse_vkey,
)

__all__ = [
    "EMPTY_ROOT",
    "Checkpoint",
    "Finding",
    "Note",
    "Report",
    "RootBuilder",
    "SigningKey",
    "VerifierKey",
    "canonical_json",
    "check_opening",
    "cosignature_time",
    "leaf_hash",
    "node_hash",
    "parse_checkpoint",
    "parse_leaf",
    "parse_note",
    "parse_signing_key",
    "parse_vkey",
    "root_of",
    "verify_consistency",
    "verify_entries",
    "verify_inclusion",
    "verify_log",
]
