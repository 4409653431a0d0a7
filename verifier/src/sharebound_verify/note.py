"""C2SP signed notes, checkpoints and cosignatures, with Ed25519 keys.

- a verifier key (vkey) is `<name>+<8 hex key hash>+<base64(type ‖ 32-byte public key)>`,
  type 0x01 for a note signer (the instance), 0x04 for a cosigner (a witness);
- key hash = SHA-256(name ‖ "\\n" ‖ type ‖ public key)[:4];
- a signed note is its text (ending in a newline), a blank line, then lines
  `— <key name> <base64(key hash ‖ signature)>`;
- a checkpoint is a note whose text is `<origin>\\n<size>\\n<base64 root>\\n` (c2sp.org/tlog-checkpoint);
- a cosignature/v1 (c2sp.org/tlog-cosignature) signs `cosignature/v1\\ntime <t>\\n` + the
  checkpoint text, and its line carries base64(key hash ‖ t as u64 big-endian ‖ signature).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
import struct
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    NoEncryption,
    PrivateFormat,
    PublicFormat,
)

NOTE_SIGNER = 0x01  # why: signed-note's type byte for Ed25519
COSIGNER = 0x04  # why: tlog-cosignature's type byte for Ed25519 cosignature/v1
EM_DASH = "\u2014"
_MAX_NOTE = 1 << 20  # why: a checkpoint is a few hundred bytes; refuse anything absurd
_NAME = re.compile(r"[^\s+]+")  # signed-note: a name is non-empty, has no spaces and no "+"
_DECIMAL = re.compile(r"0|[1-9][0-9]{0,19}")


class NoteError(ValueError):
    """A key, note or checkpoint that cannot be read (not one that fails to verify)."""


def b64decode(text: str, what: str) -> bytes:
    try:
        return base64.b64decode(text.encode("ascii"), validate=True)
    except (binascii.Error, UnicodeEncodeError) as exc:
        raise NoteError(f"{what} is not standard base64") from exc


def b64encode(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def key_hash(name: str, key_type: int, public: bytes) -> bytes:
    return hashlib.sha256(name.encode("utf-8") + b"\n" + bytes([key_type]) + public).digest()[:4]


def _raw_public(key: Ed25519PublicKey) -> bytes:
    return key.public_bytes(Encoding.Raw, PublicFormat.Raw)


@dataclass(frozen=True, slots=True)
class VerifierKey:
    name: str
    key_type: int
    public: bytes

    @property
    def hash(self) -> bytes:
        return key_hash(self.name, self.key_type, self.public)

    def text(self) -> str:
        return f"{self.name}+{self.hash.hex()}+{b64encode(bytes([self.key_type]) + self.public)}"

    def verify(self, signature: bytes, message: bytes) -> bool:
        try:
            Ed25519PublicKey.from_public_bytes(self.public).verify(signature, message)
        except (InvalidSignature, ValueError):
            return False
        return True


def parse_vkey(text: str, key_type: int = NOTE_SIGNER) -> VerifierKey:
    """A vkey line; its key hash must match its name and key, its type must be `key_type`."""
    parts = text.strip().split("+", 2)
    if len(parts) != 3 or not _NAME.fullmatch(parts[0]):
        raise NoteError("a key is <name>+<8 hex digits>+<base64 key>")
    name, hex_hash, encoded = parts
    raw = b64decode(encoded, "the key")
    if len(raw) != 33 or raw[0] != key_type:  # why: one type byte and a 32-byte Ed25519 key
        raise NoteError(f"the key is not an Ed25519 key of type 0x{key_type:02x}")
    key = VerifierKey(name, key_type, raw[1:])
    if hex_hash.lower() != key.hash.hex() or len(hex_hash) != 8:
        raise NoteError("the key's hash does not match its name and public key")
    return key


@dataclass(frozen=True, slots=True)
class Signature:
    name: str
    key_hash: bytes
    data: bytes  # what follows the 4-byte key hash

    def line(self) -> str:
        return f"{EM_DASH} {self.name} {b64encode(self.key_hash + self.data)}\n"


@dataclass(frozen=True, slots=True)
class Note:
    text: str  # ends with a newline
    signatures: tuple[Signature, ...]

    def signed_by(self, key: VerifierKey) -> bool:
        message = self.text.encode("utf-8")
        return any(s.name == key.name and s.key_hash == key.hash and key.verify(s.data, message)
                   for s in self.signatures)

    def serialize(self) -> str:
        return self.text + "\n" + "".join(s.line() for s in self.signatures)


def parse_note(raw: str) -> Note:
    if len(raw) > _MAX_NOTE:
        raise NoteError("the note is too long")
    if any(ch < " " and ch != "\n" for ch in raw):
        raise NoteError("the note holds control characters")
    text, sep, block = raw.rpartition("\n\n")
    if not sep or not block.endswith("\n"):
        raise NoteError("the note has no signature block (a blank line, then signature lines)")
    signatures = []
    for line in block[:-1].split("\n"):
        match = re.fullmatch(EM_DASH + r" ([^\s]+) ([A-Za-z0-9+/=]+)", line)
        if not match:
            raise NoteError(f"not a signature line: {line[:80]!r}")
        data = b64decode(match[2], "a signature")
        if len(data) < 5:  # why: a 4-byte key hash and at least a byte of signature
            raise NoteError("a signature is too short")
        signatures.append(Signature(match[1], data[:4], data[4:]))
    return Note(text + "\n", tuple(signatures))


@dataclass(frozen=True, slots=True)
class Checkpoint:
    origin: str
    size: int
    root: bytes

    def body(self) -> str:
        return f"{self.origin}\n{self.size}\n{b64encode(self.root)}\n"


def parse_checkpoint(text: str) -> Checkpoint:
    lines = text.split("\n")
    if len(lines) < 4 or lines[-1] != "":
        raise NoteError("a checkpoint is an origin, a size and a root hash, one per line")
    origin, size, root = lines[0], lines[1], lines[2]
    if not origin:
        raise NoteError("the checkpoint has no origin")
    if not _DECIMAL.fullmatch(size):
        raise NoteError("the checkpoint's size is not a decimal number")
    hashed = b64decode(root, "the checkpoint's root hash")
    if len(hashed) != 32:  # why: SHA-256
        raise NoteError("the checkpoint's root hash is not 32 bytes")
    return Checkpoint(origin, int(size), hashed)


def cosigned_message(checkpoint_text: str, timestamp: int) -> bytes:
    return f"cosignature/v1\ntime {timestamp}\n".encode() + checkpoint_text.encode("utf-8")


def cosignature_time(signature: Signature, key: VerifierKey, checkpoint_text: str) -> int | None:
    """The timestamp of a valid cosignature/v1 by `key` on this checkpoint, or None."""
    if signature.name != key.name or signature.key_hash != key.hash or len(signature.data) != 72:
        return None  # why 72: an 8-byte timestamp and a 64-byte Ed25519 signature
    (timestamp,) = struct.unpack(">Q", signature.data[:8])
    if timestamp >= 1 << 63 or not key.verify(signature.data[8:],
                                              cosigned_message(checkpoint_text, timestamp)):
        return None
    return int(timestamp)


@dataclass(frozen=True, slots=True)
class SigningKey:
    """A private Ed25519 key with its name: the instance's (0x01) or a witness's (0x04)."""

    name: str
    key_type: int
    private: Ed25519PrivateKey

    @staticmethod
    def generate(name: str, key_type: int = COSIGNER) -> SigningKey:
        if not _NAME.fullmatch(name):
            raise NoteError("a key name is non-empty, without spaces or '+'")
        return SigningKey(name, key_type, Ed25519PrivateKey.generate())

    @property
    def vkey(self) -> VerifierKey:
        return VerifierKey(self.name, self.key_type, _raw_public(self.private.public_key()))

    def text(self) -> str:
        """The private key file's one line: `PRIVATE+KEY+<name>+<hash>+<base64(type ‖ seed)>`."""
        seed = self.private.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())
        return (f"PRIVATE+KEY+{self.name}+{self.vkey.hash.hex()}+"
                f"{b64encode(bytes([self.key_type]) + seed)}\n")

    def sign_note(self, text: str) -> Signature:
        return Signature(self.name, self.vkey.hash, self.private.sign(text.encode("utf-8")))

    def cosign(self, checkpoint_text: str, timestamp: int) -> Signature:
        signature = self.private.sign(cosigned_message(checkpoint_text, timestamp))
        return Signature(self.name, self.vkey.hash, struct.pack(">Q", timestamp) + signature)


def parse_signing_key(text: str) -> SigningKey:
    parts = text.strip().split("+", 4)
    if len(parts) != 5 or parts[:2] != ["PRIVATE", "KEY"]:
        raise NoteError("a private key file holds PRIVATE+KEY+<name>+<hash>+<base64 key>")
    name, hex_hash, encoded = parts[2:]
    raw = b64decode(encoded, "the private key")
    if len(raw) != 33 or raw[0] not in (NOTE_SIGNER, COSIGNER):
        raise NoteError("the private key is not an Ed25519 key")
    key = SigningKey(name, raw[0], Ed25519PrivateKey.from_private_bytes(raw[1:]))
    if key.vkey.hash.hex() != hex_hash.lower():
        raise NoteError("the private key's hash does not match its name and key")
    return key
