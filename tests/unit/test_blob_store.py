"""The content-addressed blob store: streamed in, deduplicated, limited, atomic."""

from __future__ import annotations

import hashlib
import io
from pathlib import Path

import pytest

from sharebound.adapters.blobs import CHUNK, LocalBlobStore, TooLarge


def test_content_is_stored_once_under_its_sha256_whether_given_as_bytes_or_a_file(tmp_path: Path) -> None:
    store = LocalBlobStore(tmp_path)
    content = b"x" * (CHUNK * 2 + 5)  # more than one chunk

    from_bytes = store.put(content)
    from_file = store.put(io.BytesIO(content))

    assert from_bytes == from_file
    assert from_bytes.sha256 == hashlib.sha256(content).hexdigest() and from_bytes.size == len(content)
    assert store.get(from_bytes.sha256) == content
    assert list(store.names()) == [from_bytes.sha256]


def test_content_over_the_limit_is_refused_while_streaming_and_leaves_nothing(tmp_path: Path) -> None:
    store = LocalBlobStore(tmp_path)

    with pytest.raises(TooLarge):
        store.put(io.BytesIO(b"y" * (CHUNK + 1)), limit=CHUNK)

    assert [p for p in tmp_path.rglob("*") if p.is_file()] == []


def test_a_blob_changed_on_disk_hashes_to_something_else(tmp_path: Path) -> None:
    store = LocalBlobStore(tmp_path)
    stored = store.put(b"the original")

    with store.path(stored.sha256).open("ab") as blob:
        blob.write(b" and more")

    assert store.hash_of(stored.sha256) == hashlib.sha256(b"the original and more").hexdigest()


def test_a_name_that_is_not_a_sha256_never_reaches_the_file_system(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="SHA-256"):
        LocalBlobStore(tmp_path).path("../../etc/passwd")
