"""The sealed blob format: AES-GCM in segments, each bound to its index and to being last."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest

from sharebound.adapters import sealed
from sharebound.adapters.sealed import SEGMENT, TAG, Unreadable, open_sealed, seal

KEY = os.urandom(32)


def _sealed_file(tmp_path: Path, plain: bytes, key_id: str = "dek_1") -> Path:
    path = tmp_path / "blob"
    path.write_bytes(b"".join(seal(iter([plain[i:i + 1000] for i in range(0, len(plain), 1000)] or [b""]),
                                   key_id, KEY)))
    return path


def _keys(key_id: str) -> bytes | None:
    return KEY if key_id == "dek_1" else None


@pytest.mark.parametrize("size", [0, 1, SEGMENT - 1, SEGMENT, SEGMENT + 1, 3 * SEGMENT + 17])
def test_a_sealed_file_reads_back_as_its_plaintext_and_holds_none_of_it(tmp_path: Path, size: int) -> None:
    plain = os.urandom(size)
    path = _sealed_file(tmp_path, plain)

    with open_sealed(path, _keys) as opened:
        assert opened.read() == plain
    if size >= 32:
        assert plain[:32] not in path.read_bytes()


def test_a_sealed_file_seeks_like_a_plain_one(tmp_path: Path) -> None:
    plain = os.urandom(3 * SEGMENT + 100)
    with open_sealed(_sealed_file(tmp_path, plain), _keys) as opened:
        opened.seek(2 * SEGMENT - 10)
        assert opened.read(20) == plain[2 * SEGMENT - 10:2 * SEGMENT + 10]
        assert opened.seek(0, io.SEEK_END) == len(plain)
        opened.seek(-5, io.SEEK_END)
        assert opened.read() == plain[-5:]


def _read_all(path: Path) -> bytes:
    with open_sealed(path, _keys) as opened:
        return opened.read()


def test_a_flipped_bit_fails_authentication(tmp_path: Path) -> None:
    path = _sealed_file(tmp_path, os.urandom(2 * SEGMENT))
    raw = bytearray(path.read_bytes())
    raw[-100] ^= 1
    path.write_bytes(bytes(raw))

    with pytest.raises(Unreadable):
        _read_all(path)


def test_a_file_cut_at_a_segment_boundary_fails_authentication(tmp_path: Path) -> None:
    path = _sealed_file(tmp_path, os.urandom(2 * SEGMENT + 10))
    raw = path.read_bytes()
    header = len(raw) - 3 * TAG - 2 * SEGMENT - 10
    path.write_bytes(raw[:header + 2 * (SEGMENT + TAG)])  # the last segment dropped

    with pytest.raises(Unreadable):
        _read_all(path)


def test_reordered_segments_fail_authentication(tmp_path: Path) -> None:
    path = _sealed_file(tmp_path, os.urandom(3 * SEGMENT))
    raw = path.read_bytes()
    header = len(raw) - 3 * (SEGMENT + TAG)
    one, two = (raw[header + i * (SEGMENT + TAG):header + (i + 1) * (SEGMENT + TAG)] for i in (0, 1))
    path.write_bytes(raw[:header] + two + one + raw[header + 2 * (SEGMENT + TAG):])

    with pytest.raises(Unreadable):
        _read_all(path)


def test_a_file_sealed_under_another_key_does_not_open(tmp_path: Path) -> None:
    path = _sealed_file(tmp_path, b"secret", key_id="dek_other")

    with pytest.raises(Unreadable, match="no data key"):
        _read_all(path)
    assert sealed.is_sealed(path.read_bytes())


def test_a_blob_is_sealed_in_one_mebibyte_segments_under_format_version_2(tmp_path: Path) -> None:
    plain = os.urandom(2 * 1024 * 1024 + 1)
    raw = _sealed_file(tmp_path, plain).read_bytes()

    assert raw[:4] == b"SBB\x02"
    header = 4 + 1 + len("dek_1") + 16
    assert len(raw) == header + len(plain) + 3 * TAG  # three segments: 1 MiB, 1 MiB, 1 byte


def _sealed_v1(plain: bytes, key_id: str = "dek_1") -> bytes:
    """A blob as development builds sealed it: version 1, 64 KiB segments."""
    salt = os.urandom(16)
    header = b"SBB\x01" + bytes([len(key_id)]) + key_id.encode() + salt
    aead = sealed._file_key(KEY, salt)
    pieces = [plain[i:i + 64 * 1024] for i in range(0, len(plain), 64 * 1024)] or [b""]
    last = len(pieces) - 1
    nonce, aad = sealed._nonce, sealed._aad
    return header + b"".join(aead.encrypt(nonce(i, i == last), piece, aad(header, i, i == last))
                             for i, piece in enumerate(pieces))


def test_a_blob_sealed_in_64_kib_segments_by_format_version_1_still_reads_and_seeks(tmp_path: Path) -> None:
    plain = os.urandom(3 * 64 * 1024 + 7)
    path = tmp_path / "blob"
    path.write_bytes(_sealed_v1(plain))

    with open_sealed(path, _keys) as opened:
        assert opened.read() == plain
        opened.seek(64 * 1024 - 3)
        assert opened.read(6) == plain[64 * 1024 - 3:64 * 1024 + 3]


def test_whole_segment_reads_and_partial_reads_give_the_same_bytes(tmp_path: Path) -> None:
    plain = os.urandom(3 * SEGMENT + 5)
    path = _sealed_file(tmp_path, plain)

    with open_sealed(path, _keys) as whole, open_sealed(path, _keys) as pieces:
        read_whole = b"".join(iter(lambda: whole.read(2 * SEGMENT), b""))
        read_pieces = b"".join(iter(lambda: pieces.read(SEGMENT // 3 + 1), b""))

    assert read_whole == read_pieces == plain
