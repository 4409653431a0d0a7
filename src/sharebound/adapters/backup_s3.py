"""Backups in an S3-compatible bucket (`sharebound backup s3://bucket/prefix`): the same files
and manifest as a folder backup (`adapters/backup.py`), each an object under the prefix:

    prefix/manifest.json              written last: a backup without it is unfinished
    prefix/database.sqlite3 | .pgdump
    prefix/blobs/ab/cd/<name>
    prefix/keys/sharebound.key        unless --without-keys

Each file is uploaded as it is read (`s3blobs.upload`: one 8 MiB part in memory at a time),
hashed on the way for the manifest; the database dump is written to a temporary file first
(SQLite's online backup and pg_dump write files), then uploaded from it. A restore reads the
manifest, checks that the prefix holds exactly the files it lists and that each hashes to its
SHA-256 (streamed, nothing kept) before anything is restored; the dump is downloaded to a
temporary file (and checked again) for the database's own restore tool, the blobs stream
from the bucket into the target store.

The client comes from `s3blobs.s3_client`: the same credentials (boto3's chain) and endpoint
(`SHAREBOUND_S3_ENDPOINT_URL`) as the S3 blob store.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any, BinaryIO, cast

from sharebound.adapters.backup import (
    MANIFEST,
    BackupProblem,
    Manifest,
    manifest_text,
    parse_manifest,
)
from sharebound.adapters.blobs import CHUNK
from sharebound.adapters.s3blobs import NotAnS3Url, ObjectReader, parse_s3_url, s3_client, upload


def is_s3_url(place: str | Path) -> bool:
    return isinstance(place, str) and place.startswith("s3://")


class S3Backup:
    """A backup under `s3://bucket/prefix`."""

    def __init__(self, client: Any, bucket: str, prefix: str) -> None:
        self.client, self.bucket = client, bucket
        self.prefix = f"{prefix.strip('/')}/" if prefix.strip("/") else ""
        self.url = f"s3://{bucket}/{self.prefix}"

    @classmethod
    def of_url(cls, url: str, endpoint_url: str | None) -> S3Backup:
        try:
            bucket, prefix = parse_s3_url(url)
        except NotAnS3Url:
            raise BackupProblem(f"{url!r} is not of the form s3://bucket/prefix") from None
        return cls(s3_client(endpoint_url), bucket, prefix)

    def _keys(self) -> Iterator[str]:
        from botocore.exceptions import ClientError

        try:
            pages = self.client.get_paginator("list_objects_v2").paginate(Bucket=self.bucket,
                                                                          Prefix=self.prefix)
            for page in pages:
                for entry in page.get("Contents", []):
                    yield str(entry["Key"])
        except ClientError as error:
            raise BackupProblem(f"{self.url} cannot be listed: {_said(error)}") from None

    def names(self) -> set[str]:
        """Every file of the backup, as a path under the prefix."""
        return {key[len(self.prefix):] for key in self._keys()}

    # --- writing ---

    def put(self, name: str, source: BinaryIO) -> dict[str, Any]:
        """Upload `source` as the file `name`, streamed; its manifest entry {sha256, size}."""
        digest = hashlib.sha256()

        def pieces() -> Iterator[bytes]:
            while chunk := source.read(CHUNK):
                digest.update(chunk)
                yield chunk

        from botocore.exceptions import BotoCoreError, ClientError

        try:
            size = upload(self.client, self.bucket, self.prefix + name, pieces())
        except (BotoCoreError, ClientError) as error:
            raise BackupProblem(f"{name} could not be uploaded to {self.url}: {_said(error)}") from None
        return {"sha256": digest.hexdigest(), "size": size}

    def put_file(self, name: str, path: Path) -> dict[str, Any]:
        with path.open("rb") as source:
            return self.put(name, source)

    def write_manifest(self, manifest: Manifest) -> Manifest:
        self.put(MANIFEST, io.BytesIO(manifest_text(manifest).encode()))
        return manifest

    # --- reading ---

    def open(self, name: str) -> BinaryIO:
        """The file `name` to read in chunks (the caller closes it)."""
        return cast(BinaryIO, io.BufferedReader(ObjectReader(self.client, self.bucket, self.prefix + name),
                                                buffer_size=CHUNK))

    def read_bytes(self, name: str) -> bytes:
        with self.open(name) as source:
            return source.read()

    def _sha256(self, name: str) -> str:
        digest = hashlib.sha256()
        with self.open(name) as source:
            while chunk := source.read(CHUNK):
                digest.update(chunk)
        return digest.hexdigest()

    def read_manifest(self) -> Manifest:
        """The manifest, after checking that the prefix holds every file it lists and no other,
        each with its SHA-256: BackupProblem naming the first that differs."""
        present = self.names()
        if MANIFEST not in present:
            raise BackupProblem(f"{self.url} holds no {MANIFEST}: not a Sharebound backup "
                                "(or an unfinished one)")
        manifest = parse_manifest(self.read_bytes(MANIFEST), self.url + MANIFEST)
        extras = sorted(present - set(manifest.files) - {MANIFEST})
        if extras:
            raise BackupProblem(f"{extras[0]} is in the backup but not in its manifest")
        for name, expected in sorted(manifest.files.items()):
            if name not in present:
                raise BackupProblem(f"{name} is in the manifest but missing from the backup")
            if self._sha256(name) != expected.get("sha256"):
                raise BackupProblem(f"{name} does not match its SHA-256 in the manifest (altered or damaged)")
        return manifest

    def database_folder(self, manifest: Manifest, staging: Path) -> Path:
        """The database dump downloaded into `staging` (checked against the manifest again:
        the bucket may have changed since), for the database's restore tool."""
        for name, expected in manifest.files.items():
            if "/" in name:
                continue
            digest = hashlib.sha256()
            with self.open(name) as source, (staging / name).open("wb") as out:
                while chunk := source.read(CHUNK):
                    digest.update(chunk)
                    out.write(chunk)
            if digest.hexdigest() != expected.get("sha256"):
                raise BackupProblem(f"{name} changed in {self.url} while it was restored")
        return staging


def _said(error: Any) -> str:
    found = error.response.get("Error", {}) if hasattr(error, "response") else {}
    return str(found.get("Message") or found.get("Code") or error)
