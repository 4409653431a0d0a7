"""Content-addressed blobs: each stored once under its SHA-256, streamed in, written atomically.

A blob arrives as bytes or as a readable file: it is copied in chunks into a temporary file
beside its final place while it is hashed, so nothing is ever held whole in memory; the
size limit is enforced while copying (nothing is left behind when it is exceeded); then
fsync, rename to `root/ab/cd/<sha256>`, and fsync the folder. The store sits behind the
`BlobStore` protocol so that an S3-compatible store can take its place.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Protocol

CHUNK = 1024 * 1024  # why: large enough to stream fast, small enough never to matter in memory


class TooLarge(Exception):
    """The content is over the store's limit; nothing was stored."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        super().__init__(f"the content is over the limit of {limit} bytes")


@dataclass(frozen=True)
class Stored:
    sha256: str
    size: int


class BlobStore(Protocol):
    def put(self, content: bytes | BinaryIO, limit: int | None = None) -> Stored: ...
    def get(self, sha256: str) -> bytes: ...
    def open(self, sha256: str) -> BinaryIO: ...
    def local_path(self, sha256: str) -> Path | None: ...
    def exists(self, sha256: str) -> bool: ...
    def names(self) -> Iterator[str]: ...
    def hash_of(self, sha256: str) -> str: ...


class LocalBlobStore:
    def __init__(self, root: Path) -> None:
        self.root = root

    def path(self, sha256: str) -> Path:
        if len(sha256) != 64 or not all(c in "0123456789abcdef" for c in sha256):
            raise ValueError("a blob is named by a lower-case SHA-256 hex digest")
        return self.root / sha256[:2] / sha256[2:4] / sha256

    def put(self, content: bytes | BinaryIO, limit: int | None = None) -> Stored:
        incoming = self.root / ".incoming"
        incoming.mkdir(parents=True, exist_ok=True)
        fd, temporary = tempfile.mkstemp(dir=incoming, prefix="blob-")
        digest, size = hashlib.sha256(), 0
        try:
            with os.fdopen(fd, "wb") as out:
                for chunk in _chunks(content):
                    size += len(chunk)
                    if limit is not None and size > limit:
                        raise TooLarge(limit)
                    digest.update(chunk)
                    out.write(chunk)
                out.flush()
                os.fsync(out.fileno())
            sha256 = digest.hexdigest()
            target = self.path(sha256)
            if target.exists():  # deduplicated: the same content is stored once
                Path(temporary).unlink()
                return Stored(sha256, size)
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(temporary, target)
            _fsync_folder(target.parent)  # why: the rename itself survives a power loss
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        return Stored(sha256, size)

    def get(self, sha256: str) -> bytes:
        return self.path(sha256).read_bytes()

    def open(self, sha256: str) -> BinaryIO:
        """The blob as a file to read in chunks (the caller closes it)."""
        return self.path(sha256).open("rb")

    def local_path(self, sha256: str) -> Path | None:
        """Where the blob lies on this machine, for serving it straight from disk."""
        return self.path(sha256)

    def exists(self, sha256: str) -> bool:
        return self.path(sha256).exists()

    def names(self) -> Iterator[str]:
        """Every stored blob's name (its SHA-256 as stored, whatever its content now)."""
        for path in sorted(self.root.glob("??/??/*")):
            if path.is_file() and len(path.name) == 64:
                yield path.name

    def hash_of(self, sha256: str) -> str:
        """The SHA-256 of what is stored under `sha256` now, read in chunks."""
        digest = hashlib.sha256()
        with self.path(sha256).open("rb") as stored:
            for chunk in iter(lambda: stored.read(CHUNK), b""):
                digest.update(chunk)
        return digest.hexdigest()


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
