"""The one place that builds engines, stores, keys, mailers and units of work from settings, and
wires the listeners that hear of every event."""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from sqlalchemy import Engine, inspect

from sharebound.adapters import backup as backups
from sharebound.adapters.backup import BackupProblem as BackupProblem  # why: the CLI names it
from sharebound.adapters.backup import Manifest
from sharebound.adapters.backup_s3 import S3Backup, is_s3_url
from sharebound.adapters.blobs import BlobStore, LocalBlobStore
from sharebound.adapters.clock import Clock, system_clock
from sharebound.adapters.db import migrate
from sharebound.adapters.db.engine import build_engine
from sharebound.adapters.filetypes import ContentLimits
from sharebound.adapters.keys import Kek, KeyRing, parse_key, read_key_file, write_key_file
from sharebound.adapters.log_key import LogKey, read_log_key, write_log_key
from sharebound.adapters.mail import SmtpMailer
from sharebound.adapters.oidc import Oidc
from sharebound.adapters.passwords import ARGON2
from sharebound.adapters.standard_terms import shipped_catalog
from sharebound.adapters.text_extract import Limits
from sharebound.adapters.webhooks import post_signed
from sharebound.config import Settings
from sharebound.domain.standard_terms import StandardTermsCatalog
from sharebound.services import gate, keys, metrics, notice_mail, notify, search
from sharebound.services.accesses import drain_accesses
from sharebound.services.ports import Mailer, PasswordHasher, Poster
from sharebound.services.unit_of_work import Listener, UnitOfWork

GATE_REVISION = "0006"  # the migration that adds the content gate's fingerprints
log = logging.getLogger(__name__)

#: Who hears of every recorded event, inside its transaction, in this order. One line each.
LISTENERS: tuple[Listener, ...] = (
    notify.fan_out,  # notifications, their email outbox rows and the webhook deliveries
    notice_mail.mail_notice_contacts,  # a notice's email to the addressees' notice contacts
    metrics.count_decision,  # the decisions metric, by outcome and reason code
)


@dataclass(frozen=True)
class App:
    settings: Settings
    engine: Engine
    blobs: BlobStore
    clock: Clock
    keys: KeyRing
    #: what `init` did that the operator must hear of (a new key file to back up)
    notices: list[str] = field(default_factory=list)
    passwords: PasswordHasher = ARGON2  # why a field: tests inject cheap Argon2 parameters
    poster: Poster = post_signed  # how the worker posts a webhook
    #: the released standard terms (tests add a version to see signed agreements keep theirs)
    standard_terms: StandardTermsCatalog = field(default_factory=shipped_catalog)

    def uow(self) -> UnitOfWork:
        return UnitOfWork(
            self.engine, self.blobs, self.clock,
            limits=ContentLimits(pdf_pages=self.settings.max_pdf_pages),
            text_limits=Limits(max_pages=self.settings.gate_max_pages,
                               max_chars=self.settings.gate_max_chars),
            keys=self.keys, listeners=LISTENERS, passwords=self.passwords,
            standard_terms=self.standard_terms,
            relying_party=self.settings.relying_party, spool_dir=self.settings.spool_dir)

    @cached_property
    def log_key(self) -> LogKey:
        """The key that signs the transparency log's checkpoints (made on first use)."""
        return load_log_key(self.settings, self.notices)

    def mailer(self) -> Mailer | None:
        """The SMTP mailer the settings describe; None when email is off (no SMTP host)."""
        s = self.settings
        if not s.smtp_host:
            return None
        return SmtpMailer(host=s.smtp_host, port=s.smtp_port, tls=s.smtp_tls, sender=s.mail_from,
                          user=s.smtp_user,
                          password=s.smtp_password.get_secret_value() if s.smtp_password else None,
                          timeout=s.smtp_timeout_seconds)

    def oidc(self) -> Oidc:
        """How single sign-on talks to the orgs' OpenID providers (the operator's allow list)."""
        return Oidc(allow=self.settings.sso_allow_list, timeout=self.settings.sso_timeout_seconds)

    def close(self) -> None:
        self.engine.dispose()


def load_kek(settings: Settings, notices: list[str] | None = None) -> Kek:
    """The key-encryption key: SHAREBOUND_KEY, else SHAREBOUND_KEY_FILE, else the data folder's
    key file, made on a fresh install (docs/encryption.md)."""
    if settings.key is not None:
        return parse_key(settings.key.get_secret_value(), "SHAREBOUND_KEY")
    path = settings.resolved_key_file
    if settings.key_file is not None or path.exists():
        return read_key_file(path)
    kek = write_key_file(path)
    message = (f"made a new key-encryption key in {path.resolve()} (0600): back it up apart from "
               "the data folder; without it the blobs, webhook secrets and crown-jewel terms are lost")
    log.warning(message)
    if notices is not None:
        notices.append(message)
    return kek


def load_log_key(settings: Settings, notices: list[str] | None = None) -> LogKey:
    """The instance's Ed25519 log key from the data folder, made there if it is missing."""
    path, name = settings.log_key_file, settings.log_instance_name
    if path.exists():
        return read_log_key(path, name)
    made = write_log_key(path, name)
    message = (f"made a new transparency-log signing key in {path.resolve()} (0600), public key "
               f"{made.vkey}: back it up; partners pin this key to verify the log")
    log.warning(message)
    if notices is not None:
        notices.append(message)
    return made


def build(settings: Settings | None = None, clock: Clock = system_clock) -> App:
    settings = settings or Settings()
    engine = build_engine(settings.resolved_database_url,
                          sqlite_busy_timeout_ms=settings.sqlite_busy_timeout_ms)
    notices: list[str] = []
    ring = KeyRing(engine, load_kek(settings, notices), clock)
    # why: make the data key now, outside any write transaction (a use case's SQLite write
    # lock would block making it later); a database not migrated yet gets it from `init`.
    if inspect(engine).has_table("data_keys"):
        ring.ensure()
    return App(settings=settings, engine=engine, blobs=build_blobs(settings, ring),
               clock=clock, keys=ring, notices=notices)


def build_blobs(settings: Settings, ring: KeyRing | None) -> BlobStore:
    """The blob store SHAREBOUND_BLOB_URL names: the data folder's, or an S3 bucket's."""
    if not settings.blob_url:
        return LocalBlobStore(settings.blobs_dir, ring)
    from sharebound.adapters.s3blobs import S3BlobStore, parse_s3_url, s3_client

    bucket, prefix = parse_s3_url(settings.blob_url)
    return S3BlobStore(s3_client(settings.s3_endpoint_url), bucket, prefix, ring)


def init(settings: Settings | None = None, *, clean_incoming: bool = True) -> App:
    """Create the data folder and migrate the database to the newest schema; make the keys;
    seal what was stored before encryption; remove stale upload files. Idempotent."""
    settings = settings or Settings()
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    settings.blobs_dir.mkdir(parents=True, exist_ok=True)
    core = build(settings)
    before = migrate.current_revision(core.engine)
    migrate.upgrade(core.engine)
    core.keys.ensure()
    core.log_key  # noqa: B018  why: makes the log's signing key now, named in the notices
    # why: restricted items stored before the content gate have no fingerprints, so a pasted
    # crown jewel would pass; index them once, on the upgrade that adds the gate. (Not on every
    # start: a restricted image or very short note has none by nature and would be read again
    # each time. `sharebound gate reindex` repairs anything else.)
    if before is not None and migrate.runs(core.engine, before, GATE_REVISION):
        gate.reindex_fingerprints(core.uow())
    # The migration that changed the fingerprint function dropped the old ones and left a
    # marker; it goes only once every restricted item is fingerprinted again, so a start
    # that dies halfway through finishes the rebuild on the next one.
    gate.finish_pending_rebuild(core.uow())
    # why here, not in the migration: the index holds keyed hashes and sealed text, which
    # need the data key and the blob store (docs/library.md#search). Every start: documents
    # are made only for what has none (two anti-joins when there is nothing to do), so a start
    # that died halfway through the upgrade's indexing finishes it.
    search.reindex(core.uow())
    keys.seal_columns(core.uow())
    removed = core.blobs.clean_incoming(settings.incoming_stale_minutes * 60) if clean_incoming else []
    if removed:
        core.notices.append(f"removed {len(removed)} unfinished upload file(s) from blobs/.incoming")
    return core


def backup(core: App, destination: Path | str, *, with_keys: bool = True) -> Manifest:
    """Write a backup of `core` into the empty (or new) folder `destination`, or under an empty
    `s3://bucket/prefix`: the database dump first, then the blobs as stored, the key file
    unless `with_keys` is False, and the manifest last (a backup without a manifest is
    unfinished). Every file and folder it makes here is its owner's alone (0600 and 0700).
    docs/deploy.md."""
    with _private_files():
        if is_s3_url(destination):
            return _backup_s3(core, str(destination), with_keys=with_keys)
        return _backup(core, Path(destination), with_keys=with_keys)


@contextmanager
def _private_files() -> Iterator[None]:
    """Files and folders made meanwhile are their owner's alone: a dump or a copied key file is
    never readable by another local user, not even for a moment before a chmod."""
    before = os.umask(0o077)
    try:
        yield
    finally:
        os.umask(before)


def _drain_queue(core: App) -> None:
    """On SQLite the queued accesses are in a side file the dump does not copy: moved into the
    database first, they are in the backup (on PostgreSQL pg_dump holds the queue too)."""
    drain_accesses(core.uow())


def _backup(core: App, destination: Path, *, with_keys: bool) -> Manifest:
    if destination.exists() and any(destination.iterdir()):
        raise BackupProblem(f"{destination} is not empty: back up into a new folder")
    destination.mkdir(parents=True, exist_ok=True)
    revision = migrate.current_revision(core.engine)
    _drain_queue(core)
    backups.dump_database(core.engine, destination)
    backups.copy_blobs(core.blobs, destination)
    key_file = core.settings.resolved_key_file
    if with_keys and core.settings.key is None and key_file.exists():
        target = destination / backups.KEY_FILE
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(key_file, target)
        target.chmod(0o600)
    with_keys = (destination / backups.KEY_FILE).exists()
    return backups.write_manifest(destination, made_at=core.clock(), revision=revision,
                                  dialect=core.engine.dialect.name, keys=with_keys)


def _backup_s3(core: App, url: str, *, with_keys: bool) -> Manifest:
    target = S3Backup.of_url(url, core.settings.s3_endpoint_url)
    if target.names():
        raise BackupProblem(f"{target.url} is not empty: back up under a new prefix")
    revision = migrate.current_revision(core.engine)
    _drain_queue(core)
    files: dict[str, dict[str, object]] = {}
    core.settings.data_dir.mkdir(parents=True, exist_ok=True)
    # why a file: SQLite's online backup and pg_dump write files; it is uploaded as it is read
    with tempfile.TemporaryDirectory(dir=core.settings.data_dir, prefix=".backup-") as staging:
        dumped = backups.dump_database(core.engine, Path(staging))
        files[dumped] = target.put_file(dumped, Path(staging) / dumped)
    for name in core.blobs.names():
        with core.blobs.read_stored(name) as source:
            files[backups.blob_file(name)] = target.put(backups.blob_file(name), source)
    key_file = core.settings.resolved_key_file
    keys = with_keys and core.settings.key is None and key_file.exists()
    if keys:
        files[backups.KEY_FILE] = target.put_file(backups.KEY_FILE, key_file)
    return target.write_manifest(Manifest(core.clock().isoformat(), revision, core.engine.dialect.name,
                                          keys, dict(sorted(files.items()))))


def restore(settings: Settings, source: Path | str, *, force: bool = False) -> App:
    """Restore the backup in the folder `source`, or under `s3://bucket/prefix`, into the
    instance `settings` name, which must be empty (no database tables, no blobs, no other key
    file) unless `force`; every file of the backup is checked against the manifest first, and
    each blob and the key file again as they are restored (BackupProblem naming the first that
    differs, and the target left as it was). Migrates to the newest schema and opens the data
    keys; the restored App."""
    backup: backups.BackupSource = (S3Backup.of_url(str(source), settings.s3_endpoint_url)
                                    if is_s3_url(source) else backups.FolderBackup(Path(source)))
    with _private_files():
        return _restore(settings, backup, force=force)


def _restore(settings: Settings, backup: backups.BackupSource, *, force: bool) -> App:
    manifest = backup.read_manifest()
    key_file = settings.resolved_key_file
    backed_key = (backups.check_bytes(backups.KEY_FILE, backup.read_bytes(backups.KEY_FILE), manifest)
                  if manifest.keys else None)
    if backed_key is None and settings.key is None and not key_file.exists():
        raise BackupProblem("the backup holds no key file: set SHAREBOUND_KEY_FILE or SHAREBOUND_KEY "
                            "to the key-encryption key of the backed-up instance, then restore again")
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    engine = build_engine(settings.resolved_database_url,
                          sqlite_busy_timeout_ms=settings.sqlite_busy_timeout_ms)
    try:  # why: a refusal, too, leaves no connection open to the target
        _restore_data(settings, backup, manifest, engine, backed_key, force=force)
    finally:
        engine.dispose()
    if backed_key is not None and settings.key is None:
        key_file.parent.mkdir(parents=True, exist_ok=True)
        key_file.write_bytes(backed_key)
        key_file.chmod(0o600)
    return init(settings)


def _restore_data(settings: Settings, backup: backups.BackupSource, manifest: Manifest,
                  engine: Engine, backed_key: bytes | None, *, force: bool) -> None:
    """The blobs, then the database, into an empty target (unless `force`): each blob checked
    as it is written; a failure takes back the blobs written so far."""
    key_file = settings.resolved_key_file
    store = build_blobs(settings, None)
    if not force:
        if not backups.database_is_empty(engine):
            raise BackupProblem("the target database is not empty (restore with --force to replace it)")
        if next(iter(store.names()), None) is not None:
            raise BackupProblem("the target blob store is not empty (restore with --force to replace it)")
        if backed_key is not None and settings.key is None and key_file.exists() \
                and key_file.read_bytes() != backed_key:
            raise BackupProblem(f"{key_file} holds another key (restore with --force to replace it)")
    with tempfile.TemporaryDirectory(dir=settings.data_dir, prefix=".restore-") as staging:
        folder = backup.database_folder(manifest, Path(staging))
        # why blobs first: each is checked as it is written, and a blob that fails, or the
        # database's restore, takes back the blobs written so far, before the database is touched
        there = set(store.names()) if force else set()
        written: list[str] = []
        try:
            for name, relative in backups.backup_blobs(manifest):
                with backup.open(relative) as blob:
                    store.write_stored(name, backups.checked(blob, relative, manifest))
                if name not in there:
                    written.append(name)
            backups.restore_database(engine, folder, manifest, force=force)
        except BaseException:
            for name in written:
                store.remove_stored(name)
            raise
