"""Witnesses of the transparency log: an org's registered cosigner key and the cosignatures it
posts (C2SP tlog-cosignature, cosignature/v1 with Ed25519). See docs/verify-partner-log.md.

- a witness key is a vkey `<name>+<8 hex key hash>+<base64(0x04 ‖ 32-byte public key)>`, its
  hash SHA-256(name ‖ "\\n" ‖ 0x04 ‖ key)[:4];
- a cosigned note is the checkpoint body, a blank line, and signature lines; the witness's line
  carries base64(key hash ‖ timestamp as u64 big-endian ‖ Ed25519 signature) over
  `cosignature/v1\\ntime <timestamp>\\n` + the checkpoint body.

Pure: the signature itself is checked by the caller (an Ed25519 verifier is not stdlib).
"""

from __future__ import annotations

import base64
import binascii
import re
import struct
from dataclasses import dataclass
from datetime import datetime

from sharebound.domain.errors import InvalidInput
from sharebound.domain.limits import MAX_COSIGNED_NOTE, MAX_VKEY
from sharebound.domain.transparency import COSIGNATURE_V1, EM_DASH, key_hash, valid_key_name

_PUBLIC_KEY = 32  # why: an Ed25519 public key
_TIMESTAMPED = 8 + 64  # why: a u64 timestamp and an Ed25519 signature
_LINE = re.compile(EM_DASH + r" (\S+) ([A-Za-z0-9+/]+={0,2})")


@dataclass(frozen=True, slots=True)
class WitnessKey:
    org: str
    name: str
    public_key: bytes
    registered_at: datetime

    @property
    def key_hash(self) -> bytes:
        return key_hash(self.name, COSIGNATURE_V1, self.public_key)

    @property
    def vkey(self) -> str:
        encoded = base64.b64encode(bytes([COSIGNATURE_V1]) + self.public_key).decode()
        return f"{self.name}+{self.key_hash.hex()}+{encoded}"


def parse_witness_vkey(text: object) -> tuple[str, bytes]:
    """The name and public key of a witness vkey; InvalidInput (field `vkey`) says what is wrong."""
    if not isinstance(text, str) or not text.strip():
        raise InvalidInput({"vkey": "is required"})
    if len(text) > MAX_VKEY:
        raise InvalidInput({"vkey": f"is longer than {MAX_VKEY} characters"})
    parts = text.strip().split("+", 2)
    if len(parts) != 3 or not valid_key_name(parts[0]):
        raise InvalidInput({"vkey": "is not <name>+<8 hex digits>+<base64 key> (a name without "
                                    "spaces or '+')"})
    name, hex_hash, encoded = parts
    try:
        raw = base64.b64decode(encoded, validate=True)
    except binascii.Error:
        raise InvalidInput({"vkey": "its key is not standard base64"}) from None
    if len(raw) != 1 + _PUBLIC_KEY or raw[0] != COSIGNATURE_V1:
        raise InvalidInput({"vkey": "is not an Ed25519 cosigner key (type 0x04, 32 bytes): make "
                                    "one with `sharebound-verify keygen`"})
    if hex_hash.lower() != key_hash(name, COSIGNATURE_V1, raw[1:]).hex():
        raise InvalidInput({"vkey": "its key hash does not match its name and key"})
    return name, raw[1:]


@dataclass(frozen=True, slots=True)
class CosignatureLine:
    name: str
    key_hash: bytes
    timestamp: int
    signature: bytes

    def line(self) -> str:
        data = self.key_hash + struct.pack(">Q", self.timestamp) + self.signature
        return f"{EM_DASH} {self.name} {base64.b64encode(data).decode()}\n"


@dataclass(frozen=True, slots=True)
class CosignedNote:
    body: str  # the checkpoint body, ending in a newline
    lines: tuple[CosignatureLine, ...]  # the lines shaped as cosignature/v1 (others ignored)

    def by(self, key: WitnessKey) -> CosignatureLine | None:
        return next((line for line in self.lines
                     if line.name == key.name and line.key_hash == key.key_hash), None)


def parse_cosigned_note(text: str) -> CosignedNote:
    """A posted note: InvalidInput (field `note`) unless it is a body and signature lines."""
    if len(text) > MAX_COSIGNED_NOTE:
        raise InvalidInput({"note": f"is longer than {MAX_COSIGNED_NOTE} characters"})
    if any(ch < " " and ch != "\n" for ch in text):
        raise InvalidInput({"note": "holds control characters"})
    body, sep, block = text.rpartition("\n\n")
    if not sep or not block.endswith("\n") or not body:
        raise InvalidInput({"note": "is not a signed note: the checkpoint, a blank line, then "
                                    "signature lines"})
    lines = []
    for raw in block[:-1].split("\n"):
        match = _LINE.fullmatch(raw)
        if not match:
            raise InvalidInput({"note": f"not a signature line: {raw[:80]!r}"})
        data = base64.b64decode(match[2])
        if len(data) == 4 + _TIMESTAMPED:
            (timestamp,) = struct.unpack(">Q", data[4:12])
            lines.append(CosignatureLine(match[1], data[:4], timestamp, data[12:]))
    return CosignedNote(body + "\n", tuple(lines))


def cosigned_message(checkpoint_body: str, timestamp: int) -> bytes:
    return f"cosignature/v1\ntime {timestamp}\n".encode() + checkpoint_body.encode("utf-8")


@dataclass(frozen=True, slots=True)
class Cosignature:
    """A stored cosignature: `org`'s witness vouched for `log` at `size` at `timestamp`."""

    log: str
    size: int
    org: str
    name: str
    timestamp: int
    line: str
    received_at: datetime


@dataclass(frozen=True, slots=True)
class Witness:
    """One witness org's latest cosignature on a log: the size it vouched for, and when."""

    org: str
    size: int
    at: datetime


@dataclass(frozen=True, slots=True)
class Witnessed:
    """Who vouched for an event: each witness whose latest cosigned checkpoint covers it."""

    witnesses: tuple[Witness, ...]

    def label(self) -> str:
        """e.g. "witnessed by globex, 2026-12-07 09:14" (UTC, the cosignature's time)."""
        return "witnessed by " + "; ".join(f"{w.org}, {w.at:%Y-%m-%d %H:%M}" for w in self.witnesses)


def witnessed(latest: tuple[Witness, ...], seq: int) -> Witnessed | None:
    """The witnesses of the event at `seq` (1-based): those whose checkpoint has >= seq leaves."""
    covering = tuple(w for w in latest if w.size >= seq)
    return Witnessed(covering) if covering else None
