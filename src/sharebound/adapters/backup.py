"""Backups: a consistent database dump, the blobs as stored (sealed), the key file if asked,
and a manifest with the SHA-256 of every file (docs/deploy.md#backup-and-restore).

    DEST/manifest.json          format, when, schema revision, dialect, keys?, files: {path: sha256, size}
    DEST/database.sqlite3       SQLite's online backup (sqlite3.Connection.backup), or
    DEST/database.pgdump        pg_dump --format=custom (PostgreSQL)
    DEST/blobs/ab/cd/<name>     each blob exactly as stored: still sealed
    DEST/keys/sharebound.key    the key-encryption key file (not with --without-keys)

A restore checks every file against the manifest before it writes anything, and checks again
what it actually restores: each blob is hashed as it streams into the target store, which keeps
it only if it matches (`checked`), and the key file's bytes are compared with the manifest's
(`check_bytes`), so a file altered after the first check is refused, naming it.

Why it is consistent: the database is dumped first, in one snapshot, then the blobs are
copied. Blobs are content-addressed and never change or go while referenced, so every blob
the dump refers to is still there when it is copied; a blob stored after the dump is an orphan
in the backup, harmless (`blobs check` reports it).
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess  # why: pg_dump and pg_restore are the tools PostgreSQL ships
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, BinaryIO, Protocol, cast

from sqlalchemy import Engine, inspect
from sqlalchemy.engine import URL

from sharebound.adapters.blobs import CHUNK, BlobStore
from sharebound.adapters.db.engine import queue_file

FORMAT = 1
MANIFEST = "manifest.json"
SQLITE_FILE, PG_FILE = "database.sqlite3", "database.pgdump"
KEY_FILE = "keys/sharebound.key"
PG_TIMEOUT = 6 * 3600  # why: a dump of a large database takes long, but never forever


class BackupProblem(Exception):
    """A backup cannot be made or restored: the message names what and why."""


@dataclass(frozen=True)
class Manifest:
    made_at: str
    revision: str | None
    dialect: str
    keys: bool
    files: dict[str, dict[str, Any]]

    @property
    def blobs(self) -> list[str]:
        return sorted(p for p in self.files if p.startswith("blobs/"))


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as source:
        for chunk in iter(lambda: source.read(CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _pg_env(url: URL) -> tuple[str, dict[str, str]]:
    """A libpq URL without the password, and the environment that carries it (not argv, which
    any local user can read)."""
    env = dict(os.environ)
    if url.password is not None:
        env["PGPASSWORD"] = str(url.password)
    plain = url.set(drivername="postgresql", password=None)
    return plain.render_as_string(hide_password=False), env


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise BackupProblem(f"{name} is not on PATH: install PostgreSQL's client tools "
                            "(the same major version as the server)")
    return found


def dump_database(engine: Engine, target: Path) -> str:
    """Dump the database to `target`'s folder; the file name written."""
    if engine.dialect.name == "sqlite":
        source_path = engine.url.database
        if not source_path or source_path == ":memory:":
            raise BackupProblem("only a SQLite database in a file can be backed up")
        out = target / SQLITE_FILE
        source, copy = sqlite3.connect(source_path), sqlite3.connect(out)
        try:
            with copy:
                source.backup(copy)  # why: the online backup API: a consistent copy while in use
        finally:
            source.close()
            copy.close()
        return SQLITE_FILE
    if engine.dialect.name == "postgresql":
        url, env = _pg_env(engine.url)
        try:
            subprocess.run([_tool("pg_dump"), "--format=custom", "--no-owner",  # noqa: S603
                            f"--file={target / PG_FILE}", f"--dbname={url}"],
                           env=env, check=True, timeout=PG_TIMEOUT, capture_output=True)
        except subprocess.CalledProcessError as error:
            raise BackupProblem(f"pg_dump failed: {error.stderr.decode(errors='replace').strip()}") from None
        return PG_FILE
    raise BackupProblem(f"backing up a {engine.dialect.name} database is not supported")


def write_manifest(folder: Path, *, made_at: datetime, revision: str | None, dialect: str,
                   keys: bool) -> Manifest:
    files = {}
    for path in sorted(p for p in folder.rglob("*") if p.is_file() and p.name != MANIFEST):
        files[path.relative_to(folder).as_posix()] = {"sha256": _sha256(path), "size": path.stat().st_size}
    manifest = Manifest(made_at.isoformat(), revision, dialect, keys, files)
    (folder / MANIFEST).write_text(manifest_text(manifest), encoding="utf-8")
    return manifest


def manifest_text(manifest: Manifest) -> str:
    """The manifest as the backup holds it (JSON, sorted keys)."""
    body = {"format": FORMAT, "made_at": manifest.made_at, "revision": manifest.revision,
            "dialect": manifest.dialect, "keys": manifest.keys, "files": manifest.files}
    return json.dumps(body, indent=1, sort_keys=True) + "\n"


def parse_manifest(text: str | bytes, where: str) -> Manifest:
    """The manifest in `text` (read from `where`, named in the error); BackupProblem if it is
    not one of this format. Its files are not checked here."""
    try:
        body = json.loads(text)
    except ValueError as error:
        raise BackupProblem(f"{where} is unreadable: {error}") from None
    if not isinstance(body, dict) or body.get("format") != FORMAT or not isinstance(body.get("files"), dict):
        raise BackupProblem(f"{where} is not a backup manifest of format {FORMAT}")
    files: dict[str, dict[str, Any]] = body["files"]
    for name, expected in files.items():
        if (not isinstance(expected, dict) or ".." in name.split("/") or name.startswith("/")
                or name == MANIFEST):
            raise BackupProblem(f"{where} lists {name!r}, which is not a file of a backup")
    return Manifest(str(body.get("made_at")), body.get("revision"), str(body.get("dialect")),
                    bool(body.get("keys")), files)


def copy_blobs(blobs: BlobStore, folder: Path) -> int:
    count = 0
    for name in blobs.names():
        target = folder / "blobs" / name[:2] / name[2:4] / name
        target.parent.mkdir(parents=True, exist_ok=True)
        with blobs.read_stored(name) as source, target.open("wb") as out:
            shutil.copyfileobj(source, out, CHUNK)
        count += 1
    return count


def read_manifest(folder: Path) -> Manifest:
    """The manifest of the backup in `folder`, after checking every file it lists (and that it
    lists every file): BackupProblem naming the first that differs."""
    try:
        text = (folder / MANIFEST).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise BackupProblem(f"{folder} holds no {MANIFEST}: not a Sharebound backup") from None
    except (ValueError, OSError) as error:
        raise BackupProblem(f"{folder / MANIFEST} is unreadable: {error}") from None
    manifest = parse_manifest(text, str(folder / MANIFEST))
    files = manifest.files
    present = {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()} - {MANIFEST}
    extras = sorted(present - set(files))
    if extras:
        raise BackupProblem(f"{extras[0]} is in the backup but not in its manifest")
    for name, expected in sorted(files.items()):
        path = folder / name
        if not path.is_file():
            raise BackupProblem(f"{name} is in the manifest but missing from the backup")
        if _sha256(path) != expected.get("sha256"):
            raise BackupProblem(f"{name} does not match its SHA-256 in the manifest (altered or damaged)")
    return manifest


def check_bytes(name: str, content: bytes, manifest: Manifest) -> bytes:
    """`content`, read from the backup's file `name`, if it is what the manifest records;
    else BackupProblem naming the file."""
    expected = manifest.files.get(name)
    if expected is None:
        raise BackupProblem(f"{name} is not in the backup's manifest")
    if hashlib.sha256(content).hexdigest() != expected.get("sha256"):
        raise BackupProblem(f"{name} does not match its SHA-256 in the manifest (altered since it "
                            "was checked): nothing was restored")
    return content


def checked(source: BinaryIO, name: str, manifest: Manifest) -> BinaryIO:
    """`source` (the backup's file `name`) read through a SHA-256: at its end, BackupProblem
    naming the file unless it hashes to the manifest's SHA-256, raised before the reader sees
    the end, so a store that writes atomically keeps nothing of it."""
    expected = manifest.files.get(name)
    if expected is None:
        raise BackupProblem(f"{name} is not in the backup's manifest")
    return cast(BinaryIO, _Checked(source, name, str(expected.get("sha256"))))


class _Checked(io.RawIOBase):
    def __init__(self, source: BinaryIO, name: str, sha256: str) -> None:
        super().__init__()
        self._source, self._name, self._sha256 = source, name, sha256
        self._digest = hashlib.sha256()

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        chunk = self._source.read(len(buffer))
        if not chunk:
            if self._digest.hexdigest() != self._sha256:
                raise BackupProblem(f"{self._name} does not match its SHA-256 in the manifest "
                                    "(altered since it was checked): nothing was restored")
            return 0
        self._digest.update(chunk)
        buffer[:len(chunk)] = chunk
        return len(chunk)


class BackupSource(Protocol):
    """Where a restore reads a backup from: a folder, or a bucket (`backup_s3.S3Backup`)."""

    def read_manifest(self) -> Manifest: ...
    def read_bytes(self, name: str) -> bytes: ...
    def open(self, name: str) -> BinaryIO: ...
    def database_folder(self, manifest: Manifest, staging: Path) -> Path: ...


@dataclass(frozen=True)
class FolderBackup:
    """A backup in a folder of this machine."""

    folder: Path

    def read_manifest(self) -> Manifest:
        return read_manifest(self.folder)

    def read_bytes(self, name: str) -> bytes:
        return (self.folder / name).read_bytes()

    def open(self, name: str) -> BinaryIO:
        return (self.folder / name).open("rb")

    def database_folder(self, manifest: Manifest, staging: Path) -> Path:
        """The folder holding the database dump: the backup's own."""
        return self.folder


def database_is_empty(engine: Engine) -> bool:
    return not inspect(engine).get_table_names()


def restore_database(engine: Engine, folder: Path, manifest: Manifest, *, force: bool) -> None:
    if manifest.dialect != engine.dialect.name:
        raise BackupProblem(f"the backup holds a {manifest.dialect} database; the target is "
                            f"{engine.dialect.name} (restore into the same kind of database)")
    if engine.dialect.name == "sqlite":
        engine.dispose()
        source, target = sqlite3.connect(folder / SQLITE_FILE), sqlite3.connect(str(engine.url.database))
        try:
            with target:
                source.backup(target)  # why: replaces the target's content as one transaction
        finally:
            source.close()
            target.close()
        # why: accesses still queued beside the replaced database belong to it, not to this one
        # (a backup drains the queue first, so the backup holds its own)
        side = sqlite3.connect(queue_file(str(engine.url.database)))
        try:
            if _has_queue(side):
                with side:
                    side.execute("DELETE FROM access_queue")
        finally:
            side.close()
        return
    url, env = _pg_env(engine.url)
    engine.dispose()
    clean = ["--clean", "--if-exists"] if force else []
    try:
        subprocess.run([_tool("pg_restore"), "--no-owner", "--exit-on-error", "--single-transaction",  # noqa: S603
                        *clean, f"--dbname={url}", str(folder / PG_FILE)],
                       env=env, check=True, timeout=PG_TIMEOUT, capture_output=True)
    except subprocess.CalledProcessError as error:
        raise BackupProblem(f"pg_restore failed: {error.stderr.decode(errors='replace').strip()}") from None


def _has_queue(connection: sqlite3.Connection) -> bool:
    return connection.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'access_queue'").fetchone() is not None


def backup_blobs(manifest: Manifest) -> Iterator[tuple[str, str]]:
    """(blob name, its file in the backup) of every blob in the backup."""
    for relative in manifest.blobs:
        yield relative.rsplit("/", 1)[-1], relative


def blob_file(name: str) -> str:
    """Where a blob goes in a backup."""
    return f"blobs/{name[:2]}/{name[2:4]}/{name}"
