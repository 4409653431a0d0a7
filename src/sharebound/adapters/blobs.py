"""Content-addressed blobs: each stored once per org, sealed (encrypted), streamed in, written atomically.

A blob arrives as bytes or as a readable file: it is copied in chunks into a temporary file
in `root/.incoming` while its plaintext is hashed, so nothing is ever held whole in memory;
the size limit is enforced while copying (nothing is left behind when it is exceeded); then
fsync, rename to `root/ab/cd/<address>`, and fsync the folder.

With a key ring the content is sealed (`sharebound.adapters.sealed`: AES-GCM in segments) and
the address is a keyed hash of the plaintext SHA-256 per org (`KeyRing.blob_address`): the same
content dedups within an org, and a copy of the disk does not tell which org holds a known file.
Callers keep naming blobs by their plaintext SHA-256 and owner. Blobs stored before encryption
(plaintext, at `root/ab/cd/<sha256>`) still read until `sharebound keys encrypt-existing` seals
them. The store sits behind the `BlobStore` protocol so that an S3-compatible store can take
its place: `adapters/s3blobs.py` (SHAREBOUND_BLOB_URL=s3://...).
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Protocol

from sharebound.adapters import sealed
from sharebound.adapters.keys import KeyRing

CHUNK = 1024 * 1024  # why: large enough to stream fast, small enough never to matter in memory
INCOMING = ".incoming"


class TooLarge(Exception):
    """The content is over the store's limit; nothing was stored."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        super().__init__(f"the content is over the limit of {limit} bytes")


@dataclass(frozen=True)
class Stored:
    sha256: str  # of the plaintext: what items show and copies are traced by
    size: int


class BlobStore(Protocol):
    def put(self, content: bytes | BinaryIO, limit: int | None = None, *, org: str) -> Stored: ...
    def get(self, sha256: str, *, org: str) -> bytes: ...
    def open(self, sha256: str, *, org: str) -> BinaryIO: ...
    def local_path(self, sha256: str, *, org: str) -> Path | None: ...
    def exists(self, sha256: str, *, org: str) -> bool: ...
    def name_of(self, sha256: str, *, org: str) -> str: ...
    def names(self) -> Iterator[str]: ...
    def verify(self, name: str, sha256: str | None) -> bool: ...
    def stale_incoming(self, older_than_seconds: float) -> list[str]: ...
    def clean_incoming(self, older_than_seconds: float) -> list[str]: ...
    def seal_plaintext(self, sha256: str, *, org: str) -> bool: ...
    def remove_plaintext(self, sha256: str) -> None: ...
    def read_stored(self, name: str) -> BinaryIO: ...
    def write_stored(self, name: str, source: BinaryIO) -> None: ...
    def remove_stored(self, name: str) -> None: ...
    def reachable(self) -> None: ...


def check_name(name: str) -> str:
    """`name` when it is a lower-case SHA-256 hex digest (a blob's name); else ValueError."""
    if len(name) != 64 or not all(c in "0123456789abcdef" for c in name):
        raise ValueError("a blob is named by a lower-case SHA-256 hex digest")
    return name


class LocalBlobStore:
    def __init__(self, root: Path, keys: KeyRing | None = None) -> None:
        self.root = root
        self.keys = keys  # None: plaintext, as before encryption (tests of the store alone)

    def __repr__(self) -> str:
        return f"LocalBlobStore({self.root})"

    def path(self, name: str) -> Path:
        check_name(name)
        return self.root / name[:2] / name[2:4] / name

    def name_of(self, sha256: str, *, org: str) -> str:
        """The name the blob of `org` with this plaintext SHA-256 is stored under."""
        self.path(sha256)  # why: validates the digest before it is keyed
        return sha256 if self.keys is None else self.keys.blob_address(org, sha256)

    def _where(self, sha256: str, org: str) -> Path:
        """The sealed file, or a plaintext one from before encryption, or the sealed path."""
        target = self.path(self.name_of(sha256, org=org))
        if self.keys is not None and not target.exists() and self.path(sha256).exists():
            return self.path(sha256)
        return target

    def put(self, content: bytes | BinaryIO, limit: int | None = None, *, org: str) -> Stored:
        incoming = self.root / INCOMING
        incoming.mkdir(parents=True, exist_ok=True)
        fd, temporary = tempfile.mkstemp(dir=incoming, prefix="blob-")
        digest, size = hashlib.sha256(), 0

        def plain() -> Iterator[bytes]:
            nonlocal size
            for chunk in _chunks(content):
                size += len(chunk)
                if limit is not None and size > limit:
                    raise TooLarge(limit)
                digest.update(chunk)
                yield chunk

        try:
            with os.fdopen(fd, "wb") as out:
                if self.keys is None:
                    pieces = plain()
                else:
                    dek_id, dek = self.keys.active()
                    pieces = sealed.seal(plain(), dek_id, dek)
                for piece in pieces:
                    out.write(piece)
                out.flush()
                os.fsync(out.fileno())
            sha256 = digest.hexdigest()
            target = self.path(self.name_of(sha256, org=org))
            if target.exists():  # deduplicated: the same content is stored once per org
                Path(temporary).unlink()
                return Stored(sha256, size)
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(temporary, target)
            _fsync_folder(target.parent)  # why: the rename itself survives a power loss
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        return Stored(sha256, size)

    def get(self, sha256: str, *, org: str) -> bytes:
        with self.open(sha256, org=org) as source:
            return source.read()

    def open(self, sha256: str, *, org: str) -> BinaryIO:
        """The blob's plaintext as a seekable file to read in chunks (the caller closes it)."""
        return self._open_file(self._where(sha256, org))

    def _open_file(self, path: Path) -> BinaryIO:
        source = path.open("rb")
        if not sealed.is_sealed(source.read(len(sealed.MAGIC))):
            source.seek(0)
            return source  # a plaintext blob from before encryption
        source.close()
        if self.keys is None:
            raise sealed.Unreadable("a sealed blob needs the key ring")
        return sealed.open_sealed(path, self.keys.data_key)

    def local_path(self, sha256: str, *, org: str) -> Path | None:
        """Where the blob's plaintext lies on this machine, for serving it straight from disk:
        only a blob from before encryption; a sealed one is read through `open`."""
        path = self._where(sha256, org)
        if self.keys is not None and path.name != sha256:
            return None
        return path

    def exists(self, sha256: str, *, org: str) -> bool:
        return self._where(sha256, org).exists()

    def names(self) -> Iterator[str]:
        """Every stored blob's name (as stored, whatever its content now)."""
        for path in sorted(self.root.glob("??/??/*")):
            if path.is_file() and len(path.name) == 64:
                yield path.name

    def verify(self, name: str, sha256: str | None) -> bool:
        """Whether the blob stored as `name` is intact: a sealed one authenticates to its end
        (and its plaintext has `sha256`, when known); a plaintext one hashes to its name."""
        digest = hashlib.sha256()
        try:
            with self._open_file(self.path(name)) as stored:
                for chunk in iter(lambda: stored.read(CHUNK), b""):
                    digest.update(chunk)
        except sealed.Unreadable:
            return False
        with self.path(name).open("rb") as head:
            is_sealed = sealed.is_sealed(head.read(len(sealed.MAGIC)))
        if is_sealed:
            return sha256 is None or digest.hexdigest() == sha256
        return digest.hexdigest() == name

    def stale_incoming(self, older_than_seconds: float) -> list[str]:
        """Temporary files of uploads that ended without finishing (a killed server): those
        not written to for `older_than_seconds`, so that a running upload is not counted."""
        folder = self.root / INCOMING
        if not folder.is_dir():
            return []
        cutoff = time.time() - older_than_seconds
        stale = []
        for path in sorted(folder.iterdir()):
            try:
                if path.is_file() and path.stat().st_mtime < cutoff:
                    stale.append(path.name)
            except FileNotFoundError:  # why: its upload finished (or was cleaned) meanwhile
                continue
        return stale

    def clean_incoming(self, older_than_seconds: float) -> list[str]:
        """Remove the stale temporary files; their names."""
        removed = self.stale_incoming(older_than_seconds)
        for name in removed:
            (self.root / INCOMING / name).unlink(missing_ok=True)
        return removed

    def seal_plaintext(self, sha256: str, *, org: str) -> bool:
        """Seal `org`'s copy of a blob stored before encryption; True when it was sealed now.
        The plaintext file stays (another org may refer to it): `remove_plaintext` ends it."""
        assert self.keys is not None
        target, legacy = self.path(self.name_of(sha256, org=org)), self.path(sha256)
        if target.exists() or not legacy.exists():
            return False
        with legacy.open("rb") as source:
            stored = self.put(source, org=org)
        if stored.sha256 != sha256:
            raise sealed.Unreadable(f"the plaintext blob {sha256} does not hash to its name")
        return True

    def remove_plaintext(self, sha256: str) -> None:
        self.path(sha256).unlink(missing_ok=True)

    def read_stored(self, name: str) -> BinaryIO:
        """The blob `name` as stored (sealed): what a backup copies."""
        return self.path(name).open("rb")

    def write_stored(self, name: str, source: BinaryIO) -> None:
        """Store `source` as the blob `name`, as it is (a restore), atomically."""
        target = self.path(name)
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, temporary = tempfile.mkstemp(dir=target.parent, prefix=".restore-")
        try:
            with os.fdopen(fd, "wb") as out:
                for chunk in iter(lambda: source.read(CHUNK), b""):
                    out.write(chunk)
                out.flush()
                os.fsync(out.fileno())
            os.replace(temporary, target)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise

    def remove_stored(self, name: str) -> None:
        """Remove the blob `name` as stored (a restore that failed takes back what it wrote)."""
        self.path(name).unlink(missing_ok=True)

    def reachable(self) -> None:
        """Raises unless the blobs folder is there and writable (for /readyz)."""
        if not self.root.is_dir() or not os.access(self.root, os.W_OK):
            raise OSError(f"the blobs folder {self.root} is missing or not writable")


def _chunks(content: bytes | BinaryIO) -> Iterator[bytes]:
    if isinstance(content, bytes | bytearray):
        for start in range(0, len(content), CHUNK):
            yield bytes(content[start:start + CHUNK])
        return
    yield from iter(lambda: content.read(CHUNK), b"")


def _fsync_folder(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
