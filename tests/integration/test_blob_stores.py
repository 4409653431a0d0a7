"""One suite for every blob store: the data folder's and the S3-compatible one (against moto's
S3 server on loopback). Streamed in, sealed, deduplicated per org, limited, seekable, checked,
and the unfinished uploads a killed server leaves behind."""

from __future__ import annotations

import hashlib
import io
import os
import time

import pytest

from sharebound.adapters.blobs import CHUNK, INCOMING, BlobStore, LocalBlobStore, TooLarge
from sharebound.adapters.s3blobs import PART, NotAnS3Url, S3BlobStore, parse_s3_url
from sharebound.adapters.sealed import SEGMENT
from sharebound.services import blobs, items
from tests.integration.world import World

BOTH = pytest.mark.parametrize("blob_store", ["local", "s3"], indirect=True)
SECRET = b"Project Nightjar: the crown jewel that must never be read from the store"


def _remove(store: BlobStore, name: str) -> None:
    if isinstance(store, S3BlobStore):
        store.client.delete_object(Bucket=store.bucket, Key=store.key(name))
    else:
        assert isinstance(store, LocalBlobStore)
        store.path(name).unlink()


def _flip_a_bit(store: BlobStore, name: str) -> None:
    with store.read_stored(name) as stored:
        content = bytearray(stored.read())
    content[-20] ^= 1
    store.write_stored(name, io.BytesIO(bytes(content)))


def _everything_stored(store: BlobStore) -> bytes:
    out = b""
    for name in store.names():
        with store.read_stored(name) as stored:
            out += stored.read()
    return out


def _leave_unfinished(store: BlobStore, name: str) -> None:
    if isinstance(store, S3BlobStore):
        store.client.put_object(Bucket=store.bucket, Key=f"{store.prefix}{INCOMING}/{name}", Body=b"half")
    else:
        assert isinstance(store, LocalBlobStore)
        (store.root / INCOMING).mkdir(parents=True, exist_ok=True)
        (store.root / INCOMING / name).write_bytes(b"half an upload")


@BOTH
def test_content_is_stored_sealed_once_per_org_whether_given_as_bytes_or_a_file(world: World) -> None:
    store = world.app.blobs
    content = SECRET + os.urandom(CHUNK * 2)  # more than one chunk and one segment

    from_bytes = store.put(content, org="acme")
    from_file = store.put(io.BytesIO(content), org="acme")
    store.put(content, org="globex")

    assert from_bytes == from_file
    assert from_bytes.sha256 == hashlib.sha256(content).hexdigest() and from_bytes.size == len(content)
    assert store.get(from_bytes.sha256, org="acme") == content
    assert store.exists(from_bytes.sha256, org="acme")
    names = list(store.names())
    assert len(names) == 2 and from_bytes.sha256 not in names  # per org; the name reveals nothing
    assert SECRET not in _everything_stored(store)


@BOTH
def test_a_large_upload_streams_in_parts_and_reads_back_by_ranges(world: World) -> None:
    store = world.app.blobs
    content = os.urandom(2 * PART + 12_345)  # three multipart parts on S3

    stored = store.put(io.BytesIO(content), org="acme")

    with store.open(stored.sha256, org="acme") as source:
        source.seek(SEGMENT - 10)
        assert source.read(20) == content[SEGMENT - 10:SEGMENT + 10]  # across a segment's end
        source.seek(-100, io.SEEK_END)
        assert source.read() == content[-100:]
        source.seek(0)
        assert hashlib.sha256(source.read()).hexdigest() == stored.sha256


@BOTH
def test_content_over_the_limit_is_refused_while_streaming_and_leaves_nothing(world: World) -> None:
    store = world.app.blobs

    with pytest.raises(TooLarge):
        store.put(io.BytesIO(b"y" * (PART + CHUNK)), limit=PART, org="acme")

    assert list(store.names()) == []
    assert store.stale_incoming(0) == []
    if isinstance(store, S3BlobStore):  # no multipart upload is left open either
        assert store.client.list_multipart_uploads(Bucket=store.bucket).get("Uploads", []) == []


@BOTH
def test_the_check_names_missing_corrupt_and_orphan_blobs(world: World) -> None:
    kept = items.get_item(world.uow(), world.mia.id, world.note(body="kept as it is"))
    lost = items.get_item(world.uow(), world.mia.id, world.note(body="deleted from the store"))
    spoiled = items.get_item(world.uow(), world.mia.id, world.note(body="altered in the store"))
    store, org = world.app.blobs, kept.owner
    orphan = store.name_of(store.put(b"stored, but no item refers to it", org=org).sha256, org=org)
    lost_name = store.name_of(lost.current.sha256, org=org)
    spoiled_name = store.name_of(spoiled.current.sha256, org=org)
    _remove(store, lost_name)
    _flip_a_bit(store, spoiled_name)

    report = blobs.check_blobs(world.uow())

    assert report.missing == [lost_name]
    assert report.corrupt == [spoiled_name]
    assert report.orphans == [orphan]
    assert report.checked == 3
    assert not report.healthy
    assert items.item_content(world.uow(), world.mia.id, kept.id) == b"kept as it is"


@BOTH
def test_an_unfinished_upload_is_reported_as_stale_and_cleaned(world: World) -> None:
    store = world.app.blobs
    _leave_unfinished(store, "blob-killed")
    time.sleep(1.1)  # why: S3 dates objects to the second

    assert store.stale_incoming(3600) == []  # a running upload is not counted
    assert store.stale_incoming(1) == ["blob-killed"]
    assert store.clean_incoming(1) == ["blob-killed"]
    assert store.stale_incoming(0) == []


@BOTH
def test_a_plaintext_blob_from_before_encryption_reads_and_is_then_sealed(world: World) -> None:
    store = world.app.blobs
    sha256 = hashlib.sha256(SECRET).hexdigest()
    store.write_stored(sha256, io.BytesIO(SECRET))  # as a store without keys wrote it

    assert store.get(sha256, org="acme") == SECRET
    assert store.verify(sha256, sha256)
    assert store.seal_plaintext(sha256, org="acme")
    store.remove_plaintext(sha256)

    assert list(store.names()) == [store.name_of(sha256, org="acme")]
    assert store.get(sha256, org="acme") == SECRET
    assert SECRET not in _everything_stored(store)


@BOTH
def test_the_store_answers_that_it_is_reachable(world: World) -> None:
    world.app.blobs.put(b"something", org="acme")

    world.app.blobs.reachable()


@pytest.mark.parametrize("url", ["s3://", "http://bucket/prefix", "s3://bucket/p?x=1", "bucket/prefix"])
def test_a_blob_url_that_is_not_s3_bucket_prefix_is_refused_by_name(url: str) -> None:
    with pytest.raises(NotAnS3Url, match="s3://bucket/prefix"):
        parse_s3_url(url)


def test_an_s3_url_gives_its_bucket_and_prefix() -> None:
    assert parse_s3_url("s3://sharebound-blobs/prod/eu/") == ("sharebound-blobs", "prod/eu")
    assert parse_s3_url("s3://sharebound-blobs") == ("sharebound-blobs", "")
