"""Keys for encryption at rest (docs/encryption.md).

    KEK   key-encryption key: 32 bytes from SHAREBOUND_KEY (base64) or SHAREBOUND_KEY_FILE
          (default DATA_DIR/sharebound.key, made by `sharebound init`); never in the database.
    DEK   data key: 32 random bytes, stored in `data_keys` wrapped by the KEK (AES-GCM, its
          id as AAD). Blobs and sealed columns name the DEK they were sealed with.
    per org, derived from the DEK with HKDF: the key that addresses an org's blobs
          (HMAC of the plaintext SHA-256) and the key that hashes its crown-jewel terms.

`KeyRing` unwraps the DEKs once per process and keeps them in memory.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from sqlalchemy import Engine

from sharebound.adapters.db.repositories.keys import DataKeyRepository, WrappedKey
from sharebound.domain.ids import new_id

KEY_BYTES = 32  # why: AES-256
NONCE = 12  # why: AES-GCM's standard nonce size
SEALED_PREFIX = "enc1:"  # a sealed column value; anything else is a plaintext value from before


class KeyProblem(Exception):
    """A key is missing, malformed or does not open the data keys: the app cannot start."""


@dataclass(frozen=True)
class Kek:
    key: bytes = b""

    @property
    def id(self) -> str:
        """A fingerprint that tells KEKs apart without revealing them."""
        return hashlib.sha256(b"sharebound kek id\x00" + self.key).hexdigest()[:32]

    def wrap(self, dek_id: str, dek: bytes) -> bytes:
        nonce = os.urandom(NONCE)
        return nonce + AESGCM(self.key).encrypt(nonce, dek, dek_id.encode())

    def unwrap(self, dek_id: str, wrapped: bytes) -> bytes:
        try:
            return AESGCM(self.key).decrypt(wrapped[:NONCE], wrapped[NONCE:], dek_id.encode())
        except InvalidTag:
            raise KeyProblem(f"the key-encryption key does not open data key {dek_id}: "
                            "is SHAREBOUND_KEY_FILE / SHAREBOUND_KEY the one in use?") from None


def parse_key(text: str, where: str) -> Kek:
    try:
        key = base64.b64decode(text.strip(), validate=True)
    except (binascii.Error, ValueError):
        raise KeyProblem(f"{where}: not base64") from None
    if len(key) != KEY_BYTES:
        raise KeyProblem(f"{where}: a key is {KEY_BYTES} bytes (base64), this one is {len(key)}")
    return Kek(key)


def read_key_file(path: Path) -> Kek:
    try:
        return parse_key(path.read_text(encoding="ascii"), str(path))
    except OSError as error:
        raise KeyProblem(f"{path}: {error.strerror}") from None


def write_key_file(path: Path) -> Kek:
    """A new random KEK in a new file, readable by its owner only (0600); never overwrites."""
    path.parent.mkdir(parents=True, exist_ok=True)
    key = os.urandom(KEY_BYTES)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as out:
        out.write(base64.b64encode(key).decode() + "\n")
        out.flush()
        os.fsync(out.fileno())
    return Kek(key)


def _derive(dek: bytes, purpose: bytes, org: str) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None,
                info=b"sharebound " + purpose + b"\x00" + org.encode()).derive(dek)


class KeyRing:
    """The data keys of one database, unwrapped with the KEK on first use."""

    def __init__(self, engine: Engine, kek: Kek, clock: Callable[[], datetime]) -> None:
        self.engine = engine
        self.kek = kek
        self.clock = clock
        self._deks: dict[str, bytes] = {}
        self._first: str | None = None
        self._derived: dict[tuple[bytes, str], bytes] = {}

    def ensure(self) -> None:
        """Load the data keys, making the first one on a database that has none."""
        with self.engine.begin() as connection:
            keys = DataKeyRepository(connection)
            if not keys.all():
                dek_id = new_id("dek")
                keys.add(WrappedKey(dek_id, self.kek.id, self.kek.wrap(dek_id, os.urandom(KEY_BYTES)),
                                    self.clock()))
        self._load()

    def _load(self) -> None:
        with self.engine.connect() as connection:
            wrapped = DataKeyRepository(connection).all()
        if not wrapped:
            raise KeyProblem("the database has no data key yet: run `sharebound init`")
        self._deks = {w.id: self.kek.unwrap(w.id, w.wrapped) for w in wrapped}
        self._first = wrapped[0].id

    def active(self) -> tuple[str, bytes]:
        """The data key new content is sealed with: (id, key)."""
        if self._first is None:
            self._load()
        assert self._first is not None
        return self._first, self._deks[self._first]

    def data_key(self, dek_id: str) -> bytes | None:
        if dek_id not in self._deks:
            self._load()  # why: another process may have made it since
        return self._deks.get(dek_id)

    def _org_key(self, purpose: bytes, org: str) -> bytes:
        found = self._derived.get((purpose, org))
        if found is None:
            found = self._derived[(purpose, org)] = _derive(self.active()[1], purpose, org)
        return found

    def blob_address(self, org: str, sha256: str) -> str:
        """Where `org`'s blob with this plaintext SHA-256 is stored: the same content dedups
        within an org, and nobody without the key can tell which org holds a known file."""
        return hmac.new(self._org_key(b"blob address", org), sha256.encode(), "sha256").hexdigest()

    def fingerprint_key(self) -> bytes:
        """The key of the idempotency keys' body fingerprints (web/idempotency.py)."""
        return self._org_key(b"idempotency fingerprint", "")

    def search_key(self, org: str) -> bytes:
        """The key that hashes the words of `org`'s information in the search index: the
        index matches words without holding them (domain/search.py)."""
        return self._org_key(b"search terms", org)

    def term_key(self, org: str, term: str) -> str:
        """A keyed hash of a case-folded crown-jewel term: one per org, in any case."""
        return "h1:" + hmac.new(self._org_key(b"term key", org), term.casefold().encode(),
                                "sha256").hexdigest()

    def seal_text(self, value: str, aad: str) -> str:
        """`value` sealed for a column: AES-GCM under the data key, `aad` (the row) bound in."""
        dek_id, dek = self.active()
        nonce = os.urandom(NONCE)
        sealed = AESGCM(dek).encrypt(nonce, value.encode(), aad.encode())
        return f"{SEALED_PREFIX}{dek_id}:{base64.b64encode(nonce + sealed).decode()}"

    def open_text(self, stored: str, aad: str) -> str:
        """A column's value in clear; a value from before encryption is returned as it is."""
        if not stored.startswith(SEALED_PREFIX):
            return stored
        dek_id, _, body = stored[len(SEALED_PREFIX):].partition(":")
        dek = self.data_key(dek_id)
        if dek is None:
            raise KeyProblem(f"unknown data key {dek_id}")
        raw = base64.b64decode(body)
        try:
            return AESGCM(dek).decrypt(raw[:NONCE], raw[NONCE:], aad.encode()).decode()
        except InvalidTag:
            raise KeyProblem(f"a sealed value of {aad} fails authentication") from None


def is_sealed_text(stored: str | None) -> bool:
    return stored is not None and stored.startswith(SEALED_PREFIX)
