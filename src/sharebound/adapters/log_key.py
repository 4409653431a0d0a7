"""The instance's Ed25519 key that signs the transparency log's checkpoints
(docs/transparency-log.md).

Kept in DATA_DIR/log-signing.key (the 32-byte private seed, base64, mode 0600), made by
`sharebound init` or on first use; its public half is served at /.well-known/sharebound-log-key.
"""

from __future__ import annotations

import base64
import binascii
import os
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from sharebound.adapters.keys import KeyProblem
from sharebound.domain.transparency import ED25519, key_hash, valid_key_name, verifier_key

SEED_BYTES = 32


@dataclass(frozen=True)
class LogKey:
    """Signs notes as `name` (the instance name: the origin's prefix and the key's name)."""

    name: str
    private: Ed25519PrivateKey

    @property
    def public_key(self) -> bytes:
        return self.private.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)

    @property
    def key_hash(self) -> bytes:
        return key_hash(self.name, ED25519, self.public_key)

    @property
    def vkey(self) -> str:
        return verifier_key(self.name, self.public_key)

    def sign(self, message: bytes) -> bytes:
        return self.private.sign(message)

    def verify(self, message: bytes, signature: bytes) -> bool:
        try:
            self.private.public_key().verify(signature, message)
        except InvalidSignature:
            return False
        return True


def read_log_key(path: Path, name: str) -> LogKey:
    if not valid_key_name(name):
        raise KeyProblem(f"the log's instance name {name!r} is not a valid key name (no spaces or '+')")
    try:
        seed = base64.b64decode(path.read_text(encoding="ascii").strip(), validate=True)
    except OSError as error:
        raise KeyProblem(f"{path}: {error.strerror}") from None
    except (binascii.Error, ValueError):
        raise KeyProblem(f"{path}: not base64") from None
    if len(seed) != SEED_BYTES:
        raise KeyProblem(f"{path}: an Ed25519 key is {SEED_BYTES} bytes, this one {len(seed)}")
    return LogKey(name, Ed25519PrivateKey.from_private_bytes(seed))


def write_log_key(path: Path, name: str) -> LogKey:
    """A new Ed25519 key in a new file readable by its owner only (0600); never overwrites."""
    path.parent.mkdir(parents=True, exist_ok=True)
    seed = os.urandom(SEED_BYTES)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as out:
        out.write(base64.b64encode(seed).decode() + "\n")
        out.flush()
        os.fsync(out.fileno())
    return read_log_key(path, name)
