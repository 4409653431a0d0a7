"""The content-addressed blob store without keys: streamed in, deduplicated, limited, atomic,
and the unfinished uploads a killed server leaves behind."""

from __future__ import annotations

import hashlib
import io
import os
import time
from pathlib import Path

import pytest

from sharebound.adapters.blobs import CHUNK, INCOMING, LocalBlobStore, TooLarge


def test_content_is_stored_once_under_its_sha256_whether_given_as_bytes_or_a_file(tmp_path: Path) -> None:
    store = LocalBlobStore(tmp_path)
    content = b"x" * (CHUNK * 2 + 5)  # more than one chunk

    from_bytes = store.put(content, org="acme")
    from_file = store.put(io.BytesIO(content), org="acme")

    assert from_bytes == from_file
    assert from_bytes.sha256 == hashlib.sha256(content).hexdigest() and from_bytes.size == len(content)
    assert store.get(from_bytes.sha256, org="acme") == content
    assert list(store.names()) == [from_bytes.sha256]


def test_content_over_the_limit_is_refused_while_streaming_and_leaves_nothing(tmp_path: Path) -> None:
    store = LocalBlobStore(tmp_path)

    with pytest.raises(TooLarge):
        store.put(io.BytesIO(b"y" * (CHUNK + 1)), limit=CHUNK, org="acme")

    assert [p for p in tmp_path.rglob("*") if p.is_file()] == []


def test_a_blob_changed_on_disk_no_longer_verifies(tmp_path: Path) -> None:
    store = LocalBlobStore(tmp_path)
    stored = store.put(b"the original", org="acme")

    with store.path(stored.sha256).open("ab") as blob:
        blob.write(b" and more")

    assert not store.verify(stored.sha256, stored.sha256)


def test_a_name_that_is_not_a_sha256_never_reaches_the_file_system(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="SHA-256"):
        LocalBlobStore(tmp_path).path("../../etc/passwd")


def _left_behind(root: Path, name: str, age_seconds: float) -> Path:
    (root / INCOMING).mkdir(parents=True, exist_ok=True)
    path = root / INCOMING / name
    path.write_bytes(b"half an upload")
    then = time.time() - age_seconds
    os.utime(path, (then, then))
    return path


def test_upload_files_left_by_a_killed_server_are_found_and_removed_but_not_a_running_upload(
    tmp_path: Path,
) -> None:
    store = LocalBlobStore(tmp_path)
    stale = _left_behind(tmp_path, "blob-killed", age_seconds=2 * 3600)
    running = _left_behind(tmp_path, "blob-running", age_seconds=5)

    assert store.stale_incoming(3600) == ["blob-killed"]
    removed = store.clean_incoming(3600)

    assert removed == ["blob-killed"]
    assert not stale.exists() and running.exists()
