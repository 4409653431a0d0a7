"""Events of the operator and witnesses: cosigned checkpoints and sealed keys."""

from __future__ import annotations

from dataclasses import dataclass, field

from sharebound.domain.events.base import EventKind, Payload

# --- witnesses: the witness org's log (docs/verify-partner-log.md) ---------------------------

@dataclass(frozen=True, slots=True)
class WitnessKeyRegistered(Payload):
    """An admin registered (or replaced) the org's witness key; the subject is the org."""

    kind = EventKind.WITNESS_KEY_REGISTERED
    name: str  # the key's name
    key_hash: str  # 8 hex digits: signed-note's key hash (type 0x04)


@dataclass(frozen=True, slots=True)
class CheckpointCosigned(Payload):
    """The org's witness cosigned a checkpoint the server signed; the subject is the
    partnership (or the org) whose log it is."""

    kind = EventKind.CHECKPOINT_COSIGNED
    log: str  # partnership:<id> or org:<handle>
    size: int
    root: str  # base64, as in the checkpoint
    timestamp: int  # the cosignature's, POSIX seconds


# --- keys: the operator's log (docs/encryption.md) -------------------------------------------

@dataclass(frozen=True, slots=True)
class ColumnsSealed(Payload):
    kind = EventKind.COLUMNS_SEALED
    webhooks: int  # webhook secrets sealed that were stored in clear
    terms: int  # crown-jewel terms likewise


@dataclass(frozen=True, slots=True)
class BlobsSealed(Payload):
    kind = EventKind.BLOBS_SEALED
    blobs: int


@dataclass(frozen=True, slots=True)
class KekRotated(Payload):
    kind = EventKind.KEK_ROTATED
    old: str = field(metadata={"key": "from"})  # key-encryption key ids
    new: str = field(metadata={"key": "to"})
    data_keys: int
