"""The blob store on an S3-compatible object store (`SHAREBOUND_BLOB_URL=s3://bucket/prefix`).

The same contract as `LocalBlobStore` (adapters/blobs.py), object for file:

    put    plaintext ──hash + seal (sealed.py, the same envelope)──▶ multipart upload, one
           part (PART bytes) in memory at a time, to `prefix/.incoming/blob-<random>`;
           then a server-side copy to `prefix/ab/cd/<name>` and the temporary object removed
    open   a seekable reader that streams one ranged GET from where it is asked to read;
           sealed blobs are decrypted segment by segment on top of it (a Range download
           fetches only the segments it needs)
    names  a listing of `prefix/??/??/<64 hex>`; `.incoming/` holds unfinished uploads

Credentials, region and the rest come from boto3's usual chain (AWS_ACCESS_KEY_ID,
AWS_SECRET_ACCESS_KEY, AWS_REGION or AWS_DEFAULT_REGION, ~/.aws, an instance role); the
endpoint of a non-AWS store from `SHAREBOUND_S3_ENDPOINT_URL`.
"""

from __future__ import annotations

import hashlib
import io
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, BinaryIO, cast
from urllib.parse import urlsplit

from sharebound.adapters import sealed
from sharebound.adapters.blobs import CHUNK, INCOMING, Stored, TooLarge, _chunks, check_name
from sharebound.adapters.keys import KeyRing

PART = 8 * 1024 * 1024  # why: S3 parts are 5 MiB at least (but the last); 8 MiB is boto3's default
COPY_PART = 256 * 1024 * 1024  # why: a server-side copy of a larger object goes by parts (5 GB max each)


class NotAnS3Url(ValueError):
    """SHAREBOUND_BLOB_URL is not of the form s3://bucket[/prefix]."""


def parse_s3_url(url: str) -> tuple[str, str]:
    """(bucket, prefix) of `s3://bucket/prefix`; the prefix has no slash at either end."""
    parts = urlsplit(url)
    if parts.scheme != "s3" or not parts.netloc or parts.query or parts.fragment:
        raise NotAnS3Url(f"SHAREBOUND_BLOB_URL must be s3://bucket/prefix, not {url!r}")
    return parts.netloc, parts.path.strip("/")


def s3_client(endpoint_url: str | None) -> Any:
    """A boto3 S3 client with the environment's credentials (imported here: only an S3
    store needs boto3 loaded)."""
    import boto3
    from botocore.config import Config

    # why path style: MinIO, moto and most S3-compatible stores address buckets by path
    config = Config(s3={"addressing_style": "path"} if endpoint_url else {},
                    retries={"max_attempts": 5, "mode": "standard"})
    return boto3.client("s3", endpoint_url=endpoint_url, config=config)


def upload(client: Any, bucket: str, key: str, pieces: Iterator[bytes]) -> int:
    """Upload the stream to `key` of `bucket` holding at most one part in memory; its length.
    A small object is one PUT; a failure aborts the multipart upload (nothing is left)."""
    pending, total = bytearray(), 0
    upload_id: str | None = None
    parts: list[dict[str, Any]] = []
    try:
        for piece in pieces:
            pending += piece
            total += len(piece)
            while len(pending) >= PART:
                if upload_id is None:
                    upload_id = client.create_multipart_upload(
                        Bucket=bucket, Key=key)["UploadId"]
                number = len(parts) + 1
                answer = client.upload_part(Bucket=bucket, Key=key, UploadId=upload_id,
                                            PartNumber=number, Body=bytes(pending[:PART]))
                parts.append({"PartNumber": number, "ETag": answer["ETag"]})
                del pending[:PART]
        if upload_id is None:
            client.put_object(Bucket=bucket, Key=key, Body=bytes(pending))
            return total
        if pending or not parts:
            number = len(parts) + 1
            answer = client.upload_part(Bucket=bucket, Key=key, UploadId=upload_id,
                                        PartNumber=number, Body=bytes(pending))
            parts.append({"PartNumber": number, "ETag": answer["ETag"]})
        client.complete_multipart_upload(Bucket=bucket, Key=key, UploadId=upload_id,
                                         MultipartUpload={"Parts": parts})
    except BaseException:
        if upload_id is not None:
            client.abort_multipart_upload(Bucket=bucket, Key=key, UploadId=upload_id)
        raise
    return total


class S3BlobStore:
    def __init__(self, client: Any, bucket: str, prefix: str = "", keys: KeyRing | None = None) -> None:
        self.client = client
        self.bucket = bucket
        self.prefix = f"{prefix.strip('/')}/" if prefix.strip("/") else ""
        self.keys = keys

    def __repr__(self) -> str:
        return f"S3BlobStore(s3://{self.bucket}/{self.prefix})"

    # --- names and keys ---

    def key(self, name: str) -> str:
        check_name(name)
        return f"{self.prefix}{name[:2]}/{name[2:4]}/{name}"

    def name_of(self, sha256: str, *, org: str) -> str:
        check_name(sha256)
        return sha256 if self.keys is None else self.keys.blob_address(org, sha256)

    def _head(self, key: str) -> dict[str, Any] | None:
        from botocore.exceptions import ClientError

        try:
            return cast(dict[str, Any], self.client.head_object(Bucket=self.bucket, Key=key))
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") in ("404", "NoSuchKey", "NotFound"):
                return None
            raise

    def _where(self, sha256: str, org: str) -> str:
        """The sealed object, or a plaintext one from before encryption, or the sealed key."""
        target = self.key(self.name_of(sha256, org=org))
        if self.keys is not None and self._head(target) is None and self._head(self.key(sha256)):
            return self.key(sha256)
        return target

    # --- writing ---

    def put(self, content: bytes | BinaryIO, limit: int | None = None, *, org: str) -> Stored:
        digest, size = hashlib.sha256(), 0

        def plain() -> Iterator[bytes]:
            nonlocal size
            for chunk in _chunks(content):
                size += len(chunk)
                if limit is not None and size > limit:
                    raise TooLarge(limit)
                digest.update(chunk)
                yield chunk

        if self.keys is None:
            pieces = plain()
        else:
            dek_id, dek = self.keys.active()
            pieces = sealed.seal(plain(), dek_id, dek)
        temporary = f"{self.prefix}{INCOMING}/blob-{uuid.uuid4().hex}"
        length = self._upload(temporary, pieces)
        try:
            sha256 = digest.hexdigest()
            target = self.key(self.name_of(sha256, org=org))
            if self._head(target) is None:  # else deduplicated: stored once per org
                self._copy(temporary, target, length)
        finally:
            self.client.delete_object(Bucket=self.bucket, Key=temporary)
        return Stored(sha256, size)

    def _upload(self, key: str, pieces: Iterator[bytes]) -> int:
        return upload(self.client, self.bucket, key, pieces)

    def _copy(self, source: str, target: str, length: int) -> None:
        """A server-side copy: the bytes never pass through this process."""
        origin = {"Bucket": self.bucket, "Key": source}
        if length <= COPY_PART:
            self.client.copy_object(Bucket=self.bucket, Key=target, CopySource=origin)
            return
        upload_id = self.client.create_multipart_upload(Bucket=self.bucket, Key=target)["UploadId"]
        parts = []
        try:
            for number, start in enumerate(range(0, length, COPY_PART), start=1):
                end = min(start + COPY_PART, length) - 1
                answer = self.client.upload_part_copy(
                    Bucket=self.bucket, Key=target, UploadId=upload_id, PartNumber=number,
                    CopySource=origin, CopySourceRange=f"bytes={start}-{end}")
                parts.append({"PartNumber": number, "ETag": answer["CopyPartResult"]["ETag"]})
            self.client.complete_multipart_upload(Bucket=self.bucket, Key=target, UploadId=upload_id,
                                                  MultipartUpload={"Parts": parts})
        except BaseException:
            self.client.abort_multipart_upload(Bucket=self.bucket, Key=target, UploadId=upload_id)
            raise

    # --- reading ---

    def get(self, sha256: str, *, org: str) -> bytes:
        with self.open(sha256, org=org) as source:
            return source.read()

    def open(self, sha256: str, *, org: str) -> BinaryIO:
        """The blob's plaintext as a seekable file to read in chunks (the caller closes it)."""
        return self._open_key(self._where(sha256, org))

    def _open_key(self, key: str) -> BinaryIO:
        raw = ObjectReader(self.client, self.bucket, key)
        if not sealed.is_sealed(raw.peek(len(sealed.MAGIC))):
            return cast(BinaryIO, io.BufferedReader(raw, buffer_size=CHUNK))  # plaintext
        if self.keys is None:
            raw.close()
            raise sealed.Unreadable("a sealed blob needs the key ring")
        return sealed.open_sealed(raw, self.keys.data_key)

    def local_path(self, sha256: str, *, org: str) -> Path | None:
        return None  # why: nothing lies on this machine; downloads stream through `open`

    def exists(self, sha256: str, *, org: str) -> bool:
        return self._head(self._where(sha256, org)) is not None

    def _list(self, prefix: str) -> Iterator[dict[str, Any]]:
        pages = self.client.get_paginator("list_objects_v2").paginate(Bucket=self.bucket, Prefix=prefix)
        for page in pages:
            yield from page.get("Contents", [])

    def names(self) -> Iterator[str]:
        """Every stored blob's name (as stored, whatever its content now), in order."""
        found = []
        for entry in self._list(self.prefix):
            parts = entry["Key"][len(self.prefix):].split("/")
            if len(parts) == 3 and len(parts[2]) == 64 and parts[0] != INCOMING:
                found.append(parts[2])
        yield from sorted(found)

    def verify(self, name: str, sha256: str | None) -> bool:
        """As `LocalBlobStore.verify`: a sealed blob authenticates to its end (and has the
        plaintext `sha256` when known); a plaintext one hashes to its name."""
        key = self.key(name)
        digest = hashlib.sha256()
        try:
            with self._open_key(key) as stored:
                for chunk in iter(lambda: stored.read(CHUNK), b""):
                    digest.update(chunk)
        except sealed.Unreadable:
            return False
        with ObjectReader(self.client, self.bucket, key) as head:
            is_sealed = sealed.is_sealed(head.peek(len(sealed.MAGIC)))
        if is_sealed:
            return sha256 is None or digest.hexdigest() == sha256
        return digest.hexdigest() == name

    # --- the raw objects, for backup and restore ---

    def read_stored(self, name: str) -> BinaryIO:
        """The object `name` as stored (sealed): what a backup copies."""
        return cast(BinaryIO, io.BufferedReader(ObjectReader(self.client, self.bucket, self.key(name)),
                                                buffer_size=CHUNK))

    def write_stored(self, name: str, source: BinaryIO) -> None:
        """Store `source` as the object `name`, as it is (a restore)."""
        self._upload(self.key(name), iter(lambda: source.read(CHUNK), b""))

    def remove_stored(self, name: str) -> None:
        """Remove the object `name` (a restore that failed takes back what it wrote)."""
        self.client.delete_object(Bucket=self.bucket, Key=self.key(name))

    # --- unfinished uploads ---

    def stale_incoming(self, older_than_seconds: float) -> list[str]:
        """Temporary objects and multipart uploads left by a killed server, untouched for
        `older_than_seconds` (a running upload is not counted)."""
        cutoff = datetime.now(UTC) - timedelta(seconds=older_than_seconds)
        folder = f"{self.prefix}{INCOMING}/"
        stale = {e["Key"][len(folder):] for e in self._list(folder) if e["LastModified"] < cutoff}
        stale |= {u["Key"][len(folder):] for u in self._uploads(folder) if u["Initiated"] < cutoff}
        return sorted(stale)

    def _uploads(self, folder: str) -> Iterator[dict[str, Any]]:
        pages = self.client.get_paginator("list_multipart_uploads").paginate(Bucket=self.bucket,
                                                                             Prefix=folder)
        for page in pages:
            yield from page.get("Uploads", [])

    def clean_incoming(self, older_than_seconds: float) -> list[str]:
        removed = self.stale_incoming(older_than_seconds)
        folder = f"{self.prefix}{INCOMING}/"
        for upload in self._uploads(folder):
            if upload["Key"][len(folder):] in removed:
                self.client.abort_multipart_upload(Bucket=self.bucket, Key=upload["Key"],
                                                   UploadId=upload["UploadId"])
        for name in removed:
            self.client.delete_object(Bucket=self.bucket, Key=folder + name)
        return removed

    # --- blobs from before encryption ---

    def seal_plaintext(self, sha256: str, *, org: str) -> bool:
        assert self.keys is not None
        target, legacy = self.key(self.name_of(sha256, org=org)), self.key(sha256)
        if self._head(target) is not None or self._head(legacy) is None:
            return False
        with ObjectReader(self.client, self.bucket, legacy) as source:
            stored = self.put(cast(BinaryIO, source), org=org)
        if stored.sha256 != sha256:
            raise sealed.Unreadable(f"the plaintext blob {sha256} does not hash to its name")
        return True

    def remove_plaintext(self, sha256: str) -> None:
        self.client.delete_object(Bucket=self.bucket, Key=self.key(sha256))

    def reachable(self) -> None:
        """Raises unless the bucket answers (for /readyz)."""
        self.client.head_bucket(Bucket=self.bucket)


class ObjectReader(io.RawIOBase):
    """An object read as a seekable file: one streamed GET from the position asked, a new
    ranged GET only after a seek elsewhere."""

    def __init__(self, client: Any, bucket: str, key: str) -> None:
        self._client, self._bucket, self._key = client, bucket, key
        self._position = 0
        self._body: Any = None
        self._body_at = -1
        self.size = int(client.head_object(Bucket=bucket, Key=key)["ContentLength"])

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

    def peek(self, count: int) -> bytes:
        """The first `count` bytes, leaving the position as it was."""
        if self.size == 0:
            return b""
        answer = self._client.get_object(Bucket=self._bucket, Key=self._key,
                                         Range=f"bytes=0-{min(count, self.size) - 1}")
        return bytes(answer["Body"].read())

    def _stream(self) -> Any:
        if self._body is None or self._body_at != self._position:
            self._drop()
            answer = self._client.get_object(Bucket=self._bucket, Key=self._key,
                                             Range=f"bytes={self._position}-")
            self._body, self._body_at = answer["Body"], self._position
        return self._body

    def readinto(self, buffer: memoryview | bytearray) -> int:  # type: ignore[override]
        view = memoryview(buffer).cast("B")
        wanted = min(len(view), self.size - self._position)
        if wanted <= 0:
            return 0
        body, count = self._stream(), 0
        while count < wanted:  # why: fill the buffer: a sealed segment is read in one call
            piece = body.read(wanted - count)
            if not piece:
                raise sealed.Unreadable(f"{self._key} ended early")
            view[count:count + len(piece)] = piece
            count += len(piece)
        self._position += count
        self._body_at = self._position
        return count

    def _drop(self) -> None:
        if self._body is not None:
            self._body.close()
            self._body = None

    def close(self) -> None:
        self._drop()
        super().close()
