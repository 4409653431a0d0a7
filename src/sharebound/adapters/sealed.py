"""Sealed blobs: a file's content encrypted with AES-GCM in 1 MiB segments (docs/encryption.md).

    header   = MAGIC | len(key id) | key id (ASCII) | salt (16 bytes)
    segment  = AES-GCM(file key, nonce = index (11 bytes) | final (1 byte),
                       plain (1 MiB, the last one shorter), aad = header | index | final)
    file key = HKDF-SHA256(data key, salt, "sharebound blob v1")

Each file has its own key (a fresh salt), so the counter nonces never repeat under one key.
The index and the final flag are authenticated, so reordered, dropped or appended segments
and a file cut at a segment boundary all fail to decrypt. Reading is by segment: a download
streams in bounded memory and `SealedReader` seeks (pikepdf, Range requests) without ever
writing the plaintext to disk. The version byte of MAGIC gives the segment size: version 1
(64 KiB segments, development builds only) still reads; version 2 is written. A read of whole
segments decrypts straight into the caller's buffer (`AESGCM.decrypt_into`): a download's
plaintext is written once, by the cipher, into the bytes that are sent.
"""

from __future__ import annotations

import io
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import BinaryIO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

MAGIC = b"SBB\x02"  # why: a plaintext file starting with these bytes is not a sealed blob's
#: The plaintext segment size of each format version (the MAGIC's last byte).
SEGMENTS = {1: 64 * 1024, 2: 1024 * 1024}
# why 1 MiB: a download makes one read and one decrypt call per MiB (64 KiB made 16, and the
# calls, not AES, were the cost); a seek wastes at most 1 MiB (~0.2 ms); tags cost 0.002%
SEGMENT = SEGMENTS[MAGIC[-1]]
TAG = 16
SALT = 16
_INFO = b"sharebound blob v1"

#: A data key by its id (None: unknown), as the key ring gives it.
KeyLookup = Callable[[str], bytes | None]


class Unreadable(OSError):
    """A sealed blob failed authentication (altered, cut short, or another key's)."""


def is_sealed(head: bytes) -> bool:
    version = len(MAGIC) - 1
    return len(head) > version and head[:version] == MAGIC[:version] and head[version] in SEGMENTS


def _file_key(data_key: bytes, salt: bytes) -> AESGCM:
    return AESGCM(HKDF(algorithm=hashes.SHA256(), length=32, salt=salt, info=_INFO).derive(data_key))


def _aad(header: bytes, index: int, final: bool) -> bytes:
    return header + index.to_bytes(8, "big") + (b"\x01" if final else b"\x00")


def _nonce(index: int, final: bool) -> bytes:
    return index.to_bytes(11, "big") + (b"\x01" if final else b"\x00")


def seal(chunks: Iterator[bytes], key_id: str, data_key: bytes) -> Iterator[bytes]:
    """The sealed form of the plaintext `chunks`, as a header then one piece per segment."""
    salt = os.urandom(SALT)
    ident = key_id.encode("ascii")
    header = MAGIC + bytes([len(ident)]) + ident + salt
    aead = _file_key(data_key, salt)
    yield header
    pending, index = bytearray(), 0
    for chunk in chunks:
        pending += chunk
        while len(pending) > SEGMENT:  # why: keep one segment back: only the last is final
            yield aead.encrypt(_nonce(index, False), bytes(pending[:SEGMENT]), _aad(header, index, False))
            del pending[:SEGMENT]
            index += 1
    yield aead.encrypt(_nonce(index, True), bytes(pending), _aad(header, index, True))


def read_header(source: BinaryIO | io.RawIOBase) -> tuple[bytes, str, bytes]:
    """(header, key id, salt) of a sealed file, read from its start."""
    head = source.read(len(MAGIC) + 1) or b""
    if not is_sealed(head) or len(head) < len(MAGIC) + 1:
        raise Unreadable("not a sealed blob")
    rest = source.read(head[-1] + SALT) or b""
    if len(rest) != head[-1] + SALT:
        raise Unreadable("the blob's header is cut short")
    return head + rest, rest[:head[-1]].decode("ascii", "replace"), rest[head[-1]:]


class SealedReader(io.RawIOBase):
    """A sealed file read as its plaintext: seekable, one segment decrypted at a time."""

    def __init__(self, source: Path | io.RawIOBase, key_for: KeyLookup) -> None:
        # why unbuffered: segments are read whole; no second buffer. A file-like source (an
        # object store's ranged reader) must be seekable and is closed with this reader.
        self._file: io.RawIOBase = source.open("rb", buffering=0) if isinstance(source, Path) else source
        try:
            self._header, key_id, salt = read_header(self._file)
            data_key = key_for(key_id)
            if data_key is None:
                raise Unreadable(f"no data key {key_id!r}")
            self._aead = _file_key(data_key, salt)
            self.segment_size = SEGMENTS[self._header[len(MAGIC) - 1]]
            body = self._file.seek(0, io.SEEK_END) - len(self._header)
            self._segments = max(1, -(-body // (self.segment_size + TAG)))
            self.size = body - TAG * self._segments
            if self.size < 0:
                raise Unreadable("the blob is cut short")
        except BaseException:
            self._file.close()
            raise
        self._position = 0
        self._cached: tuple[int, bytes] | None = None
        self._sealed = bytearray(self.segment_size + TAG)  # why: one ciphertext buffer, reused
        if self.size == 0:  # why: no read ever decrypts an empty blob, so a forged tail would pass
            try:
                self._decrypt(0, None)
            except BaseException:
                self._file.close()
                raise

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self._position

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self._position, io.SEEK_END: self.size}[whence]
        if base + offset < 0:
            raise ValueError("negative seek position")
        self._position = base + offset
        return self._position

    def _plain_length(self, index: int) -> int:
        return min(self.segment_size, self.size - index * self.segment_size)

    def _decrypt(self, index: int, into: memoryview | None) -> bytes | None:
        """Segment `index` authenticated: decrypted into `into` (its exact length), or returned."""
        final = index == self._segments - 1
        self._file.seek(len(self._header) + index * (self.segment_size + TAG))
        sealed = memoryview(self._sealed)[:self._plain_length(index) + TAG]
        if self._file.readinto(sealed) != len(sealed):
            raise Unreadable(f"segment {index} is cut short")
        try:
            if into is not None:
                self._aead.decrypt_into(_nonce(index, final), sealed, _aad(self._header, index, final), into)
                return None
            return self._aead.decrypt(_nonce(index, final), sealed, _aad(self._header, index, final))
        except InvalidTag:
            raise Unreadable(f"segment {index} fails authentication") from None

    def segment(self, index: int) -> bytes:
        """Segment `index` decrypted and authenticated (the last one kept for the next read)."""
        if self._cached is not None and self._cached[0] == index:
            return self._cached[1]
        plain = self._decrypt(index, None)
        assert plain is not None
        self._cached = (index, plain)
        return plain

    def readinto(self, buffer: memoryview | bytearray) -> int:  # type: ignore[override]
        if self._position >= self.size:
            return 0
        index, start = divmod(self._position, self.segment_size)
        length = self._plain_length(index)
        view = memoryview(buffer).cast("B")
        if start == 0 and len(view) >= length and (self._cached is None or self._cached[0] != index):
            self._decrypt(index, view[:length])  # why: a whole segment goes straight to the caller
            count = length
        else:
            count = min(len(view), length - start)
            view[:count] = memoryview(self.segment(index))[start:start + count]
        self._position += count
        return count

    def close(self) -> None:
        self._file.close()
        super().close()


def open_sealed(source: Path | io.RawIOBase, key_for: KeyLookup) -> BinaryIO:
    """The plaintext of a sealed file (a path, or a seekable file-like source that this
    takes over), buffered one segment at a time."""
    raw = SealedReader(source, key_for)
    # why: reads of a segment or more bypass the buffer and decrypt into the caller's bytes
    return io.BufferedReader(raw, buffer_size=raw.segment_size)
